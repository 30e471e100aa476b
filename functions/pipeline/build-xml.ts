import { buildXml } from '#shared/documents/pipeline/build-xml';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('build-xml', (state) => buildXml(state));

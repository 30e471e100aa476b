import { signXml } from '#shared/documents/pipeline/sign-xml';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('sign-xml', (state) => signXml(state));

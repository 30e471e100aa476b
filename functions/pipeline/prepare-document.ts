import { prepareDocument } from '#shared/documents/pipeline/prepare';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('prepare-document', (state) => prepareDocument(state));

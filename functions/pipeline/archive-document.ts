import { archiveDocument } from '#shared/documents/pipeline/archive';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('archive-document', (state) => archiveDocument(state));

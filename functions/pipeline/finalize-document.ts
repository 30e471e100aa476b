import { finalizeDocument } from '#shared/documents/pipeline/finalize';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing workflow task: archives the authorized rFE and CAFE, then marks the document AUTHORIZED. */
export const handler = pipelineTask('finalize-document', (state) => finalizeDocument(state));

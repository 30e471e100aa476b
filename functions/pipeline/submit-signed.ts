import { submitSigned } from '#shared/documents/pipeline/submit-signed';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('submit-signed', (state) => submitSigned(state));

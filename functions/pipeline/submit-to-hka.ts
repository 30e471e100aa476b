import { submitToHka } from '#shared/documents/pipeline/submit-to-hka';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('submit-to-hka', (state) => submitToHka(state));

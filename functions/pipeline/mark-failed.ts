import { markFailed } from '#shared/documents/pipeline/mark';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing pipeline task (docs/contracts.md): receives the whole state, returns it with its fields added. */
export const handler = pipelineTask('mark-failed', (state) => markFailed(state));

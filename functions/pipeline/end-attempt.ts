import { endAttempt } from '#shared/documents/pipeline/end-attempt';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing workflow task (every Catch): rejected, next attempt scheduled, reconciled, or failed for good. */
export const handler = pipelineTask('end-attempt', (state) => endAttempt(state));

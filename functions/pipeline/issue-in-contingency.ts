import { now } from '#shared/clock';
import { issueInContingency } from '#shared/documents/pipeline/issue-in-contingency';
import { pipelineTask } from '#shared/documents/pipeline/task';

/** Issuing workflow task: a contingency document's CAFE, archive and CONTINGENCY status, without HKA. */
export const handler = pipelineTask('issue-in-contingency', (state) => issueInContingency(state, now()));

import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { config } from '#shared/config/config';
import type { Authorization, Reason } from '#shared/data/documents';
import { tracer } from '#shared/observability/tracer';

let client: SFNClient | undefined;

export function sfnClient(): SFNClient {
  client ??= tracer.captureAWSv3Client(new SFNClient({}));
  return client;
}

export type IssuingChannel = 'hka-integration' | 'emitter-signed';

/** What starts an issuing attempt: one execution of the issuing workflow (docs/contracts.md). */
export type AttemptInput = {
  tenantId: string;
  documentId: string;
  attempt: number;
  channel: IssuingChannel;
  /** The document's HKA environment: whose circuit breaker gates the attempt's calls. */
  environment: 'demo' | 'prod';
  /**
   * The re-drive sweep's probe of an open HKA circuit breaker: this attempt calls HKA although the breaker is
   * open (every other attempt of that environment waits). Always present in the input (the workflow's first
   * state copies it).
   */
  probe: boolean;
};

/** How an attempt ended, as the EndAttempt step decided (routes the workflow's last states). */
export type AttemptOutcome = 'authorized' | 'rejected' | 'waiting' | 'failed' | 'superseded' | 'settled';

/** The state passed between the workflow's tasks; each returns it with its own fields added. */
export type PipelineState = Omit<AttemptInput, 'environment' | 'probe'> &
  // Optional in the state: a step must behave the same for a state that lacks them (no gate, no probe).
  Partial<Pick<AttemptInput, 'environment' | 'probe'>> & {
    /** `$$.Execution.Id`, added by the workflow's first state: who owns the attempt. */
    executionId: string;
    signedXmlKey?: string;
    authorization?: Authorization;
    artifacts?: { xmlKey: string; pdfKey: string };
    /** Whether the authorized document has e-mail recipients (the e-mail rule matches on it). */
    hasRecipients?: boolean;
    /**
     * Set by SignXml: the document was accepted in contingency and not delivered yet, so IssueInContingency
     * runs instead of SubmitSigned (shared/contingency).
     */
    issueInContingency?: boolean;
    /** Set by IssueInContingency: the contingency's start (PublishContingency reads it). */
    contingency?: { startedAt: string };
    outcome?: AttemptOutcome;
    /** Why HKA/DGI refused the document (outcome `rejected`; PublishRejected carries them). */
    reasons?: Reason[];
    /** Set by a Catch (ResultPath `$.error`). */
    error?: { Error: string; Cause: string };
  };

/**
 * Starts the issuing workflow for an attempt already claimed on the document. The workflow is EXPRESS:
 * executions are not de-duplicated by name, so none is given; a second start of the same attempt is
 * harmless because the attempt's first step lets exactly one execution own it.
 */
export async function startIssuingAttempt(input: AttemptInput): Promise<void> {
  await sfnClient().send(
    new StartExecutionCommand({
      stateMachineArn: config().issuingStateMachineArn,
      input: JSON.stringify({ ...input, probe: input.probe === true }),
    }),
  );
}

/**
 * Meters for the services that speak AWS's JSON protocol (`X-Amz-Target`): KMS, Secrets Manager,
 * EventBridge, Step Functions (the local stand-ins share one endpoint) and SQS. Counted per function:
 * KMS operations (and the key each Sign uses, priced by its spec), Secrets Manager calls, StartExecution
 * calls, SQS requests in 64 KB chunks. PutEvents is counted where the entries reach the bus (see
 * `runtime.ts`), since the state machine also puts events there without going through HTTP.
 */
import { chunks64k } from '../billing';
import { increment, type UsageRecorder } from '../usage';
import { jsonOf, type Meter, targetOperation } from './proxy';

/** SQS bills each 64 KB chunk of a request's payload as one request. */
export function sqsBilledRequests(operation: string, body: Record<string, unknown>): number {
  if (operation === 'SendMessage') return chunks64k(Buffer.byteLength(String(body.MessageBody ?? '')));
  if (operation === 'SendMessageBatch') {
    const entries = (body.Entries ?? []) as Array<{ MessageBody?: string }>;
    return chunks64k(entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody ?? ''), 0));
  }
  return 1;
}

export function awsJsonMeter(usage: UsageRecorder): Meter {
  return async (request, forward) => {
    const response = await forward();
    const { service, operation } = targetOperation(request.headers);
    const body = jsonOf(request.body) ?? {};
    const fn = usage.fn(request.functionName);
    const failed = response.status >= 300;
    switch (service) {
      case 'TrentService':
        // KMS bills every request it answers, refusals included.
        increment(fn.kms, operation);
        if (operation === 'Sign' && typeof body.KeyId === 'string') increment(fn.kmsSignsByKey, body.KeyId);
        break;
      case 'secretsmanager':
        fn.secretsManagerCalls += 1;
        break;
      case 'AWSStepFunctions':
        if (operation === 'StartExecution' && !failed) fn.stepFunctionsStarts += 1;
        else increment(fn.otherCalls, `states.${operation}`);
        break;
      case 'AmazonSQS':
        fn.sqsRequests += sqsBilledRequests(operation, body);
        break;
      case 'AWSEvents':
        increment(fn.otherCalls, `events.${operation}${failed ? `!${response.status}` : ''}`);
        break;
      default:
        increment(fn.otherCalls, `${service || 'unknown'}.${operation}`);
    }
    return response;
  };
}

/**
 * SES v2 meter: `SendEmail` counts one e-mail per recipient (SES's billing unit) and the attachments'
 * base64 size (what SES bills attachments on).
 */
export function sesMeter(usage: UsageRecorder): Meter {
  return async (request, forward) => {
    const response = await forward();
    const fn = usage.fn(request.functionName);
    if (
      request.method === 'POST' &&
      request.path.startsWith('/v2/email/outbound-emails') &&
      response.status < 300
    ) {
      const body = jsonOf(request.body) ?? {};
      const destination = (body.Destination ?? {}) as Record<string, string[] | undefined>;
      const recipients = ['ToAddresses', 'CcAddresses', 'BccAddresses'].reduce(
        (sum, field) => sum + (destination[field]?.length ?? 0),
        0,
      );
      const simple = ((body.Content ?? {}) as { Simple?: { Attachments?: Array<{ RawContent?: string }> } })
        .Simple;
      fn.ses.emails += 1;
      fn.ses.recipients += recipients;
      fn.ses.attachmentBase64Bytes += (simple?.Attachments ?? []).reduce(
        (sum, attachment) => sum + (attachment.RawContent?.length ?? 0),
        0,
      );
    } else {
      increment(fn.otherCalls, `ses.${request.method} ${request.path.split('?')[0]}`);
    }
    return response;
  };
}

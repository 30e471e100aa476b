import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { config } from '#shared/config/config';
import { tenantsRepository } from '#shared/data/tenants';
import { tracer } from '#shared/observability/tracer';

let sqs: SQSClient | undefined;

/** Default configuration so `AWS_ENDPOINT_URL_SQS` (local queues) applies. */
export function sqsClient(): SQSClient {
  sqs ??= tracer.captureAWSv3Client(new SQSClient({}));
  return sqs;
}

/** Enqueues one folio-sync message per registered tenant (batches of 10, SQS's limit); returns the count. */
export async function enqueueFolioSyncForAllTenants(): Promise<number> {
  const tenantIds = await tenantsRepository.listRegisteredTenantIds();
  for (let i = 0; i < tenantIds.length; i += 10) {
    const batch = tenantIds.slice(i, i + 10);
    const out = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: config().folioSyncQueueUrl,
        Entries: batch.map((tenantId, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify({ tenantId }),
        })),
      }),
    );
    if (out.Failed && out.Failed.length > 0) {
      // The schedule retries the whole fan-out; a duplicate sync of a tenant is harmless.
      throw new Error(
        `could not enqueue folio sync for ${out.Failed.length} tenant(s): ${out.Failed[0]?.Message ?? ''}`,
      );
    }
  }
  return tenantIds.length;
}

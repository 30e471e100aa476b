import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { config } from '#shared/config/config';
import { EVENT_CATALOG, type FactuEventType } from '#shared/events/catalog';
import { tracer } from '#shared/observability/tracer';

let client: EventBridgeClient | undefined;

export function eventBridgeClient(): EventBridgeClient {
  client ??= tracer.captureAWSv3Client(new EventBridgeClient({}));
  return client;
}

/** Detail of every event we publish carries the tenant first, so rules and consumers can scope on it. */
export type FactuEvent = {
  type: FactuEventType;
  detail: { tenantId: string } & Record<string, unknown>;
};

/** PutEvents reports per-entry failures in a 200 response; those must surface, not vanish. */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}

export async function publishEvent(event: FactuEvent): Promise<void> {
  const out = await eventBridgeClient().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: config().eventBusName,
          Source: EVENT_CATALOG[event.type].source,
          DetailType: event.type,
          Detail: JSON.stringify(event.detail),
        },
      ],
    }),
  );
  if ((out.FailedEntryCount ?? 0) > 0) {
    const entry = out.Entries?.find((e) => e.ErrorCode);
    throw new EventPublishError(
      `PutEvents failed: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`,
    );
  }
}

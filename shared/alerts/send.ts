import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { config } from '#shared/config/config';
import { sesClient } from '#shared/documents/email';
import { MetricUnit, metrics } from '#shared/observability/metrics';
import type { AlertKind } from './kinds.ts';
import type { AlertMessage } from './messages.ts';

/**
 * Sends an alert to the tenant's ADMINs, one message addressed to all of them (they are colleagues: no
 * address is hidden from another). SES refusals propagate, so the message returns to its queue.
 */
export async function sendAlertEmail(
  tenantId: string,
  kind: AlertKind,
  to: string[],
  message: AlertMessage,
): Promise<void> {
  await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: config().emailFromAddress,
      Destination: { ToAddresses: to },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
        },
      },
      EmailTags: [
        { Name: 'tenant', Value: tenantId },
        { Name: 'alert', Value: kind },
      ],
    }),
  );
  metrics.addMetric('AlertEmailsSent', MetricUnit.Count, 1);
}

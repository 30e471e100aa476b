import { authorizedDetailOf, sendDocumentEmail } from '#shared/documents/email';
import { sqsBatchHandler } from '#shared/events/sqs-batch';

/** `document.authorized` → SQS → SES with the CAFE and rFE attached; partial batch failures. */
export const handler = sqsBatchHandler('send-document-email', async (body) => {
  await sendDocumentEmail(authorizedDetailOf(body));
});

import { authorizedDetailOf, sendDocumentEmail } from '#shared/documents/email';
import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';

/** `document.authorized` → SQS → SES with the CAFE and rFE attached, as the document's tenant; partial batch failures. */
export const handler = sqsTenantBatchHandler('send-document-email', authorizedDetailOf, (detail) =>
  sendDocumentEmail(detail),
);

import { folioSyncMessageOf, syncFolios } from '#shared/documents/folios';
import { sqsTenantBatchHandler } from '#shared/events/sqs-batch';

/** Folio-sync queue → HKA FoliosRestantes → balance (+ `folios.low`), as the message's tenant; partial batch failures. */
export const handler = sqsTenantBatchHandler('sync-folios', folioSyncMessageOf, ({ tenantId }) =>
  syncFolios(tenantId),
);

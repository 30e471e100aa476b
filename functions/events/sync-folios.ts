import { folioSyncMessageOf, syncFolios } from '#shared/documents/folios';
import { sqsBatchHandler } from '#shared/events/sqs-batch';

/** Folio-sync queue → HKA FoliosRestantes → balance (+ `folios.low`); partial batch failures. */
export const handler = sqsBatchHandler('sync-folios', async (body) => {
  await syncFolios(folioSyncMessageOf(body).tenantId);
});

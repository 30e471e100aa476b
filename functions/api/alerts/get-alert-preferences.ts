import { alertOperations } from '#shared/alerts/api';
import { getAlertPreferences } from '#shared/alerts/preferences';
import { createApiHandler } from '#shared/http/handler';

/** GET /v1/alert-preferences */
export const handler = createApiHandler(alertOperations.getAlertPreferences, async ({ ctx }) => ({
  data: await getAlertPreferences(ctx),
}));

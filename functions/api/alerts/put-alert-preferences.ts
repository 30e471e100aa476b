import { alertOperations } from '#shared/alerts/api';
import { putAlertPreferences } from '#shared/alerts/preferences';
import { createApiHandler } from '#shared/http/handler';

/** PUT /v1/alert-preferences */
export const handler = createApiHandler(alertOperations.putAlertPreferences, async ({ ctx, body }) => ({
  data: await putAlertPreferences(ctx, body),
}));

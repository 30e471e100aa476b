import * as z from 'zod';
import { defineOperation } from '#shared/http/operation';
import { FORECAST_WINDOW_DAYS } from './forecast.ts';
import { ALERT_KINDS } from './kinds.ts';

export const folioForecastSchema = z
  .object({
    averageDailyUse: z.number().describe(`Folios used per day over the last ${FORECAST_WINDOW_DAYS} days`),
    runsOutOn: z
      .string()
      .nullable()
      .describe(
        'Panama date (YYYY-MM-DD) the available folios run out at that rate; null without consumption',
      ),
    windowDays: z.number(),
  })
  .nullable()
  .describe(
    'From the documents authorized in the window, counted at the last folio sync (every six hours or `POST /v1/folios/sync`); null before the first sync',
  );

export const exampleFolioForecast = { averageDailyUse: 5.27, runsOutOn: '2027-05-02', windowDays: 30 };

const alertPreferences = z.object({
  optOut: z
    .array(z.enum(ALERT_KINDS))
    .max(ALERT_KINDS.length)
    .describe('Alert kinds this ADMIN receives no e-mail for (every other kind is sent)'),
});

const preferencesResource = alertPreferences.extend({
  kinds: z.array(z.enum(ALERT_KINDS)).describe('Every alert kind, for reference'),
});

const examplePreferences = { optOut: ['webhook-disabled' as const], kinds: [...ALERT_KINDS] };

export const alertOperations = {
  getAlertPreferences: defineOperation({
    operationId: 'getAlertPreferences',
    method: 'get',
    path: '/v1/alert-preferences',
    summary: 'Your alert e-mail preferences',
    description:
      'Alerts go by e-mail to the tenant’s enabled ADMINs; each chooses the kinds it does not want. An API key receives no alerts: 403 ALERT_PREFERENCES_PERSON_ONLY.',
    tags: ['alerts'],
    permission: 'settings:manage',
    successStatus: 200,
    response: preferencesResource,
    errors: [401, 403],
    example: { response: examplePreferences },
  }),
  putAlertPreferences: defineOperation({
    operationId: 'putAlertPreferences',
    method: 'put',
    path: '/v1/alert-preferences',
    summary: 'Choose the alert kinds you receive no e-mail for',
    description: 'Replaces your opt-outs: `{"optOut": []}` receives every alert.',
    tags: ['alerts'],
    permission: 'settings:manage',
    body: alertPreferences,
    successStatus: 200,
    response: preferencesResource,
    errors: [400, 401, 403, 413, 415, 422],
    example: { body: { optOut: examplePreferences.optOut }, response: examplePreferences },
  }),
};

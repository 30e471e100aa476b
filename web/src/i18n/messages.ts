import * as batches from './messages/batches';
import * as common from './messages/common';
import * as company from './messages/company';
import * as customers from './messages/customers';
import * as documents from './messages/documents';
import * as errors from './messages/errors';
import * as folios from './messages/folios';
import * as home from './messages/home';
import * as newDocument from './messages/new-document';
import * as products from './messages/products';
import * as reports from './messages/reports';
import * as settings from './messages/settings';
import * as settingsAccess from './messages/settings-access';
import * as tenants from './messages/tenants';

/**
 * The console's texts, one file per screen under `messages/`: Spanish (Panamá) first; English has exactly the
 * same keys (each file's type says so).
 */
export const es = {
  ...common.es,
  ...home.es,
  ...documents.es,
  ...newDocument.es,
  ...settings.es,
  ...settingsAccess.es,
  ...company.es,
  ...tenants.es,
  ...customers.es,
  ...products.es,
  ...folios.es,
  ...batches.es,
  ...reports.es,
  ...errors.es,
} as const;

export type MessageKey = keyof typeof es;

export const en: Record<MessageKey, string> = {
  ...common.en,
  ...home.en,
  ...documents.en,
  ...newDocument.en,
  ...settings.en,
  ...settingsAccess.en,
  ...company.en,
  ...tenants.en,
  ...customers.en,
  ...products.en,
  ...folios.en,
  ...batches.en,
  ...reports.en,
  ...errors.en,
};

/** `{name}` placeholders filled in. */
export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

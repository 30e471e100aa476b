import type { Permission } from '#shared/tenancy/context';
import type { MessageKey } from './i18n/messages';
import { settingsSections } from './settings-sections';

/**
 * The console's menu, in the order people see it. An entry with permissions is shown only to whoever the API
 * would let do one of them (see permissions.ts).
 */
export type NavigationEntry = {
  to: string;
  label: MessageKey;
  /** Shown to whoever holds any of these (none: everyone signed in). */
  anyOf?: readonly Permission[];
  /** Highlighted only on its own path, not on the paths below it. */
  exact?: boolean;
};

export const navigation: readonly NavigationEntry[] = [
  { to: '/', label: 'nav.home', exact: true },
  { to: '/documents', label: 'nav.documents', exact: true, anyOf: ['documents:read'] },
  { to: '/documents/new', label: 'nav.new', anyOf: ['documents:issue'] },
  { to: '/batches', label: 'nav.batches', anyOf: ['documents:read'] },
  { to: '/customers', label: 'customers.nav', anyOf: ['catalogue:read'] },
  { to: '/products', label: 'products.nav', anyOf: ['catalogue:read'] },
  { to: '/folios', label: 'nav.folios', anyOf: ['documents:read'] },
  { to: '/reports', label: 'nav.reports', anyOf: ['reports:read'] },
  { to: '/settings', label: 'nav.settings', anyOf: settingsSections.map((section) => section.permission) },
  { to: '/audit', label: 'nav.audit', anyOf: ['audit:read'] },
  { to: '/tenants', label: 'nav.tenants', anyOf: ['tenants:manage'] },
];

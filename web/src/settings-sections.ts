import type { Permission } from '#shared/tenancy/context';
import type { MessageKey } from './i18n/messages';

/**
 * The sections of Configuración, in menu order, each shown only to whoever holds its permission. The first
 * section the person may open is where "Configuración" lands.
 */
export type SettingsSection = { to: string; label: MessageKey; permission: Permission };

export const settingsSections: readonly SettingsSection[] = [
  { to: '/settings/company', label: 'company.nav', permission: 'settings:manage' },
  { to: '/settings/hka', label: 'hka.nav', permission: 'settings:manage' },
  { to: '/settings/issuing', label: 'issuing.nav', permission: 'settings:manage' },
  { to: '/settings/branches', label: 'branches.nav', permission: 'settings:manage' },
  { to: '/settings/certificates', label: 'certificates.nav', permission: 'settings:manage' },
  { to: '/settings/users', label: 'users.nav', permission: 'users:manage' },
  { to: '/settings/api-keys', label: 'apiKeys.nav', permission: 'api-keys:manage' },
  { to: '/settings/webhooks', label: 'webhooks.nav', permission: 'webhooks:manage' },
  { to: '/settings/alerts', label: 'alerts.nav', permission: 'settings:manage' },
];

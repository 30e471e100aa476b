import type { Permission } from '#shared/tenancy/context';
import type { MessageKey } from './i18n/messages';

/**
 * The console's menu, in the order people see it. An entry with a permission is shown only to whoever the API
 * would let do it (see permissions.ts).
 */
export type NavigationEntry = {
  to: string;
  label: MessageKey;
  permission?: Permission;
  /** Highlighted only on its own path, not on the paths below it. */
  exact?: boolean;
};

export const navigation: readonly NavigationEntry[] = [
  { to: '/', label: 'nav.home', exact: true },
  { to: '/documents', label: 'nav.documents', exact: true },
  { to: '/documents/new', label: 'nav.new', permission: 'documents:issue' },
];

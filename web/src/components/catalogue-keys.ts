import type { MessageKey } from '../i18n/messages';

/** The catalogues that share one screen; each names its texts under this prefix. */
export type CataloguePrefix = 'customers' | 'products';

/** The texts every catalogue screen shows; each catalogue's messages file must define all of them. */
export type CatalogueText =
  | 'title'
  | 'new'
  | 'deleted'
  | 'filters'
  | 'search'
  | 'apply'
  | 'confirmDelete'
  | 'confirm'
  | 'keep'
  | 'empty'
  | 'list'
  | 'col.actions'
  | 'edit'
  | 'editLabel'
  | 'delete'
  | 'deleteLabel'
  | 'more'
  | 'createTitle'
  | 'editTitle'
  | 'fixErrors'
  | 'save'
  | 'saving'
  | 'cancel';

/** A shared text's key in one catalogue; the return type makes tsc refuse a catalogue missing one. */
export function catalogueKey(prefix: CataloguePrefix, text: CatalogueText): MessageKey {
  return `${prefix}.${text}`;
}

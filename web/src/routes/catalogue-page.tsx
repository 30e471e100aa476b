import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { Fragment, type ReactNode, useState } from 'react';
import { useSession } from '../auth/use-session';
import { failureSentence } from '../components/form-errors';
import { ListTable } from '../components/list-table';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { allowed } from '../permissions';

export type Catalogue = 'customers' | 'products';

/** What an editor says when it is done: the notice lines of a save, or nothing (cancelled). */
export type EditorDone = (notice: string[] | undefined) => void;

type Page<T> = { items: T[]; nextCursor?: string | null | undefined };

const PAGE_SIZE = 25;

/**
 * A catalogue screen (Clientes, Productos): its list searched by `q`, the editor of a new or chosen entry
 * (named in the address, `?edit=`), and deletion after a confirmation — each action shown only to who may.
 */
export function CataloguePage<T extends { id: string }>({
  catalogue,
  list,
  read,
  remove,
  nameOf,
  columns,
  editor,
}: {
  catalogue: Catalogue;
  list: (query: { limit: number; q?: string; cursor?: string }) => Promise<Page<T>>;
  read: (id: string) => Promise<T>;
  remove: (id: string) => Promise<unknown>;
  nameOf: (entry: T) => string;
  columns: { header: MessageKey; amount?: boolean; cell: (entry: T) => ReactNode }[];
  editor: (editing: T | undefined, onDone: EditorDone) => ReactNode;
}) {
  const { t, language } = useI18n();
  const route = getRouteApi(`/${catalogue}`);
  const { edit } = route.useSearch();
  const navigate = route.useNavigate();
  const canManage = allowed(useSession(), 'catalogue:manage');
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState<T | undefined>(undefined);
  const [notice, setNotice] = useState<string[]>([]);
  const openEditor = (id: string | undefined) => {
    setNotice([]);
    void navigate({ search: id === undefined ? {} : { edit: id } });
  };

  const rows = useInfiniteQuery({
    queryKey: [catalogue, 'list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      list({ limit: PAGE_SIZE, ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}) }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  // The entry being edited is read by its id: the address alone reopens its editor.
  const editedId = canManage && edit !== undefined && edit !== 'new' ? edit : undefined;
  const edited = useQuery({
    queryKey: [catalogue, 'entry', editedId],
    enabled: editedId !== undefined,
    queryFn: () => read(String(editedId)),
  });
  const deletion = useMutation({
    mutationFn: (entry: T) => remove(entry.id),
    onSuccess: async () => {
      setConfirming(undefined);
      setNotice([t(`${catalogue}.deleted`)]);
      await queryClient.invalidateQueries({ queryKey: [catalogue] });
    },
  });
  const entries = rows.data?.pages.flatMap((page) => page.items) ?? [];
  const done: EditorDone = (saved) => {
    void navigate({ search: {} });
    if (saved) setNotice(saved);
  };

  return (
    <>
      <h1>{t(`${catalogue}.title`)}</h1>
      <div aria-live="polite">
        {notice.length > 0 && (
          <div className="card" role="status">
            {notice.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        )}
      </div>
      {canManage && edit === undefined && (
        <p>
          <button type="button" onClick={() => openEditor('new')}>
            {t(`${catalogue}.new`)}
          </button>
        </p>
      )}
      {canManage && edit === 'new' && <Fragment key="new">{editor(undefined, done)}</Fragment>}
      {editedId !== undefined &&
        (edited.data ? (
          <Fragment key={edited.data.id}>{editor(edited.data, done)}</Fragment>
        ) : edited.isError ? (
          <p role="alert">{failureSentence(edited.error, language)}</p>
        ) : (
          <p>{t('common.loading')}</p>
        ))}
      <form
        className="filters"
        aria-label={t(`${catalogue}.filters`)}
        onSubmit={(event) => {
          event.preventDefault();
          setQ(typed.trim() === '' ? undefined : typed.trim());
        }}
      >
        <label>
          {t(`${catalogue}.search`)}
          <input
            type="search"
            value={typed}
            maxLength={80}
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>
        <button type="submit">{t(`${catalogue}.apply`)}</button>
      </form>
      {confirming && (
        <div className="card" role="alertdialog" aria-labelledby={`confirm-delete-${catalogue}`}>
          <p id={`confirm-delete-${catalogue}`}>
            {t(`${catalogue}.confirmDelete`, { name: nameOf(confirming) })}
          </p>
          {deletion.error && <p role="alert">{failureSentence(deletion.error, language)}</p>}
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={deletion.isPending}
              onClick={() => deletion.mutate(confirming)}
            >
              {t(`${catalogue}.confirm`)}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
              {t(`${catalogue}.keep`)}
            </button>
          </div>
        </div>
      )}
      <ListTable
        pending={rows.isPending}
        error={rows.error}
        empty={entries.length === 0 ? t(`${catalogue}.empty`) : undefined}
        caption={t(`${catalogue}.list`)}
        head={
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.amount ? 'amount' : undefined}>
                {t(column.header)}
              </th>
            ))}
            {canManage && <th scope="col">{t(`${catalogue}.col.actions`)}</th>}
          </tr>
        }
        more={{ paging: rows, label: t(`${catalogue}.more`) }}
      >
        {entries.map((entry) => (
          <tr key={entry.id}>
            {columns.map((column) => (
              <td key={column.header} className={column.amount ? 'amount' : undefined}>
                {column.cell(entry)}
              </td>
            ))}
            {canManage && (
              <td>
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t(`${catalogue}.editLabel`, { name: nameOf(entry) })}
                    onClick={() => openEditor(entry.id)}
                  >
                    {t(`${catalogue}.edit`)}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    aria-label={t(`${catalogue}.deleteLabel`, { name: nameOf(entry) })}
                    onClick={() => {
                      deletion.reset();
                      setConfirming(entry);
                    }}
                  >
                    {t(`${catalogue}.delete`)}
                  </button>
                </div>
              </td>
            )}
          </tr>
        ))}
      </ListTable>
    </>
  );
}

/** The save and cancel buttons of a catalogue editor; cancelling forgets the editor's kept draft. */
export function EditorActions({
  catalogue,
  saving,
  onCancel,
}: {
  catalogue: Catalogue;
  saving: boolean;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="actions">
      <button type="submit" disabled={saving}>
        {saving ? t(`${catalogue}.saving`) : t(`${catalogue}.save`)}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {t(`${catalogue}.cancel`)}
      </button>
    </div>
  );
}

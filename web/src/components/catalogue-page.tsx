import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type ReactNode, useState } from 'react';
import { useSession } from '../auth/use-session';
import { useI18n } from '../i18n/i18n';
import { allowed } from '../permissions';
import { CatalogueDeleteQuestion } from './catalogue-delete-question';
import { type CataloguePrefix, type CatalogueText, catalogueKey } from './catalogue-keys';
import { CatalogueSearch } from './catalogue-search';

/** One page of a catalogue's list as the API answers it. */
export type CatalogueListPage<Item> = { items: Item[]; nextCursor?: string | null };

/** What the page asks of a catalogue's editor: `onDone` carries the lines to announce, or nothing if cancelled. */
export type CatalogueEditorProps<Item> = {
  editing: Item | undefined;
  onDone: (notice: string[] | undefined) => void;
};

type Editing<Item> = { item: Item | undefined } | undefined;

/**
 * A catalogue screen (Clientes, Productos): searched, paged by cursor, and created, edited and deleted by who may.
 * The catalogue brings its texts (under `prefix`), its API calls, its columns and its editor; the query key is the
 * prefix, so an editor invalidating `[prefix]` refreshes this list.
 */
export function CataloguePage<Item extends { id: string }>({
  prefix,
  noun,
  fetchPage,
  remove: removeItem,
  nameOf,
  headers,
  cells,
  Editor,
}: {
  prefix: CataloguePrefix;
  /** Singular, for the id that names the delete question's dialog. */
  noun: string;
  fetchPage: (page: {
    q: string | undefined;
    cursor: string | undefined;
  }) => Promise<CatalogueListPage<Item>>;
  remove: (item: Item) => Promise<unknown>;
  /** How the item is named in the confirmation and in the row buttons' accessible names. */
  nameOf: (item: Item) => string;
  /** The column headers before the actions column. */
  headers: ReactNode;
  cells: (item: Item) => ReactNode;
  Editor: ComponentType<CatalogueEditorProps<Item>>;
}) {
  const { t } = useI18n();
  const text = (key: CatalogueText, values?: Record<string, string>) => t(catalogueKey(prefix, key), values);
  const canManage = allowed(useSession(), 'catalogue:manage');
  const queryClient = useQueryClient();
  const [q, setQ] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<Editing<Item>>(undefined);
  const [confirming, setConfirming] = useState<Item | undefined>(undefined);
  const [notice, setNotice] = useState<string[]>([]);

  const list = useInfiniteQuery({
    queryKey: [prefix, 'list', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage({ q, cursor: pageParam }),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: removeItem,
    onSuccess: async () => {
      setConfirming(undefined);
      setNotice([text('deleted')]);
      await queryClient.invalidateQueries({ queryKey: [prefix] });
    },
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1>{text('title')}</h1>
      <div aria-live="polite">
        {notice.length > 0 && (
          <div className="card" role="status">
            {notice.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
        )}
      </div>
      {canManage && editing === undefined && (
        <p>
          <button
            type="button"
            onClick={() => {
              setNotice([]);
              setEditing({ item: undefined });
            }}
          >
            {text('new')}
          </button>
        </p>
      )}
      {canManage && editing !== undefined && (
        <Editor
          key={editing.item?.id ?? 'new'}
          editing={editing.item}
          onDone={(saved) => {
            setEditing(undefined);
            if (saved) setNotice(saved);
          }}
        />
      )}
      <CatalogueSearch prefix={prefix} onSearch={setQ} />
      {confirming && (
        <CatalogueDeleteQuestion
          prefix={prefix}
          noun={noun}
          name={nameOf(confirming)}
          error={remove.error}
          pending={remove.isPending}
          onConfirm={() => remove.mutate(confirming)}
          onKeep={() => setConfirming(undefined)}
        />
      )}
      {list.isPending ? (
        <p>{t('common.loading')}</p>
      ) : list.isError ? (
        <p role="alert">{list.error.message}</p>
      ) : rows.length === 0 ? (
        <p>{text('empty')}</p>
      ) : (
        <div className="scroll-x">
          <table className="list">
            <caption className="visually-hidden">{text('list')}</caption>
            <thead>
              <tr>
                {headers}
                {canManage && <th scope="col">{text('col.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => (
                <tr key={item.id}>
                  {cells(item)}
                  {canManage && (
                    <td>
                      <div className="actions">
                        <button
                          type="button"
                          className="secondary"
                          aria-label={text('editLabel', { name: nameOf(item) })}
                          onClick={() => {
                            setNotice([]);
                            setEditing({ item });
                          }}
                        >
                          {text('edit')}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-label={text('deleteLabel', { name: nameOf(item) })}
                          onClick={() => {
                            remove.reset();
                            setConfirming(item);
                          }}
                        >
                          {text('delete')}
                        </button>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="secondary"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {text('more')}
        </button>
      )}
    </>
  );
}

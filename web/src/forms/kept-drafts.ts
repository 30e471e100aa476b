/**
 * What a person typed into a form, kept in this tab's sessionStorage while they sign in again: a reload or an
 * expired session leaves the page (tokens live in memory only), and the form comes back filled. Each draft
 * names its owner (the person's `sub`), so a colleague signing in on the same tab never sees it; signing out
 * forgets every draft. Secrets (HKA tokens, certificate PINs) and files are never kept: forms holding them
 * keep only their other fields, or nothing.
 */
const PREFIX = 'factu.draft.';

type Kept = { owner: string; value: unknown };

const keyOf = (name: string) => `${PREFIX}${name}`;

/** The kept draft of `name` if `owner` wrote it and `accept` still recognises its shape (a newer form may not). */
export function readDraft<T>(
  storage: Pick<Storage, 'getItem'>,
  name: string,
  owner: string,
  accept: (value: unknown) => T | undefined,
): T | undefined {
  try {
    const kept = JSON.parse(storage.getItem(keyOf(name)) ?? 'null') as Partial<Kept> | null;
    return kept?.owner === owner ? accept(kept.value) : undefined;
  } catch {
    return undefined;
  }
}

export function writeDraft(
  storage: Pick<Storage, 'setItem'>,
  name: string,
  owner: string,
  value: unknown,
): void {
  storage.setItem(keyOf(name), JSON.stringify({ owner, value } satisfies Kept));
}

export function forgetDraft(storage: Pick<Storage, 'removeItem'>, name: string): void {
  storage.removeItem(keyOf(name));
}

/** Every kept draft of this tab (signing out). */
export function forgetAllDrafts(storage: Storage): void {
  const keys = Array.from({ length: storage.length }, (_, index) => storage.key(index));
  for (const key of keys) if (key?.startsWith(PREFIX)) storage.removeItem(key);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The default shape check: a kept value of the initial value's kind. A kept object takes the initial
 * object's fields it lacks (kept by an earlier version of the form) and only those fields (a field the form
 * no longer has is dropped), each with the initial value's type.
 */
export function sameShapeAs<T>(initial: T): (value: unknown) => T | undefined {
  return (value) => {
    if (isRecord(initial)) {
      if (!isRecord(value)) return undefined;
      const merged = Object.fromEntries(
        Object.entries(initial).map(([field, fallback]) => {
          const kept = value[field];
          const fits =
            kept !== undefined &&
            (fallback === undefined ||
              (Array.isArray(fallback) ? Array.isArray(kept) : typeof kept === typeof fallback));
          return [field, fits ? kept : fallback];
        }),
      );
      return merged as T;
    }
    if (Array.isArray(initial)) return Array.isArray(value) ? (value as T) : undefined;
    return typeof value === typeof initial ? (value as T) : undefined;
  };
}

import { type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/use-session';
import { forgetDraft, readDraft, sameShapeAs, writeDraft } from './kept-drafts';

/**
 * A form's state that survives leaving the page in this tab (see kept-drafts.ts). Only what the person
 * changed is kept: an untouched form holding the server's values is never written, so it shows fresh values
 * on the next visit. `discard` forgets the kept draft once the form is done with (saved, cancelled) and sets
 * the form to `next` or its initial value.
 *
 * `name` says which form and which record (`customer:new`, `customer:<id>`); `accept` checks a kept value's
 * shape (by default: the initial value's shape, fields added since filled from it).
 */
export function useKeptDraft<T>(
  name: string,
  initial: () => T,
  accept?: (value: unknown) => T | undefined,
): [T, (next: SetStateAction<T>) => void, (next?: T) => void] {
  const owner = useSession()?.subject;
  const initialValue = useRef(initial);
  initialValue.current = initial;
  const [state, setState] = useState(() => {
    const fresh = initial();
    const kept = owner ? readDraft(sessionStorage, name, owner, accept ?? sameShapeAs(fresh)) : undefined;
    return kept === undefined ? { value: fresh, changed: false } : { value: kept, changed: true };
  });

  useEffect(() => {
    if (state.changed && owner) writeDraft(sessionStorage, name, owner, state.value);
  }, [state, name, owner]);

  const update = useCallback(
    (next: SetStateAction<T>) =>
      setState((previous) => ({
        value: typeof next === 'function' ? (next as (value: T) => T)(previous.value) : next,
        changed: true,
      })),
    [],
  );
  const discard = useCallback(
    (next?: T) => {
      forgetDraft(sessionStorage, name);
      setState({ value: next ?? initialValue.current(), changed: false });
    },
    [name],
  );
  return [state.value, update, discard];
}

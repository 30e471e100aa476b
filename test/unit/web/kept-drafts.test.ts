import { describe, expect, it } from 'vitest';
import {
  forgetAllDrafts,
  forgetDraft,
  readDraft,
  sameShapeAs,
  writeDraft,
} from '../../../web/src/forms/kept-drafts';

/** A Storage over a Map, as the browser's sessionStorage behaves. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

const emptyCustomer = () => ({ name: '', ruc: '', emails: [] as string[], type: 'contributor' });

describe('kept form drafts', () => {
  it('gives a draft back to the person who wrote it and to nobody else', () => {
    // Prepare
    const storage = memoryStorage();
    const accept = sameShapeAs(emptyCustomer());

    // Act
    writeDraft(storage, 'customer:new', 'sub-ana', { ...emptyCustomer(), name: 'Ferretería Ana' });

    // Assess
    expect(readDraft(storage, 'customer:new', 'sub-ana', accept)?.name).toBe('Ferretería Ana');
    expect(readDraft(storage, 'customer:new', 'sub-luis', accept)).toBeUndefined();
    expect(readDraft(storage, 'product:new', 'sub-ana', accept)).toBeUndefined();
  });

  it('fills fields a newer form added, drops fields it removed, and refuses values of another type', () => {
    // Prepare
    const storage = memoryStorage();
    storage.setItem(
      'factu.draft.customer:new',
      JSON.stringify({ owner: 'sub-ana', value: { name: 'Ana', ruc: 155, removed: 'x', emails: 'no-list' } }),
    );

    // Act
    const kept = readDraft(storage, 'customer:new', 'sub-ana', sameShapeAs(emptyCustomer()));

    // Assess: the name kept; the number where a string belongs and the string where a list belongs fall back
    expect(kept).toEqual({ name: 'Ana', ruc: '', emails: [], type: 'contributor' });
  });

  it('reads a broken or foreign entry as no draft', () => {
    // Prepare
    const storage = memoryStorage();
    storage.setItem('factu.draft.a', '{broken');
    storage.setItem('factu.draft.b', JSON.stringify({ owner: 'sub-ana', value: 'text' }));

    // Act
    const broken = readDraft(storage, 'a', 'sub-ana', sameShapeAs(emptyCustomer()));
    const otherShape = readDraft(storage, 'b', 'sub-ana', sameShapeAs(emptyCustomer()));

    // Assess
    expect(broken).toBeUndefined();
    expect(otherShape).toBeUndefined();
    expect(sameShapeAs(['a'])(['b', 'c'])).toEqual(['b', 'c']);
    expect(sameShapeAs('')(3)).toBeUndefined();
  });

  it('forgets one draft when its form is done, and every draft (only drafts) at sign-out', () => {
    // Prepare
    const storage = memoryStorage();
    writeDraft(storage, 'customer:new', 'sub-ana', emptyCustomer());
    writeDraft(storage, 'webhook:new', 'sub-ana', { url: 'https://erp.example.com/hooks' });
    writeDraft(storage, 'users:invite', 'sub-ana', { email: 'luis@example.com' });
    storage.setItem('factu.signin', '{"state":"s"}');

    // Act
    forgetDraft(storage, 'customer:new');
    const afterSave = storage.length;
    forgetAllDrafts(storage);

    // Assess
    expect(afterSave).toBe(3);
    expect(storage.length).toBe(1);
    expect(storage.getItem('factu.signin')).toBe('{"state":"s"}');
  });
});

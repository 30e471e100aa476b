import { type UseMutationResult, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import { type FieldErrors, mapErrorDetails } from '../api/error-paths';
import { useIdempotencyKey } from '../api/idempotency';
import { useI18n } from '../i18n/i18n';
import type { CataloguePrefix } from './catalogue-keys';

/**
 * Saving a catalogue editor's draft: created under an Idempotency-Key (a double click or a retry creates once) or
 * replaced by id. The catalogue's list (query key `[prefix]`) is refreshed before `onSaved`, so the row shown is
 * the saved one; a refusal's details land on the form's fields.
 */
export function useCatalogueSave<Body, Saved>({
  prefix,
  editingId,
  fields,
  create,
  replace,
  onSaved,
}: {
  prefix: CataloguePrefix;
  editingId: string | undefined;
  /** The form's field paths, where the API's refusal details are placed. */
  fields: Iterable<string>;
  create: (body: Body, header: { 'Idempotency-Key': string }) => Promise<Saved>;
  replace: (id: string, body: Body) => Promise<Saved>;
  onSaved: (saved: Saved) => void;
}): { save: UseMutationResult<Saved, Error, Body>; errors: FieldErrors } {
  const { language } = useI18n();
  const queryClient = useQueryClient();
  const idempotencyKey = useIdempotencyKey();
  const save = useMutation({
    mutationFn: (body: Body) =>
      editingId ? replace(editingId, body) : create(body, idempotencyKey.header()),
    onError: (error) => idempotencyKey.answered(error),
    onSuccess: async (saved) => {
      idempotencyKey.answered();
      await queryClient.invalidateQueries({ queryKey: [prefix] });
      onSaved(saved);
    },
  });
  const errors =
    save.error instanceof ApiError
      ? mapErrorDetails(save.error.details, fields, language)
      : { fields: {}, form: [] };
  return { save, errors };
}

import { type ReactNode, useId } from 'react';

/**
 * A labelled control with its errors tied to it (`aria-describedby`, `aria-invalid`), so a screen reader
 * announces the API's message where the sighted person sees it.
 */
export function Field({
  id: givenId,
  label,
  errors,
  children,
}: {
  /** The control's id when something else links to it (a form's error summary). */
  id?: string;
  label: string;
  errors: string[] | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const ownId = useId();
  const id = givenId ?? ownId;
  const errorId = `${id}-error`;
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': invalid, ...(invalid ? { 'aria-describedby': errorId } : {}) })}
      {invalid && (
        <p className="field-error" id={errorId}>
          {errors?.join(' · ')}
        </p>
      )}
    </div>
  );
}

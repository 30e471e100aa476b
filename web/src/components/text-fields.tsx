import { Field } from './field';
import type { FormErrorState } from './form-error-summary';

/**
 * A form's plain text inputs, one per name of a draft of strings, each labelled and holding its API errors
 * (the labels are those the form declared for its errors).
 */
export function TextFields<Name extends string>({
  names,
  draft,
  form,
  onChange,
  typeOf = () => 'text',
}: {
  names: readonly Name[];
  draft: Readonly<Record<Name, string>>;
  form: FormErrorState;
  onChange(name: Name, value: string): void;
  typeOf?: (name: Name) => 'text' | 'email';
}) {
  return names.map((name) => (
    <Field key={name} {...form.field(name)}>
      {(props) => (
        <input
          {...props}
          name={name}
          type={typeOf(name)}
          value={draft[name]}
          onChange={(event) => onChange(name, event.target.value)}
        />
      )}
    </Field>
  ));
}

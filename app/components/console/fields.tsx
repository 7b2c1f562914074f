import { getSelectProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { useErrorText } from "~/components/ui/field";

/**
 * A labelled select and textarea in the style of `~/components/ui/field` (errors announced,
 * hint linked with aria-describedby), for the operator console's forms.
 */
function describedBy(id: string, invalid: boolean, hint: ReactNode) {
  return [invalid ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
}

function FieldFoot({ id, hint, errors }: { id: string; hint?: ReactNode; errors?: string[] }) {
  const errorText = useErrorText();
  return (
    <>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {errorText(errors)}
        </p>
      ) : null}
    </>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectField({
  label,
  errors,
  hint,
  id,
  choices,
  placeholder,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  errors?: string[];
  hint?: ReactNode;
  id: string;
  choices: readonly Choice[];
  placeholder?: string;
}) {
  const invalid = Boolean(errors?.length);
  const defaultValue = select.multiple ? select.defaultValue : firstValue(select.defaultValue);
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, invalid, hint)}
        {...select}
        defaultValue={defaultValue}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldFoot id={id} hint={hint} errors={errors} />
    </div>
  );
}

export function TextareaField({
  label,
  errors,
  hint,
  id,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; errors?: string[]; hint?: ReactNode; id: string }) {
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy(id, invalid, hint)} {...textarea} />
      <FieldFoot id={id} hint={hint} errors={errors} />
    </div>
  );
}

/**
 * What a single select shows of a posted value. A form shown again with what was posted gets a list
 * for a field sent twice (forged or doubled); a single select shows its first (React warns otherwise).
 */
export function firstValue<T>(value: T | readonly T[]): T | undefined {
  return Array.isArray(value) ? (value as readonly T[])[0] : (value as T);
}

/** conform's select props without React's `key`, plus the field's errors. */
export function selectProps<Schema>(meta: FieldMetadata<Schema>) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...props } = getSelectProps(meta);
  return { ...props, errors: meta.errors };
}

export function textareaProps<Schema>(meta: FieldMetadata<Schema>) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...props } = getTextareaProps(meta);
  return { ...props, errors: meta.errors };
}

/** A checkbox with its label beside it; a ticked box posts "on". */
export function CheckboxField({
  label,
  hint,
  id,
  name,
  defaultChecked,
}: {
  label: ReactNode;
  hint?: ReactNode;
  id: string;
  name: string;
  defaultChecked?: boolean;
}) {
  return (
    <div className="checkbox-field">
      <div className="checkbox">
        <input type="checkbox" id={id} name={name} defaultChecked={defaultChecked} aria-describedby={hint ? `${id}-hint` : undefined} />
        <label htmlFor={id}>{label}</label>
      </div>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

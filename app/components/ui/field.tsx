import { getInputProps, type FieldMetadata } from "@conform-to/react";
import type { InputHTMLAttributes, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { matchSentence, SENTENCE_KEY, VALIDATION_NS } from "~/lib/i18n";

/**
 * Error messages in the person's language: each English sentence is looked up in the `validation`
 * namespace (decision 037), one not there shows as written. Used wherever errors are shown.
 */
export function useErrorText(): (errors: string[] | undefined) => string {
  const { t, i18n } = useTranslation("validation");
  const sentence = (message: string) => {
    if (i18n.exists(message, SENTENCE_KEY)) return t(message, SENTENCE_KEY);
    // A sentence with values inside: its key names them ("At most {{amount}} is left to refund.").
    const found = matchSentence(Object.keys(i18n.getResourceBundle(i18n.language, VALIDATION_NS) ?? {}), message);
    return found ? t(found.key, { ...SENTENCE_KEY, ...found.values }) : message;
  };
  return (errors) => (errors ?? []).map(sentence).join(" ");
}

/**
 * A labelled input with its errors announced to screen readers. Works with conform's
 * `getInputProps` (pass them through) and without JavaScript (server-rendered errors).
 */
export function Field({
  label,
  errors,
  hint,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; errors?: string[]; hint?: ReactNode; id: string }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  const errorText = useErrorText();
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={[invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={errorId} role="alert">
          {errorText(errors)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A box that must be ticked (terms, consent) with its label beside it and its error announced the
 * way a field's is. Takes conform's input props as they are (`inputProps(meta, { type: "checkbox" })`).
 */
export function ConsentField({
  label,
  errors,
  id,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; errors?: string[]; id: string }) {
  const errorId = `${id}-error`;
  const invalid = Boolean(errors?.length);
  const errorText = useErrorText();
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <div className="checkbox">
        <input type="checkbox" id={id} aria-invalid={invalid || undefined} aria-describedby={invalid ? errorId : undefined} {...input} />
        <label htmlFor={id}>{label}</label>
      </div>
      {invalid ? (
        <p className="field-error" id={errorId} role="alert">
          {errorText(errors)}
        </p>
      ) : null}
    </div>
  );
}

/** conform's input props without React's `key` (which must not be spread). */
export function inputProps<Schema>(meta: FieldMetadata<Schema>, options: Parameters<typeof getInputProps>[1]) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { key, ...props } = getInputProps(meta, options);
  return { ...props, errors: meta.errors };
}

import type { ReactNode } from "react";
import { useErrorText } from "~/components/ui/field";

export interface BankChoice {
  code: string;
  name: string;
  available: boolean;
}

/**
 * An FPX bank or e-wallet picker from the provider's live list: a bank that is offline is shown,
 * greyed out and not choosable, so the member sees why their bank is missing.
 */
export function BankSelect({
  id,
  name,
  label,
  hint,
  placeholder,
  offline,
  banks,
  defaultValue,
  errors,
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  placeholder: string;
  /** How an offline bank is named ("Maybank2u (offline now)"). */
  offline: (bank: string) => string;
  banks: BankChoice[];
  defaultValue?: string;
  errors?: string[];
}) {
  const errorText = useErrorText();
  const invalid = Boolean(errors?.length);
  const describedBy = [invalid ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} aria-invalid={invalid || undefined} aria-describedby={describedBy}>
        <option value="">{placeholder}</option>
        {banks.map((b) => (
          <option key={b.code} value={b.code} disabled={!b.available}>
            {b.available ? b.name : offline(b.name)}
          </option>
        ))}
      </select>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {errorText(errors)}
        </p>
      ) : null}
    </div>
  );
}

import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
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

/** The bank or wallet code the chosen method needs, from the form's two pickers (`bank`, `wallet`). */
export function bankCodeOf(value: { method: string; bank?: string; wallet?: string }): string | undefined {
  return value.method === "fpx" ? value.bank : value.method === "ewallet" ? value.wallet : undefined;
}

/** `startPayment`'s field errors with a refused bank put on the picker the member used. */
export function pickerErrors(method: string, fieldErrors: Record<string, string[]> = {}): Record<string, string[]> {
  const { bankCode, ...errors } = fieldErrors;
  if (bankCode) errors[method === "ewallet" ? "wallet" : "bank"] = bankCode;
  return errors;
}

/**
 * The FPX bank and e-wallet pickers of a pay form (checkout, an instalment, a change of cover), for
 * the methods offered; fields `bank` and `wallet`, read back with `bankCodeOf`.
 */
export function BankPickers({
  idPrefix,
  methods,
  banks,
  wallets,
  defaults,
  errors,
}: {
  idPrefix: string;
  methods: string[];
  banks: BankChoice[];
  wallets: BankChoice[];
  defaults?: { bank?: string; wallet?: string };
  errors?: { bank?: string[]; wallet?: string[] };
}) {
  const { t } = useTranslation("checkout");
  const offline = (bank: string) => t("pay.bankOffline", { bank });
  return (
    <>
      {methods.includes("fpx") ? (
        banks.length ? (
          <BankSelect
            id={`${idPrefix}-bank`}
            name="bank"
            label={t("pay.bank")}
            hint={t("pay.bankHint")}
            placeholder={t("pay.chooseBank")}
            offline={offline}
            banks={banks}
            defaultValue={defaults?.bank}
            errors={errors?.bank}
          />
        ) : (
          <p className="muted small">{t("pay.noBanks")}</p>
        )
      ) : null}
      {methods.includes("ewallet") && wallets.length ? (
        <BankSelect
          id={`${idPrefix}-wallet`}
          name="wallet"
          label={t("pay.wallet")}
          hint={t("pay.walletHint")}
          placeholder={t("pay.chooseWallet")}
          offline={offline}
          banks={wallets}
          defaultValue={defaults?.wallet}
          errors={errors?.wallet}
        />
      ) : null}
    </>
  );
}

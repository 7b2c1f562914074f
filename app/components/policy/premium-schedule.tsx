import type { PaymentMethod } from "~db/schema";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, Link, useNavigation } from "@remix-run/react";
import { z } from "zod";
import type { InstalmentStatus } from "~db/schema";
import { InstalmentBadge } from "~/components/account/status";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { lineText } from "~/lib/text";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { BankPickers, type BankChoice } from "~/components/payments/bank-select";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

/** How the customer pays (an instalment, a change of cover's additional premium): the method, and the M-Pesa phone. */
export const payWithFields = {
  method: z.enum(["mpesa", "card", "fpx", "ewallet", "paypal"], {
    required_error: "Choose how to pay",
    invalid_type_error: "Choose how to pay",
  }),
  phone: lineText().max(40, "Enter a Kenyan mobile number, like 0712 345 678.").optional(),
  /** FPX: the bank; e-wallets: the wallet (checked against the provider's list when the payment starts). */
  bank: lineText().max(32).optional(),
  wallet: lineText().max(32).optional(),
};

/** An M-Pesa payment needs a Kenyan mobile number. */
export function checkMpesaPhone(value: { method: string; phone?: string }, ctx: z.RefinementCtx) {
  if (value.method !== "mpesa") return;
  const phone = normaliseKenyanPhone(value.phone ?? "");
  if (!phone.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["phone"], message: phone.message });
}

/** The customer's instalment payment form (the policy page's action reads it with the same schema). */
export const payInstalmentSchema = z
  .object({ instalmentId: lineText("Choose the instalment to pay").uuid("Choose the instalment to pay"), ...payWithFields })
  .superRefine(checkMpesaPhone);

export interface InstalmentView {
  id: string;
  sequence: number;
  dueDate: string;
  amount: string;
  status: InstalmentStatus;
  paidAt: string | null;
  payable: boolean;
}

export interface PayableView {
  id: string;
  sequence: number;
  dueDate: string;
  amount: string;
  status: string;
  pendingTransactionId: string | null;
}

type PayOption = { method: PaymentMethod; label: string };

/** The ways to pay as the reader says them (`t` of the `account` namespace): the method, and whether it is the sandbox. */
export function payOptionsIn(t: TFunction, options: { method: PaymentMethod; provider: string }[]): PayOption[] {
  return options.map((o) => {
    const method = t(`method.${o.method}`);
    return { method: o.method, label: o.provider === "sandbox" ? t("sandboxMethod", { method }) : method };
  });
}

/** The instalments of the policy and, when one may be paid now, the form to pay it. */
export function PremiumSchedule({
  instalments,
  payable,
  options,
  defaultPhone,
  lastResult,
  banks = [],
  wallets = [],
}: {
  instalments: InstalmentView[];
  payable: PayableView | null;
  options: PayOption[];
  defaultPhone: string;
  lastResult?: SubmissionResult<string[]>;
  /** FPX banks and e-wallets from the provider's live list, when those methods are offered. */
  banks?: BankChoice[];
  wallets?: BankChoice[];
}) {
  const { t } = useTranslation("policy");
  return (
    <section className="card" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t("schedule.title")}</h2>
      {instalments.length === 0 ? (
        <p className="muted">{t("schedule.setWhenIssued")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("schedule.instalment")}</th>
                <th scope="col">{t("schedule.due")}</th>
                <th scope="col" className="num">
                  {t("schedule.amount")}
                </th>
                <th scope="col">{t("schedule.status")}</th>
              </tr>
            </thead>
            <tbody>
              {instalments.map((i) => (
                <tr key={i.id} className={i.payable ? "chosen" : undefined}>
                  <td data-label={t("schedule.instalment")}>{i.sequence}</td>
                  <td data-label={t("schedule.due")}>{i.dueDate}</td>
                  <td data-label={t("schedule.amount")} className="num">
                    {i.amount}
                  </td>
                  <td data-label={t("schedule.status")}>
                    <span>
                      <InstalmentBadge status={i.status} />
                      {i.paidAt ? <span className="muted small"> {i.paidAt}</span> : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payable ? (
        <PayInstalment
          payable={payable}
          options={options}
          defaultPhone={defaultPhone}
          lastResult={lastResult}
          banks={banks}
          wallets={wallets}
        />
      ) : null}
    </section>
  );
}

function PayInstalment({
  payable,
  options,
  defaultPhone,
  lastResult,
  banks,
  wallets,
}: {
  payable: PayableView;
  options: PayOption[];
  defaultPhone: string;
  lastResult?: SubmissionResult<string[]>;
  banks: BankChoice[];
  wallets: BankChoice[];
}) {
  const { t } = useTranslation("policy");
  const errorText = useErrorText();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "pay-instalment",
    lastResult,
    constraint: getZodConstraint(payInstalmentSchema),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    defaultValue: { instalmentId: payable.id, method: options[0]?.method, phone: defaultPhone },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: payInstalmentSchema }),
  });
  const heading = t("schedule.payHeading", { sequence: payable.sequence, amount: payable.amount, date: payable.dueDate });
  if (options.length === 0) {
    return <p className="section-actions muted">{t("schedule.noOnlinePayment", { sequence: payable.sequence, amount: payable.amount })}</p>;
  }
  const method = fields.method.value ?? options[0]?.method;
  return (
    <Form method="post" {...getFormProps(form)} className="section-actions pay-form" aria-labelledby="pay-title">
      <h3 id="pay-title">{heading}</h3>
      {payable.pendingTransactionId ? (
        <Alert tone="info" title={t("schedule.inProgress", { sequence: payable.sequence })}>
          <Link to={`/account/payments/${payable.pendingTransactionId}`}>{t("schedule.seeStatus")}</Link>, {t("schedule.payAgain")}
        </Alert>
      ) : null}
      <FormErrors errors={form.errors} />
      <input type="hidden" name={fields.instalmentId.name} value={payable.id} />
      <fieldset
        className={`field${fields.method.errors?.length ? " field-invalid" : ""}`}
        aria-describedby={fields.method.errors?.length ? "pay-method-error" : undefined}
      >
        <legend>{t("schedule.payWith")}</legend>
        {options.map((o) => (
          <label key={o.method} className="checkbox">
            <input type="radio" name={fields.method.name} value={o.method} defaultChecked={fields.method.initialValue === o.method} />{" "}
            {o.label}
          </label>
        ))}
        {fields.method.errors?.length ? (
          <p className="field-error" id="pay-method-error" role="alert">
            {errorText(fields.method.errors)}
          </p>
        ) : null}
      </fieldset>
      {options.some((o) => o.method === "mpesa") && method === "mpesa" ? (
        <Field
          label={t("schedule.mpesaPhone")}
          {...inputProps(fields.phone, { type: "tel" })}
          autoComplete="tel"
          hint={t("schedule.mpesaHint")}
        />
      ) : null}
      <BankPickers
        idPrefix="pay-instalment"
        methods={options.map((o) => o.method)}
        banks={banks}
        wallets={wallets}
        errors={{ bank: fields.bank.errors, wallet: fields.wallet.errors }}
      />
      <div className="actions">
        <Button type="submit" busy={navigation.state === "submitting"}>
          {t("schedule.pay", { amount: payable.amount })}
        </Button>
      </div>
    </Form>
  );
}

import { Form, useNavigation } from "@remix-run/react";
import { RatingFields } from "~/components/quote-form";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { formatMoney } from "~/lib/money";
import type { FieldDescription } from "~/modules/rating";
import { useTranslation } from "react-i18next";

export interface ChangePreviewView {
  effectiveDate: string;
  changes: { label: string; from: string; to: string }[];
  oldAnnual: string;
  newAnnual: string;
  deltaMinor: number;
  /** The change's amount either way (no sign), formatted: the page says whether it is paid or returned. */
  deltaAmount: string;
}

/**
 * The change-of-cover form: the change date and the inputs this person may change, then the price
 * of the change before it is confirmed. One page, plain POSTs (intent "price", then "confirm"),
 * so it works without JavaScript; confirming re-prices on the server.
 */
export function ChangeCoverForm({
  fields,
  values,
  errors,
  currency,
  locale,
  effectiveDate,
  minDate,
  maxDate,
  preview,
  staff = false,
}: {
  fields: FieldDescription[];
  values: Record<string, unknown>;
  errors: Record<string, string[]>;
  currency: string;
  locale: string;
  effectiveDate: string;
  minDate: string;
  maxDate: string;
  preview: ChangePreviewView | null;
  staff?: boolean;
}) {
  const { t } = useTranslation("policy");
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const id = (name: string) => `change-${name.replace(/[[\].]+/g, "-")}`;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <Form method="post" className="quote-form change-cover" aria-labelledby="change-title">
      <h2 id="change-title">{t("change.whatChanges")}</h2>
      <FormErrors errors={errors.form ?? errors[""]} />
      <Field
        id={id("effectiveDate")}
        name="effectiveDate"
        label={t("change.effectiveOn")}
        type="date"
        min={minDate}
        max={maxDate}
        defaultValue={effectiveDate}
        errors={errors.effectiveDate}
        hint={staff ? t("change.effectiveHintStaff") : t("change.effectiveHint")}
      />
      <RatingFields fields={fields} values={values} errors={errors} id={id} money={money} currency={currency} />
      {staff ? (
        <Field
          id={id("reason")}
          name="reason"
          label={t("change.reason")}
          defaultValue={String(values.reason ?? "")}
          errors={errors.reason}
        />
      ) : null}
      {preview ? (
        <section className="card" aria-labelledby="change-price-title" aria-live="polite">
          <h3 id="change-price-title">{t("change.priceTitle")}</h3>
          <ul>
            {preview.changes.map((c) => (
              <li key={c.label}>
                {c.label}: {c.from} → <strong>{c.to}</strong>
              </li>
            ))}
          </ul>
          <p>
            {t("change.annualPremium")} {preview.oldAnnual} → <strong>{preview.newAnnual}</strong>{" "}
            {t("change.from", { date: preview.effectiveDate })}
          </p>
          <Alert
            tone={preview.deltaMinor > 0 ? "warning" : "info"}
            title={
              preview.deltaMinor > 0
                ? t("change.payNow", { amount: preview.deltaAmount })
                : preview.deltaMinor < 0
                  ? t("change.returned", { amount: preview.deltaAmount })
                  : t("change.nothing")
            }
          >
            {preview.deltaMinor > 0 ? t("change.oncePaid") : preview.deltaMinor < 0 ? t("change.goesBack") : t("change.onConfirm")}
          </Alert>
          <input type="hidden" name="quotedDeltaMinor" value={preview.deltaMinor} />
        </section>
      ) : null}
      <div className="actions">
        {preview ? (
          <Button type="submit" name="intent" value="confirm" busy={busy}>
            {t("change.confirm")}
          </Button>
        ) : null}
        <Button type="submit" name="intent" value="price" variant={preview ? "secondary" : undefined} busy={busy}>
          {preview ? t("change.priceAgain") : t("change.seePrice")}
        </Button>
      </div>
    </Form>
  );
}

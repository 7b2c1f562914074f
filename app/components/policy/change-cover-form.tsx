// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { Form, useNavigation } from "@remix-run/react";
import { RatingFields } from "~/components/quote-form";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { formatMoney } from "~/lib/money";
import type { FieldDescription } from "~/modules/rating";

export interface ChangePreviewView {
  effectiveDate: string;
  changes: { label: string; from: string; to: string }[];
  oldAnnual: string;
  newAnnual: string;
  deltaMinor: number;
  /** "You pay KES 1,234.00 now" / "KES 500.00 comes back to you" / "Nothing to pay or refund". */
  money: string;
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
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const id = (name: string) => `change-${name.replace(/[[\].]+/g, "-")}`;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <Form method="post" className="quote-form change-cover" aria-labelledby="change-title">
      <h2 id="change-title">What changes</h2>
      <FormErrors errors={errors.form ?? errors[""]} />
      <Field
        id={id("effectiveDate")}
        name="effectiveDate"
        label="The change takes effect on"
        type="date"
        min={minDate}
        max={maxDate}
        defaultValue={effectiveDate}
        errors={errors.effectiveDate}
        hint={staff ? "Any day within the cover, not before the last change." : "Today or a later day before the cover ends."}
      />
      <RatingFields fields={fields} values={values} errors={errors} id={id} money={money} currency={currency} />
      {staff ? (
        <Field
          id={id("reason")}
          name="reason"
          label="Reason (optional)"
          defaultValue={String(values.reason ?? "")}
          errors={errors.reason}
        />
      ) : null}
      {preview ? (
        <section className="card" aria-labelledby="change-price-title" aria-live="polite">
          <h3 id="change-price-title">The price of this change</h3>
          <ul>
            {preview.changes.map((c) => (
              <li key={c.label}>
                {c.label}: {c.from} → <strong>{c.to}</strong>
              </li>
            ))}
          </ul>
          <p>
            Annual premium {preview.oldAnnual} → <strong>{preview.newAnnual}</strong> from {preview.effectiveDate}.
          </p>
          <Alert tone={preview.deltaMinor > 0 ? "warning" : "info"} title={preview.money}>
            {preview.deltaMinor > 0
              ? "The change takes effect once this is paid."
              : preview.deltaMinor < 0
                ? "It goes back the way it was paid."
                : "The change takes effect as soon as you confirm."}
          </Alert>
          <input type="hidden" name="quotedDeltaMinor" value={preview.deltaMinor} />
        </section>
      ) : null}
      <div className="actions">
        {preview ? (
          <Button type="submit" name="intent" value="confirm" busy={busy}>
            Confirm the change
          </Button>
        ) : null}
        <Button type="submit" name="intent" value="price" variant={preview ? "secondary" : undefined} busy={busy}>
          {preview ? "Price it again" : "See the price"}
        </Button>
      </div>
    </Form>
  );
}

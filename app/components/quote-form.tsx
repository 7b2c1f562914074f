import { getFormProps, parse, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/components/console/fields";
import { Honeypot } from "~/components/honeypot";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { formatMoney } from "~/lib/money";
import { personSlots, resolveQuoteForm } from "~/modules/quotes/form";
import type { FieldDescription } from "~/modules/rating";

export interface QuoteFormProps {
  productSlug: string;
  fields: FieldDescription[];
  currency: string;
  locale: string;
  frequencies: { value: string; label: string }[];
  defaultValues?: Record<string, unknown>;
  lastResult?: SubmissionResult<string[]> | null;
  /** Changing the options of a cart item: the new quote takes this item's place. */
  replaceItemId?: string;
  /** The product's rating declaration and today's date in the tenant's zone: with both, the
   * browser checks the form with the server's own rules before sending it. */
  rating?: unknown;
  quoteDate?: string;
  /** Where the form posts, when not the storefront's quote page (an agent selling to a member). */
  action?: string;
  /** The submit button's words, and no "Add to cart" (a sale outside the storefront's cart). */
  submitLabel?: string;
}

/**
 * The quote form, drawn from the product's declared inputs. Money is typed in major units; the
 * people to cover are a fixed set of rows per role (left empty when nobody), so it all works
 * without JavaScript. It posts to /products/<slug>/quote, which saves the quote.
 */
export function QuoteForm(props: QuoteFormProps) {
  const { productSlug, fields, currency, locale, frequencies, defaultValues, lastResult, replaceItemId, rating, quoteDate, submitLabel } =
    props;
  const navigation = useNavigation();
  const { t } = useTranslation("storefront");
  // The item to replace rides in the URL too, so a refused submission re-renders with it.
  const action = props.action ?? `/products/${productSlug}/quote${replaceItemId ? `?replace=${replaceItemId}` : ""}`;
  const offered = useMemo(() => frequencies.map((f) => f.value), [frequencies]);
  const [form] = useForm({
    id: `quote-${productSlug}`,
    lastResult,
    // conform's DefaultValue type wants a schema; the values are the form's own shape.
    defaultValue: defaultValues as Record<string, string> | undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate:
      rating !== undefined && quoteDate
        ? ({ formData }) =>
            parse(formData, { resolve: (payload) => resolveQuoteForm(payload, rating, { currency, locale, quoteDate }, fields, offered) })
        : undefined,
  });
  // After a refused submission the page shows what was sent, not the defaults: nothing is lost.
  const values = ((lastResult?.initialValue as Record<string, unknown> | undefined) ?? defaultValues ?? {}) as Record<string, unknown>;
  const errors = form.allErrors;
  const id = (name: string) => `${form.id}-${name.replace(/[[\].]+/g, "-")}`;
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const busy = navigation.state === "submitting" && navigation.formAction === action;

  return (
    <Form method="post" action={action} className="quote-form" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <Honeypot />
      {replaceItemId ? <input type="hidden" name="replace" value={replaceItemId} /> : null}
      <RatingFields fields={fields} values={values} errors={errors} id={id} money={money} currency={currency} />
      {frequencies.length > 1 ? (
        <SelectField
          id={id("frequency")}
          name="frequency"
          label={t("quoteForm.howPay")}
          choices={frequencies.map((f) => ({ value: f.value, label: t(`frequency.${f.value}`, { defaultValue: f.label }) }))}
          defaultValue={typeof values.frequency === "string" && values.frequency ? values.frequency : "annual"}
          errors={errors.frequency}
        />
      ) : (
        <input type="hidden" name="frequency" value={frequencies[0]?.value ?? "annual"} />
      )}
      <div className="actions">
        <Button type="submit" name="intent" value="quote" busy={busy}>
          {submitLabel ?? (replaceItemId ? t("quoteForm.update") : t("quoteForm.getQuote"))}
        </Button>
        {replaceItemId || submitLabel ? null : (
          <Button type="submit" name="intent" value="cart" variant="secondary" busy={busy}>
            {t("quoteForm.addToCart")}
          </Button>
        )}
      </div>
    </Form>
  );
}

/**
 * The controls of a product's rating inputs, drawn from their descriptions: the quote form's, and
 * the change-of-cover form's (app/components/policy/change-cover-form.tsx).
 */
export function RatingFields({
  fields,
  values,
  errors,
  id,
  money,
  currency,
}: {
  fields: FieldDescription[];
  values: Record<string, unknown>;
  errors: Record<string, string[]>;
  id: (name: string) => string;
  money: (minor: number) => string;
  currency: string;
}) {
  const { t } = useTranslation("storefront");
  return (
    <>
      {fields.map((field) => {
        const common = { id: id(field.name), name: field.name, errors: errors[field.name], hint: hintOf(field, money, t) };
        const label = field.required ? field.label : `${field.label} ${t("quoteForm.optional")}`;
        const text = (value: unknown) => (typeof value === "string" ? value : value === undefined || value === null ? "" : String(value));
        switch (field.control) {
          case "persons":
            return <PersonsFieldset key={field.name} field={field} values={values} errors={errors} id={id} />;
          case "select":
            return (
              <SelectField
                key={field.name}
                {...common}
                label={field.label}
                choices={field.options ?? []}
                placeholder={field.defaultValue === undefined ? t("quoteForm.choose") : undefined}
                defaultValue={text(values[field.name] ?? field.defaultValue)}
              />
            );
          case "checkbox":
            return <CheckboxInput key={field.name} {...common} label={field.label} checked={isChecked(values[field.name])} />;
          case "date":
            return (
              <Field
                key={field.name}
                {...common}
                label={label}
                type="date"
                min={field.min as string | undefined}
                max={field.max as string | undefined}
                defaultValue={text(values[field.name])}
              />
            );
          case "number":
            return (
              <Field
                key={field.name}
                {...common}
                label={field.unit ? `${label} (${field.unit})` : label}
                type="number"
                inputMode="numeric"
                min={field.min}
                max={field.max}
                step={field.step}
                defaultValue={text(values[field.name] ?? field.defaultValue)}
              />
            );
          default:
            return (
              <Field
                key={field.name}
                {...common}
                label={field.kind === "money" ? `${label} (${currency})` : label}
                type="text"
                inputMode={field.inputMode}
                maxLength={field.maxLength}
                autoComplete="off"
                className={field.uppercase ? "uppercase" : undefined}
                defaultValue={text(values[field.name] ?? field.defaultValue)}
              />
            );
        }
      })}
    </>
  );
}

function hintOf(field: FieldDescription, money: (minor: number) => string, t: TFunction<"storefront">): string | undefined {
  if (field.kind !== "money" || (field.min === undefined && field.max === undefined)) return field.hint;
  const range =
    typeof field.min === "number" && typeof field.max === "number"
      ? t("quoteForm.fromTo", { min: money(field.min), max: money(field.max) })
      : typeof field.max === "number"
        ? t("quoteForm.upTo", { max: money(field.max) })
        : t("quoteForm.atLeast", { min: money(field.min as number) });
  return field.hint ? `${field.hint}. ${range}` : range;
}

function isChecked(value: unknown): boolean {
  return value === true || value === "on" || value === "true";
}

function CheckboxInput({
  id,
  name,
  label,
  hint,
  errors,
  checked,
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  errors?: string[];
  checked: boolean;
}) {
  const invalid = Boolean(errors?.length);
  const errorText = useErrorText();
  const describedBy = [invalid ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <div className="checkbox">
        <input
          type="checkbox"
          id={id}
          name={name}
          defaultChecked={checked}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
        />
        <label htmlFor={id}>{label}</label>
      </div>
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

/** One row per possible person: the role rides along hidden, the age is what the customer types. */
function PersonsFieldset({
  field,
  values,
  errors,
  id,
}: {
  field: FieldDescription;
  values: Record<string, unknown>;
  errors: Record<string, string[]>;
  id: (name: string) => string;
}) {
  const rows = Array.isArray(values[field.name]) ? (values[field.name] as { age?: unknown }[]) : [];
  const listErrors = errors[field.name];
  const listErrorId = id(`${field.name}-list-error`);
  const { t } = useTranslation("storefront");
  const errorText = useErrorText();
  return (
    <fieldset className="persons" aria-describedby={listErrors?.length ? listErrorId : undefined}>
      <legend>{field.label}</legend>
      <p className="field-hint">{field.hint ?? t("quoteForm.personsHint")}</p>
      {listErrors?.length ? (
        <p className="field-error" id={listErrorId} role="alert">
          {errorText(listErrors)}
        </p>
      ) : null}
      <div className="person-rows">
        {personSlots(field).map((slot) => {
          const name = `${field.name}[${slot.index}]`;
          const many = slot.role.max > 1;
          const age = rows[slot.index]?.age;
          return (
            <div key={slot.index} className="person-row">
              <input type="hidden" name={`${name}.role`} value={slot.role.value} />
              <Field
                id={id(`${name}.age`)}
                name={`${name}.age`}
                label={`${slot.role.label}${many ? ` ${slot.position}` : ""}: age${slot.required ? "" : " (optional)"}`}
                type="number"
                inputMode="numeric"
                min={slot.role.minAge}
                max={slot.role.maxAge}
                defaultValue={age === undefined || age === null ? "" : String(age)}
                errors={errors[`${name}.age`] ?? errors[`${name}.role`]}
                hint={slot.required ? undefined : t("quoteForm.leaveEmpty")}
              />
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { CheckboxField, SelectField, selectProps, TextareaField, textareaProps, type Choice } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { productFormSchema } from "~/modules/catalogue/admin-schemas";

/** What the product form starts from: an existing product, a copied one's rules, or blanks. */
export interface ProductDefaults {
  categoryId: string;
  insurerId: string;
  name: string;
  slug: string;
  summary: string;
  description: string;
  coverage: string;
  features: string;
  inclusions: string;
  exclusions: string;
  waitingPeriodDays: string;
  maxCover: string;
  requiresUnderwriting: boolean;
  featured: boolean;
  active: boolean;
  rating: string;
  sampleInput: string;
}

/**
 * Every field of a product, for the new and edit pages. Lists are one item per line; the rating
 * rules and sample input are JSON (checked by the rating engine, problems listed under the field).
 */
export function ProductForm({
  currency,
  categories,
  insurers,
  defaults,
  lastResult,
  submitLabel,
  readOnly = false,
}: {
  currency: string;
  categories: Choice[];
  insurers: Choice[];
  defaults: ProductDefaults;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  readOnly?: boolean;
}) {
  const navigation = useNavigation();
  const schema = productFormSchema(currency);
  const [form, fields] = useForm({
    id: "product",
    lastResult,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  return (
    <Form method="post" {...getFormProps(form)} className="catalogue-form">
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <fieldset disabled={readOnly}>
        <legend>The product</legend>
        <div className="form-grid two">
          <Field label="Name" {...inputProps(fields.name, { type: "text" })} />
          <Field
            label="Web address"
            {...inputProps(fields.slug, { type: "text" })}
            hint="The end of the product's page address, /products/… Leave empty to make it from the name."
          />
          <SelectField label="Category" choices={categories} placeholder="Choose a category" {...selectProps(fields.categoryId)} />
          <SelectField label="Insurer" choices={insurers} placeholder="Choose an insurer" {...selectProps(fields.insurerId)} />
        </div>
        <Field label="Summary" {...inputProps(fields.summary, { type: "text" })} hint="One sentence, shown on the listing and in search." />
        <TextareaField label="Description" rows={4} {...textareaProps(fields.description)} />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>What it covers</legend>
        <TextareaField
          label="Cover"
          rows={4}
          {...textareaProps(fields.coverage)}
          hint='One per line as "Label: value", like "Inpatient limit: KES 1,000,000".'
        />
        <div className="form-grid two">
          <TextareaField label="Key features" rows={4} {...textareaProps(fields.features)} hint="One per line." />
          <TextareaField label="What is covered" rows={4} {...textareaProps(fields.inclusions)} hint="One per line." />
        </div>
        <TextareaField label="What is not covered" rows={4} {...textareaProps(fields.exclusions)} hint="One per line." />
        <div className="form-grid two">
          <Field
            label="Waiting period (days)"
            {...inputProps(fields.waitingPeriodDays, { type: "number" })}
            min={0}
            hint="0 when cover starts at once."
          />
          <Field
            label={`Maximum cover (${currency})`}
            {...inputProps(fields.maxCover, { type: "text" })}
            inputMode="decimal"
            hint="The most the policy pays, like 1,000,000. Leave empty when it depends on the quote."
          />
        </div>
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>Price rules</legend>
        <JsonField
          label="Rating rules (JSON)"
          meta={fields.rating}
          rows={14}
          hint={
            <>
              The inputs the quote form asks for and how they price, as the rating engine reads them. Money is in minor units ({currency} 1
              = 100). Easiest: start from an existing product&apos;s rules above and change what differs.
            </>
          }
        />
        <JsonField
          label="Sample input (JSON)"
          meta={fields.sampleInput}
          rows={5}
          hint="A typical customer's answers, money in minor units. Its annual total is the “from” price on the listing, worked out again on every save."
        />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>On the storefront</legend>
        <CheckboxField
          id={fields.active.id}
          name={fields.active.name}
          defaultChecked={fields.active.initialValue === "on"}
          label="Active"
          hint="Shown on the storefront (when its insurer and category are active too). Unticked, it is kept but hidden."
        />
        <CheckboxField
          id={fields.featured.id}
          name={fields.featured.name}
          defaultChecked={fields.featured.initialValue === "on"}
          label="Featured"
          hint="Shown on the home page."
        />
        <CheckboxField
          id={fields.requiresUnderwriting.id}
          name={fields.requiresUnderwriting.name}
          defaultChecked={fields.requiresUnderwriting.initialValue === "on"}
          label="Requires underwriting"
          hint="An underwriter accepts each application before cover starts."
        />
      </fieldset>

      {readOnly ? null : (
        <div className="actions">
          <Button type="submit" busy={saving}>
            {submitLabel}
          </Button>
        </div>
      )}
    </Form>
  );
}

/** A JSON textarea whose problems are listed one per line (the engine may report several). */
function JsonField({ label, meta, rows, hint }: { label: string; meta: FieldMetadata<string>; rows: number; hint: ReactNode }) {
  const { errors, ...props } = textareaProps(meta);
  const invalid = Boolean(errors?.length);
  return (
    <div className={`field${invalid ? " field-invalid" : ""}`}>
      <label htmlFor={meta.id}>{label}</label>
      <textarea
        {...props}
        rows={rows}
        className="code-input"
        spellCheck={false}
        aria-describedby={[invalid ? meta.errorId : null, `${meta.id}-hint`].filter(Boolean).join(" ")}
      />
      <p className="field-hint" id={`${meta.id}-hint`}>
        {hint}
      </p>
      {invalid ? (
        <ul className="field-error json-problems" id={meta.errorId} role="alert">
          {errors!.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

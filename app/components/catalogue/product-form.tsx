import { getFormProps, useForm, type FieldMetadata, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CheckboxField, SelectField, selectProps, TextareaField, textareaProps, type Choice } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
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
  const { t } = useTranslation("admin-catalogue");
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
        <legend>{t("productForm.product")}</legend>
        <div className="form-grid two">
          <Field label={t("productForm.name")} {...inputProps(fields.name, { type: "text" })} />
          <Field label={t("productForm.slug")} {...inputProps(fields.slug, { type: "text" })} hint={t("productForm.slugHint")} />
          <SelectField
            label={t("productForm.category")}
            choices={categories}
            placeholder={t("productForm.chooseCategory")}
            {...selectProps(fields.categoryId)}
          />
          <SelectField
            label={t("productForm.insurer")}
            choices={insurers}
            placeholder={t("productForm.chooseInsurer")}
            {...selectProps(fields.insurerId)}
          />
        </div>
        <Field label={t("productForm.summary")} {...inputProps(fields.summary, { type: "text" })} hint={t("productForm.summaryHint")} />
        <TextareaField label={t("productForm.description")} rows={4} {...textareaProps(fields.description)} />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t("productForm.covers")}</legend>
        <TextareaField
          label={t("productForm.coverage")}
          rows={4}
          {...textareaProps(fields.coverage)}
          hint={t("productForm.coverageHint")}
        />
        <div className="form-grid two">
          <TextareaField
            label={t("productForm.features")}
            rows={4}
            {...textareaProps(fields.features)}
            hint={t("productForm.onePerLine")}
          />
          <TextareaField
            label={t("productForm.inclusions")}
            rows={4}
            {...textareaProps(fields.inclusions)}
            hint={t("productForm.onePerLine")}
          />
        </div>
        <TextareaField
          label={t("productForm.exclusions")}
          rows={4}
          {...textareaProps(fields.exclusions)}
          hint={t("productForm.onePerLine")}
        />
        <div className="form-grid two">
          <Field
            label={t("productForm.waiting")}
            {...inputProps(fields.waitingPeriodDays, { type: "number" })}
            min={0}
            hint={t("productForm.waitingHint")}
          />
          <Field
            label={t("productForm.maxCover", { currency })}
            {...inputProps(fields.maxCover, { type: "text" })}
            inputMode="decimal"
            hint={t("productForm.maxCoverHint")}
          />
        </div>
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t("productForm.price")}</legend>
        <JsonField label={t("productForm.rating")} meta={fields.rating} rows={14} hint={t("productForm.ratingHint", { currency })} />
        <JsonField label={t("productForm.sample")} meta={fields.sampleInput} rows={5} hint={t("productForm.sampleHint")} />
      </fieldset>

      <fieldset disabled={readOnly}>
        <legend>{t("productForm.storefront")}</legend>
        <CheckboxField
          id={fields.active.id}
          name={fields.active.name}
          defaultChecked={fields.active.initialValue === "on"}
          label={t("productForm.active")}
          hint={t("productForm.activeHint")}
        />
        <CheckboxField
          id={fields.featured.id}
          name={fields.featured.name}
          defaultChecked={fields.featured.initialValue === "on"}
          label={t("productForm.featured")}
          hint={t("productForm.featuredHint")}
        />
        <CheckboxField
          id={fields.requiresUnderwriting.id}
          name={fields.requiresUnderwriting.name}
          defaultChecked={fields.requiresUnderwriting.initialValue === "on"}
          label={t("productForm.underwriting")}
          hint={t("productForm.underwritingHint")}
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
  const errorText = useErrorText();
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
            <li key={problem}>{errorText([problem])}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { insurerFormSchema } from "~/modules/catalogue/admin-schemas";

export interface InsurerDefaults {
  name: string;
  slug: string;
  description: string;
  logoUrl: string;
  rating: string;
  commissionRate: string;
  contactPhone: string;
  contactEmail: string;
  contactWebsite: string;
}

/** An insurer's details, for the "add" form on the list and the edit page. */
export function InsurerForm({
  id,
  defaults,
  lastResult,
  submitLabel,
  readOnly = false,
}: {
  id: string;
  defaults?: Partial<InsurerDefaults>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  readOnly?: boolean;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("admin-catalogue");
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(insurerFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: insurerFormSchema }),
  });
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <fieldset disabled={readOnly}>
        <legend>{t("insurerForm.legend")}</legend>
        <div className="form-grid two">
          <Field label={t("insurerForm.name")} {...inputProps(fields.name, { type: "text" })} />
          <Field label={t("insurerForm.slug")} {...inputProps(fields.slug, { type: "text" })} hint={t("insurerForm.slugHint")} />
          <Field
            label={t("insurerForm.commission")}
            {...inputProps(fields.commissionRate, { type: "text" })}
            inputMode="decimal"
            hint={t("insurerForm.commissionHint")}
          />
          <Field
            label={t("insurerForm.rating")}
            {...inputProps(fields.rating, { type: "text" })}
            inputMode="decimal"
            hint={t("insurerForm.ratingHint")}
          />
        </div>
        <TextareaField label={t("insurerForm.about")} rows={3} {...textareaProps(fields.description)} />
        <Field label={t("insurerForm.logo")} {...inputProps(fields.logoUrl, { type: "text" })} hint={t("insurerForm.logoHint")} />
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>{t("insurerForm.contact")}</legend>
        <div className="form-grid two">
          <Field label={t("insurerForm.phone")} {...inputProps(fields.contactPhone, { type: "tel" })} />
          <Field label={t("insurerForm.email")} {...inputProps(fields.contactEmail, { type: "email" })} />
        </div>
        <Field label={t("insurerForm.website")} {...inputProps(fields.contactWebsite, { type: "url" })} />
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

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
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
        <legend>Insurer</legend>
        <div className="form-grid two">
          <Field label="Name" {...inputProps(fields.name, { type: "text" })} />
          <Field
            label="Short name for addresses"
            {...inputProps(fields.slug, { type: "text" })}
            hint="Leave empty to make it from the name."
          />
          <Field
            label="Commission (%)"
            {...inputProps(fields.commissionRate, { type: "text" })}
            inputMode="decimal"
            hint="What the insurer pays the agency on the premium it places, like 12.5."
          />
          <Field label="Rating (0–5)" {...inputProps(fields.rating, { type: "text" })} inputMode="decimal" hint="Optional, like 4.5." />
        </div>
        <TextareaField label="About the insurer" rows={3} {...textareaProps(fields.description)} />
        <Field
          label="Logo address"
          {...inputProps(fields.logoUrl, { type: "text" })}
          hint="A path like /tenants/bowman/jubilee.svg or an https:// address (optional)."
        />
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>Contact</legend>
        <div className="form-grid two">
          <Field label="Phone" {...inputProps(fields.contactPhone, { type: "tel" })} />
          <Field label="Email" {...inputProps(fields.contactEmail, { type: "email" })} />
        </div>
        <Field label="Website" {...inputProps(fields.contactWebsite, { type: "url" })} />
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

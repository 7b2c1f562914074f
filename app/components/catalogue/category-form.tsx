// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { categoryFormSchema } from "~/modules/catalogue/admin-schemas";

export interface CategoryDefaults {
  name: string;
  slug: string;
  icon: string;
  description: string;
  displayOrder: string;
}

/** A category's details, for the "add" form on the list and the edit page. */
export function CategoryForm({
  id,
  defaults,
  lastResult,
  submitLabel,
  readOnly = false,
}: {
  id: string;
  defaults?: Partial<CategoryDefaults>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  readOnly?: boolean;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(categoryFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: categoryFormSchema }),
  });
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <fieldset disabled={readOnly}>
        <legend>Category</legend>
        <div className="form-grid two">
          <Field label="Name" {...inputProps(fields.name, { type: "text" })} />
          <Field
            label="Web address"
            {...inputProps(fields.slug, { type: "text" })}
            hint="Used in links like /products?category=… Leave empty to make it from the name."
          />
          <Field label="Icon" {...inputProps(fields.icon, { type: "text" })} hint="An icon name, like car, heart, home, plane or shield." />
          <Field label="Order" {...inputProps(fields.displayOrder, { type: "number" })} hint="Lower numbers are shown first." />
        </div>
        <TextareaField label="Description" rows={3} {...textareaProps(fields.description)} />
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

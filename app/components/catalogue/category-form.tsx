import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("admin-catalogue");
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
        <legend>{t("categoryForm.legend")}</legend>
        <div className="form-grid two">
          <Field label={t("categoryForm.name")} {...inputProps(fields.name, { type: "text" })} />
          <Field label={t("categoryForm.slug")} {...inputProps(fields.slug, { type: "text" })} hint={t("categoryForm.slugHint")} />
          <Field label={t("categoryForm.icon")} {...inputProps(fields.icon, { type: "text" })} hint={t("categoryForm.iconHint")} />
          <Field
            label={t("categoryForm.order")}
            {...inputProps(fields.displayOrder, { type: "number" })}
            hint={t("categoryForm.orderHint")}
          />
        </div>
        <TextareaField label={t("categoryForm.description")} rows={3} {...textareaProps(fields.description)} />
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

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxField, SelectField, selectProps, TextareaField, textareaProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { FACILITY_KINDS, facilityFormSchema, type FacilityForm } from "~/modules/facilities/schemas";

/** What the form starts from: the facility's values, its services one per line. */
export type FacilityDefaults = Omit<FacilityForm, "kind" | "services"> & { kind: string; services: string };

/**
 * A hospital's or clinic's details, for the "add" page and its own page. `places` are the states
 * and cities the directory already has, offered as suggestions so that one city is spelt one way.
 */
export function FacilityForm({
  id,
  defaults,
  lastResult,
  submitLabel,
  places,
  readOnly = false,
}: {
  id: string;
  defaults?: Partial<FacilityDefaults>;
  lastResult?: SubmissionResult<string[]> | null;
  submitLabel: string;
  places: { state: string; cities: string[] }[];
  readOnly?: boolean;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("facilities");
  const kindChoices = FACILITY_KINDS.map((kind) => ({ value: kind, label: t(`kind.${kind}`) }));
  const [form, fields] = useForm({
    id,
    lastResult,
    defaultValue: defaults,
    constraint: getZodConstraint(facilityFormSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: facilityFormSchema }),
  });
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  return (
    <Form method="post" {...getFormProps(form)}>
      <input type="hidden" name="intent" value="save" />
      <FormErrors errors={form.errors} />
      <fieldset disabled={readOnly}>
        <legend>{t("form.facility")}</legend>
        <div className="form-grid two">
          <Field label={t("form.name")} {...inputProps(fields.name, { type: "text" })} autoComplete="off" />
          <SelectField label={t("form.kind")} choices={kindChoices} placeholder={t("form.chooseKind")} {...selectProps(fields.kind)} />
        </div>
        <CheckboxField
          id={fields.panel.id}
          name={fields.panel.name}
          defaultChecked={fields.panel.initialValue === "on"}
          label={t("form.panel")}
          hint={t("form.panelHint")}
        />
        <TextareaField label={t("form.services")} rows={4} {...textareaProps(fields.services)} hint={t("form.servicesHint")} />
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>{t("form.where")}</legend>
        <Field label={t("form.address")} {...inputProps(fields.address, { type: "text" })} autoComplete="off" />
        <div className="form-grid two">
          <Field label={t("form.city")} {...inputProps(fields.city, { type: "text" })} list={`${id}-cities`} autoComplete="off" />
          <Field label={t("form.state")} {...inputProps(fields.state, { type: "text" })} list={`${id}-states`} autoComplete="off" />
          <Field label={t("form.postcode")} {...inputProps(fields.postcode, { type: "text" })} autoComplete="off" />
        </div>
        <datalist id={`${id}-states`}>
          {places.map((p) => (
            <option key={p.state} value={p.state} />
          ))}
        </datalist>
        <datalist id={`${id}-cities`}>
          {[...new Set(places.flatMap((p) => p.cities))].map((city) => (
            <option key={city} value={city} />
          ))}
        </datalist>
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>{t("form.contact")}</legend>
        <div className="form-grid two">
          <Field label={t("form.phone")} {...inputProps(fields.phone, { type: "tel" })} hint={t("form.phoneHint")} />
          <Field label={t("form.email")} {...inputProps(fields.email, { type: "email" })} />
        </div>
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

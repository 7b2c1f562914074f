// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { CheckboxField, SelectField, selectProps, TextareaField, textareaProps } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { FACILITY_KINDS, facilityFormSchema, KIND_LABELS, type FacilityForm } from "~/modules/facilities/schemas";

/** What the form starts from: the facility's values, its services one per line. */
export type FacilityDefaults = Omit<FacilityForm, "kind" | "services"> & { kind: string; services: string };

const KIND_CHOICES = FACILITY_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }));

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
        <legend>Facility</legend>
        <div className="form-grid two">
          <Field label="Name" {...inputProps(fields.name, { type: "text" })} autoComplete="off" />
          <SelectField label="Type" choices={KIND_CHOICES} placeholder="Choose hospital or clinic" {...selectProps(fields.kind)} />
        </div>
        <CheckboxField
          id={fields.panel.id}
          name={fields.panel.name}
          defaultChecked={fields.panel.initialValue === "on"}
          label="On our panel"
          hint="Members are treated here under the agency's arrangement. Unticked, it is listed only when someone asks for every facility."
        />
        <TextareaField
          label="Services"
          rows={4}
          {...textareaProps(fields.services)}
          hint="One per line, like 24-hour emergency, Maternity, Dialysis."
        />
      </fieldset>
      <fieldset disabled={readOnly}>
        <legend>Where</legend>
        <Field label="Street address" {...inputProps(fields.address, { type: "text" })} autoComplete="off" />
        <div className="form-grid two">
          <Field label="City or town" {...inputProps(fields.city, { type: "text" })} list={`${id}-cities`} autoComplete="off" />
          <Field label="State or county" {...inputProps(fields.state, { type: "text" })} list={`${id}-states`} autoComplete="off" />
          <Field label="Postcode" {...inputProps(fields.postcode, { type: "text" })} autoComplete="off" />
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
        <legend>Contact</legend>
        <div className="form-grid two">
          <Field label="Phone" {...inputProps(fields.phone, { type: "tel" })} hint="As callers dial it, like +60 3-2296 0888." />
          <Field label="Email" {...inputProps(fields.email, { type: "email" })} />
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

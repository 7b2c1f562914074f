// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { SelectField } from "~/components/console/fields";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { AGENT_RELATIONSHIPS, EMERGENCY_RELATIONSHIPS, memberEditSchema, memberSchema, RACES } from "~/modules/members/schemas";

/**
 * The member form: registering a member (with their email and MyKad number) or editing one (the
 * MyKad number and email stay as registered, shown masked). Server-validated, works without
 * JavaScript; with it, fields are checked as they are left.
 */
export function MemberForm({
  mode,
  defaults,
  lastResult,
  nricMasked,
  email,
}: {
  mode: "new" | "edit";
  defaults?: Record<string, string>;
  lastResult?: SubmissionResult<string[]> | null;
  nricMasked?: string;
  email?: string;
}) {
  const navigation = useNavigation();
  const schema = mode === "new" ? memberSchema : memberEditSchema;
  const [form] = useForm({
    id: `member-${mode}`,
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  // After a refused submission the page shows what was sent: nothing typed is lost.
  const values = ((lastResult?.initialValue as Record<string, unknown> | undefined) ?? defaults ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const errors = form.allErrors;
  const busy = navigation.state === "submitting";

  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      {mode === "edit" ? <input type="hidden" name="intent" value="update" /> : null}
      <FormErrors errors={form.errors} />
      <fieldset className="card">
        <legend>Member</legend>
        <div className="form-grid two">
          <Field
            id="member-name"
            name="name"
            label="Full name (as on MyKad)"
            autoComplete="off"
            defaultValue={text(values.name)}
            errors={errors.name}
          />
          {mode === "new" ? (
            <Field
              id="member-nric"
              name="nric"
              label="MyKad (NRIC) number"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              hint="12 digits, like 850412-10-1234. Stored encrypted; only the last four digits are ever shown."
              defaultValue={text(values.nric)}
              errors={errors.nric}
            />
          ) : (
            <div className="field">
              <span className="label">MyKad (NRIC) number</span>
              <p className="identifier">{nricMasked}</p>
              <p className="field-hint">An identity number does not change: register a new member if it was wrong.</p>
            </div>
          )}
          {mode === "new" ? (
            <Field
              id="member-email"
              name="email"
              type="email"
              label="Email"
              autoComplete="off"
              hint="The member signs in with it to see their policies. We email them a link to set a password."
              defaultValue={text(values.email)}
              errors={errors.email}
            />
          ) : (
            <div className="field">
              <span className="label">Email</span>
              <p className="break">{email}</p>
              <p className="field-hint">Their sign-in: the member changes it themselves.</p>
            </div>
          )}
          <Field
            id="member-phone"
            name="phone"
            type="tel"
            label="Phone"
            autoComplete="off"
            defaultValue={text(values.phone)}
            errors={errors.phone}
          />
          <SelectField
            id="member-race"
            name="race"
            label="Race"
            placeholder="Choose…"
            choices={RACES}
            defaultValue={text(values.race)}
            errors={errors.race}
          />
          <SelectField
            id="member-relationship"
            name="relationshipWithAgent"
            label="Relationship to you"
            placeholder="Choose…"
            choices={AGENT_RELATIONSHIPS}
            defaultValue={text(values.relationshipWithAgent)}
            errors={errors.relationshipWithAgent}
          />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>Emergency contact</legend>
        <div className="form-grid two">
          <Field
            id="member-ec-name"
            name="emergencyContactName"
            label="Full name"
            autoComplete="off"
            defaultValue={text(values.emergencyContactName)}
            errors={errors.emergencyContactName}
          />
          <Field
            id="member-ec-phone"
            name="emergencyContactPhone"
            type="tel"
            label="Phone"
            autoComplete="off"
            defaultValue={text(values.emergencyContactPhone)}
            errors={errors.emergencyContactPhone}
          />
          <SelectField
            id="member-ec-relationship"
            name="emergencyContactRelationship"
            label="Relationship to the member"
            placeholder="Choose…"
            choices={EMERGENCY_RELATIONSHIPS}
            defaultValue={text(values.emergencyContactRelationship)}
            errors={errors.emergencyContactRelationship}
          />
        </div>
      </fieldset>
      <div className="actions">
        <Button type="submit" busy={busy}>
          {mode === "new" ? "Register member" : "Save changes"}
        </Button>
      </div>
    </Form>
  );
}

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
  const { t } = useTranslation("agent");
  const choices = (group: string, list: readonly { value: string }[]) =>
    list.map((o) => ({ value: o.value, label: t(`${group}.${o.value}`) }));

  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      {mode === "edit" ? <input type="hidden" name="intent" value="update" /> : null}
      <FormErrors errors={form.errors} />
      <fieldset className="card">
        <legend>{t("memberForm.member")}</legend>
        <div className="form-grid two">
          <Field
            id="member-name"
            name="name"
            label={t("memberForm.name")}
            autoComplete="off"
            defaultValue={text(values.name)}
            errors={errors.name}
          />
          {mode === "new" ? (
            <Field
              id="member-nric"
              name="nric"
              label={t("memberForm.nric")}
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              hint={t("memberForm.nricHint")}
              defaultValue={text(values.nric)}
              errors={errors.nric}
            />
          ) : (
            <div className="field">
              <span className="label">{t("memberForm.nric")}</span>
              <p className="identifier">{nricMasked}</p>
              <p className="field-hint">{t("memberForm.nricFixed")}</p>
            </div>
          )}
          {mode === "new" ? (
            <Field
              id="member-email"
              name="email"
              type="email"
              label={t("memberForm.email")}
              autoComplete="off"
              hint={t("memberForm.emailHint")}
              defaultValue={text(values.email)}
              errors={errors.email}
            />
          ) : (
            <div className="field">
              <span className="label">{t("memberForm.email")}</span>
              <p className="break">{email}</p>
              <p className="field-hint">{t("memberForm.emailFixed")}</p>
            </div>
          )}
          <Field
            id="member-phone"
            name="phone"
            type="tel"
            label={t("memberForm.phone")}
            autoComplete="off"
            defaultValue={text(values.phone)}
            errors={errors.phone}
          />
          <SelectField
            id="member-race"
            name="race"
            label={t("memberForm.race")}
            placeholder={t("choose")}
            choices={choices("race", RACES)}
            defaultValue={text(values.race)}
            errors={errors.race}
          />
          <SelectField
            id="member-relationship"
            name="relationshipWithAgent"
            label={t("memberForm.relationship")}
            placeholder={t("choose")}
            choices={choices("agentRelationship", AGENT_RELATIONSHIPS)}
            defaultValue={text(values.relationshipWithAgent)}
            errors={errors.relationshipWithAgent}
          />
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t("memberForm.emergency")}</legend>
        <div className="form-grid two">
          <Field
            id="member-ec-name"
            name="emergencyContactName"
            label={t("memberForm.emergencyName")}
            autoComplete="off"
            defaultValue={text(values.emergencyContactName)}
            errors={errors.emergencyContactName}
          />
          <Field
            id="member-ec-phone"
            name="emergencyContactPhone"
            type="tel"
            label={t("memberForm.phone")}
            autoComplete="off"
            defaultValue={text(values.emergencyContactPhone)}
            errors={errors.emergencyContactPhone}
          />
          <SelectField
            id="member-ec-relationship"
            name="emergencyContactRelationship"
            label={t("memberForm.emergencyRelationship")}
            placeholder={t("choose")}
            choices={choices("relationship", EMERGENCY_RELATIONSHIPS)}
            defaultValue={text(values.emergencyContactRelationship)}
            errors={errors.emergencyContactRelationship}
          />
        </div>
      </fieldset>
      <div className="actions">
        <Button type="submit" busy={busy}>
          {mode === "new" ? t("memberForm.register") : t("memberForm.save")}
        </Button>
      </div>
    </Form>
  );
}

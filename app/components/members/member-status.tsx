import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { SelectField, TextareaField, selectProps, textareaProps } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { ConfirmDialog } from "~/components/ui/dialog";
import type { z } from "zod";
import { MEMBER_EVENT_LABELS, MEMBER_REASON_MAX, MEMBER_REASONS, type memberStatusSchema } from "~/modules/members/status";
import type { MemberEvent } from "~/modules/workflows/member";

/**
 * The member's status actions (decision 035), on the agent's member page and staff's: one form per
 * action the machine allows, a reason from the list and words, and a confirmation (without
 * JavaScript the button posts the form straight away).
 */
export interface StatusActionResult {
  intent: "status";
  event: MemberEvent;
  reply: SubmissionResult<string[]>;
}

export function MemberStatusForms({
  events,
  name,
  lastResult,
}: {
  events: MemberEvent[];
  name: string;
  lastResult: StatusActionResult | undefined;
}) {
  // A refused action whose form is no longer shown (someone else changed the status first).
  const refused = lastResult && !events.includes(lastResult.event) ? lastResult.reply.error?.[""] : null;
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  return (
    <section className="card stack" aria-labelledby="status-title">
      <h2 id="status-title">{t("memberStatusForms.title")}</h2>
      {refused?.length ? <Alert tone="error">{errorText(refused)}</Alert> : null}
      {events.length === 0 ? <p className="muted">{t("memberStatusForms.ended")}</p> : null}
      {events.map((event) => (
        <StatusForm key={event} event={event} name={name} lastResult={lastResult?.event === event ? lastResult.reply : undefined} />
      ))}
    </section>
  );
}

function StatusForm({ event, name, lastResult }: { event: MemberEvent; name: string; lastResult: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const { t } = useTranslation("agent");
  const info = { ...MEMBER_EVENT_LABELS[event], label: t(`memberEvent.${event}.label`), explain: t(`memberEvent.${event}.explain`) };
  const [form, fields] = useForm<z.input<typeof memberStatusSchema>>({ id: `member-${event}`, lastResult });
  const busy = navigation.state === "submitting" && navigation.formData?.get("event") === event;
  const trigger = (
    <Button
      variant={info.danger ? "danger" : "primary"}
      type={hydrated ? "button" : "submit"}
      busy={busy}
      onClick={(e) => {
        if (hydrated && formRef.current && !formRef.current.reportValidity()) e.preventDefault();
      }}
    >
      {info.label}
    </Button>
  );
  return (
    <Form
      method="post"
      ref={formRef}
      {...getFormProps(form)}
      className="stack"
      aria-label={t("memberStatusForms.formLabel", { action: info.label, name })}
    >
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="event" value={event} />
      <FormErrors errors={form.errors} />
      <p>
        <strong>{info.label}.</strong> {info.explain}
      </p>
      <SelectField
        label={t("memberStatusForms.reason")}
        choices={MEMBER_REASONS[event].map((r) => ({ value: r.value, label: t(`memberReason.${event}.${r.value}`) }))}
        placeholder={t("memberStatusForms.chooseReason")}
        required
        {...selectProps(fields.reasonCode)}
      />
      <TextareaField
        label={t("memberStatusForms.words")}
        hint={t("memberStatusForms.wordsHint")}
        rows={2}
        maxLength={MEMBER_REASON_MAX}
        {...textareaProps(fields.reasonText)}
      />
      <div className="actions">
        <ConfirmDialog
          trigger={trigger}
          title={t("memberStatusForms.confirmTitle", { action: info.label, name })}
          description={<p>{info.explain}</p>}
        >
          <button type="submit" form={form.id} className={`btn ${info.danger ? "btn-danger" : "btn-primary"}`} disabled={busy}>
            {t(`memberEvent.${event}.yes`)}
          </button>
        </ConfirmDialog>
      </div>
    </Form>
  );
}

/** After a termination: the policies still in force, which staff must cancel one by one. */
export function OpenPoliciesWarning({
  policies,
  staff,
}: {
  policies: { id: string; number: string | null; product: string }[];
  staff: boolean;
}) {
  const { t } = useTranslation("agent");
  if (policies.length === 0) return null;
  return (
    <Alert tone="warning" title={t("openPolicies.title")}>
      <p>{t(staff ? "openPolicies.staff" : "openPolicies.agent", { count: policies.length })}</p>
      <ul className="plain-list">
        {policies.map((p) => (
          <li key={p.id}>
            {staff && p.number ? (
              <Link to={`/admin/policies?q=${encodeURIComponent(p.number)}`}>{p.number}</Link>
            ) : (
              (p.number ?? t("openPolicies.beingIssued"))
            )}{" "}
            — {p.product}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

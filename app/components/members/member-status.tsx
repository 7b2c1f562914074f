// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { SelectField, TextareaField, selectProps, textareaProps } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
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
  return (
    <section className="card stack" aria-labelledby="status-title">
      <h2 id="status-title">Membership status</h2>
      {refused?.length ? <Alert tone="error">{refused.join(" ")}</Alert> : null}
      {events.length === 0 ? <p className="muted">The membership has ended: nothing more can change.</p> : null}
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
  const info = MEMBER_EVENT_LABELS[event];
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
    <Form method="post" ref={formRef} {...getFormProps(form)} className="stack" aria-label={`${info.label} ${name}`}>
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="event" value={event} />
      <FormErrors errors={form.errors} />
      <p>
        <strong>{info.label}.</strong> {info.explain}
      </p>
      <SelectField
        label="Reason"
        choices={MEMBER_REASONS[event]}
        placeholder="Choose a reason"
        required
        {...selectProps(fields.reasonCode)}
      />
      <TextareaField
        label="In your words"
        hint="Needed for “Other”. The member is emailed the reason; it is kept on the timeline."
        rows={2}
        maxLength={MEMBER_REASON_MAX}
        {...textareaProps(fields.reasonText)}
      />
      <div className="actions">
        <ConfirmDialog trigger={trigger} title={`${info.label} ${name}?`} description={<p>{info.explain}</p>}>
          <button type="submit" form={form.id} className={`btn ${info.danger ? "btn-danger" : "btn-primary"}`} disabled={busy}>
            Yes, {info.label.toLowerCase()}
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
  if (policies.length === 0) return null;
  return (
    <Alert tone="warning" title="Policies still in force">
      <p>
        Terminating a member cancels nothing: {policies.length === 1 ? "this policy stays" : "these policies stay"} in force and instalments
        still fall due until {staff ? "you cancel" : "the agency cancels"} {policies.length === 1 ? "it" : "each one"}.
      </p>
      <ul className="plain-list">
        {policies.map((p) => (
          <li key={p.id}>
            {staff && p.number ? (
              <Link to={`/admin/policies?q=${encodeURIComponent(p.number)}`}>{p.number}</Link>
            ) : (
              (p.number ?? "Being issued")
            )}{" "}
            — {p.product}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

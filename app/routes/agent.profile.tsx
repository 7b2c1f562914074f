// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { resendVerification } from "~/modules/auth/accounts.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { AGENT_STATUS_LABELS, bankDetailsSchema, phoneCodeSchema, phoneSchema } from "~/modules/network/agent-schemas";
import { agentProfile, updateBankDetails } from "~/modules/network/agents.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { pendingPhoneCode, sendPhoneCode, verifyPhoneCode } from "~/modules/network/phone.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /agent/profile — the agent's own details: referral link, email and phone confirmation, where to be paid. */
const sendCodeSchema = z.object({ phone: phoneSchema });
type Intent = "send-code" | "verify-code" | "bank" | "resend-email";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const { profile, pending } = await withTenant(tenant.id, async (db) => ({
    profile: await agentProfile(db, agent.id),
    pending: await pendingPhoneCode(db, agent.id),
  }));
  if (!profile) throw new Response("Not found", { status: 404 });
  return json({
    number: profile.agent_number,
    code: profile.referral_code,
    link: `${originOf(request)}/join/${profile.referral_code}`,
    status: profile.status,
    statusLabel: AGENT_STATUS_LABELS[profile.status],
    email: profile.email,
    emailVerified: profile.email_verified_at !== null,
    phone: profile.phone,
    phoneVerified: profile.phone_verified_at !== null,
    pendingCode: pending ? { phone: pending.phone, expires: formatDateTime(pending.expiresAt, tenant.locale, tenant.timeZone) } : null,
    bank: profile.bank_account_masked
      ? { name: profile.bank_name, masked: profile.bank_account_masked, holder: profile.bank_account_holder }
      : null,
  });
}

const respond = (intent: Intent, reply: SubmissionResult<string[]> | null, status = 400, message: string | null = null) =>
  json({ intent, reply, message }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "read:network:own");
  const formData = await readForm(request);
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const intent = formData.get("intent");
  if (intent === "send-code" || intent === "verify-code") {
    // Phone codes are counted per agent account on top of each code's own tries (decision 012).
    const counted = await countRequest("phone_code", tenant.id, clientOf(request, user.id));
    if (counted.limited) {
      const submission = parseWithZod(formData, { schema: intent === "send-code" ? sendCodeSchema : phoneCodeSchema });
      return refusedWith(counted, (message) => ({
        intent,
        reply: submission.reply({ formErrors: [message], hideFields: ["code"] }),
        message: null,
      }));
    }
  }
  switch (intent) {
    case "send-code": {
      const submission = parseWithZod(formData, { schema: sendCodeSchema });
      if (submission.status !== "success") return respond("send-code", submission.reply());
      const sent = await withTenant(tenant.id, (db) =>
        sendPhoneCode(db, tenant, { agentId: agent.id, phone: submission.value.phone }, actor),
      );
      if (!sent.ok) return respond("send-code", submission.reply(replyErrors(sent.errors)), 429);
      return redirect("/agent/profile?notice=code-sent");
    }
    case "verify-code": {
      const submission = parseWithZod(formData, { schema: phoneCodeSchema });
      if (submission.status !== "success") return respond("verify-code", submission.reply());
      const checked = await withTenant(tenant.id, (db) => verifyPhoneCode(db, { agentId: agent.id, code: submission.value.code }, actor));
      if (!checked.ok) return respond("verify-code", submission.reply({ ...replyErrors(checked.errors), hideFields: ["code"] }));
      return redirect("/agent/profile?notice=phone-verified");
    }
    case "bank": {
      const submission = parseWithZod(formData, { schema: bankDetailsSchema });
      if (submission.status !== "success") return respond("bank", submission.reply({ hideFields: ["accountNumber"] }));
      await withTenant(tenant.id, (db) => updateBankDetails(db, tenant.id, { agentId: agent.id, ...submission.value }, actor));
      return redirect("/agent/profile?notice=bank-saved");
    }
    case "resend-email": {
      const result = await withTenant(tenant.id, (db) =>
        resendVerification(db, tenant, user.id, { ip: actor.ip, origin: originOf(request) }),
      );
      if (!result.ok) return respond("resend-email", null, 429, result.errors.form?.join(" ") ?? "Try again in a minute.");
      return redirect("/agent/profile?notice=email-sent");
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
}

const NOTICES: Record<string, string> = {
  joined:
    "Welcome! Your application is waiting for the agency's approval. Meanwhile, confirm your email and phone and add your bank details.",
  "code-sent": "We sent a 6-digit code by SMS. Enter it below.",
  "phone-verified": "Your phone number is confirmed.",
  "bank-saved": "Your bank details are saved.",
  "email-sent": "We sent a new confirmation link to your email.",
};

export default function AgentProfile() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = params.get("joined") ? NOTICES.joined : NOTICES[params.get("notice") ?? ""];
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>My agent profile</h1>
          <p className="muted">
            Agent {data.number} · <span className="badge">{data.statusLabel}</span>
          </p>
        </div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}

      <section className="card" aria-labelledby="referral-title">
        <h2 id="referral-title">Your referral code</h2>
        <p>
          <code className="identifier">{data.code}</code>
        </p>
        <p className="break">
          People who join through <a href={data.link}>{data.link}</a> join your team.
        </p>
      </section>

      <EmailSection email={data.email} verified={data.emailVerified} />
      <PhoneSection phone={data.phone} verified={data.phoneVerified} pendingCode={data.pendingCode} />
      <BankSection bank={data.bank} />
    </div>
  );
}

function useResult(intent: Intent) {
  const actionData = useActionData<typeof action>();
  return actionData?.intent === intent ? actionData : undefined;
}

function EmailSection({ email, verified }: { email: string; verified: boolean }) {
  const message = useResult("resend-email")?.message;
  const busy = useNavigation().formData?.get("intent") === "resend-email";
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <p className="break">
        {email}{" "}
        {verified ? <span className="badge badge-active">Confirmed</span> : <span className="badge badge-pending">Not confirmed</span>}
      </p>
      {verified ? null : (
        <Form method="post">
          {message ? <Alert tone="error">{message}</Alert> : null}
          <p className="muted">Follow the link we emailed you. Not received it?</p>
          <input type="hidden" name="intent" value="resend-email" />
          <Button type="submit" variant="secondary" busy={busy}>
            Send the link again
          </Button>
        </Form>
      )}
    </section>
  );
}

function PhoneSection({
  phone,
  verified,
  pendingCode,
}: {
  phone: string | null;
  verified: boolean;
  pendingCode: { phone: string; expires: string } | null;
}) {
  const busyIntent = useNavigation().formData?.get("intent");
  const [sendForm, sendFields] = useForm({
    id: "send-code",
    lastResult: useResult("send-code")?.reply,
    defaultValue: { phone: phone ?? "" },
    constraint: getZodConstraint(sendCodeSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: sendCodeSchema }),
  });
  const [codeForm, codeFields] = useForm<z.input<typeof phoneCodeSchema>>({
    id: "verify-code",
    lastResult: useResult("verify-code")?.reply,
    constraint: getZodConstraint(phoneCodeSchema),
    shouldValidate: "onSubmit",
  });
  const sendCodeForm = (
    <Form method="post" {...getFormProps(sendForm)} className="stack">
      <input type="hidden" name="intent" value="send-code" />
      <FormErrors errors={sendForm.errors} />
      <Field
        label="Mobile number"
        hint="We send a 6-digit code by SMS."
        autoComplete="tel"
        {...inputProps(sendFields.phone, { type: "tel" })}
      />
      <div className="actions">
        <Button type="submit" variant={pendingCode ? "secondary" : "primary"} busy={busyIntent === "send-code"}>
          {pendingCode ? "Send a new code" : "Send me a code"}
        </Button>
      </div>
    </Form>
  );
  return (
    <section className="card stack" aria-labelledby="phone-title">
      <h2 id="phone-title">Phone</h2>
      <p>
        {phone ?? <span className="muted">No number yet</span>}{" "}
        {phone ? (
          verified ? (
            <span className="badge badge-active">Confirmed</span>
          ) : (
            <span className="badge badge-pending">Not confirmed</span>
          )
        ) : null}
      </p>
      {pendingCode ? (
        <Form method="post" {...getFormProps(codeForm)} className="stack">
          <input type="hidden" name="intent" value="verify-code" />
          <FormErrors errors={codeForm.errors} />
          <Field
            label={`Code sent to ${pendingCode.phone}`}
            hint={`6 digits; it works until ${pendingCode.expires}.`}
            inputMode="numeric"
            autoComplete="one-time-code"
            {...inputProps(codeFields.code, { type: "text" })}
          />
          <div className="actions">
            <Button type="submit" busy={busyIntent === "verify-code"}>
              Confirm my phone
            </Button>
          </div>
        </Form>
      ) : null}
      {verified && !pendingCode ? (
        // A confirmed number can still be changed; the new one is confirmed by its own code.
        <details>
          <summary>Change my number</summary>
          {sendCodeForm}
        </details>
      ) : (
        sendCodeForm
      )}
    </section>
  );
}

function BankSection({ bank }: { bank: { name: string | null; masked: string; holder: string | null } | null }) {
  const [form, fields] = useForm({
    id: "bank",
    lastResult: useResult("bank")?.reply,
    defaultValue: { bankName: bank?.name ?? "", accountHolder: bank?.holder ?? "" },
    constraint: getZodConstraint(bankDetailsSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bankDetailsSchema }),
  });
  const busy = useNavigation().formData?.get("intent") === "bank";
  return (
    <section className="card stack" aria-labelledby="bank-title">
      <h2 id="bank-title">Where your commissions are paid</h2>
      {bank ? (
        <p>
          {bank.name} <code>{bank.masked}</code> <span className="muted">· {bank.holder}</span>
        </p>
      ) : (
        <p className="muted">No bank account yet: add one so your commissions can be paid.</p>
      )}
      <Form method="post" {...getFormProps(form)} className="stack form-narrow">
        <input type="hidden" name="intent" value="bank" />
        <FormErrors errors={form.errors} />
        <Field label="Bank" hint="For example Maybank or CIMB Bank." {...inputProps(fields.bankName, { type: "text" })} />
        <Field
          label="Account number"
          hint={
            bank
              ? "Enter the full number again to change it; it is stored encrypted and shown only masked."
              : "Stored encrypted and shown only masked."
          }
          inputMode="numeric"
          autoComplete="off"
          {...inputProps(fields.accountNumber, { type: "text" })}
        />
        <Field label="Account holder's name" hint="As the bank has it." {...inputProps(fields.accountHolder, { type: "text" })} />
        <div className="actions">
          <Button type="submit" busy={busy}>
            Save bank details
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "My agent profile");

export const headers = keepRetryAfter;

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { z } from "zod";
import { AccountNav } from "~/components/account/account-nav";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { requestEmailChange, withdrawEmailChange } from "~/modules/account/email-change.server";
import { confirmAccountPhone, sendAccountPhoneCode } from "~/modules/account/phone.server";
import { profileOf, renameAccount, saveAccountIdentifiers } from "~/modules/account/profile.server";
import { emailChangeSchema, identifiersSchema, nameSchema, phoneCodeSchema, sendPhoneCodeSchema } from "~/modules/account/schemas";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { clientInfo, requirePermission, requireUser } from "~/modules/auth/guards.server";
import { IDENTIFIER_LABELS } from "~/modules/policies/admin.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /account/profile — the customer's name, phone, email and identity numbers (issue 13 item 6). */

type Intent = "name" | "send-code" | "confirm-code" | "email" | "withdraw-email" | "identifiers";

const SCHEMAS = {
  name: nameSchema,
  "send-code": sendPhoneCodeSchema,
  "confirm-code": phoneCodeSchema,
  email: emailChangeSchema,
  identifiers: identifiersSchema,
} as const;

// Secrets are never sent back to the form.
const HIDDEN: Partial<Record<Intent, string[]>> = {
  "confirm-code": ["code"],
  email: ["password"],
  identifiers: ["national_id", "kra_pin", "nric"],
};

const NOTICES: Record<string, string> = {
  name: "Your name is saved.",
  "code-sent": "We sent a 6-digit code by text message to your new number. Enter it below.",
  phone: "Your phone number is changed.",
  email:
    "Almost done: open the link we sent to your new address. Your email changes only then; until then you sign in with the one you have.",
  "email-withdrawn": "The change of email address is withdrawn.",
  identifiers: "Your identity numbers are saved. Only their last characters are ever shown.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const profile = await withTenant(tenant.id, (db) => profileOf(db, tenant, user.id));
  if (!profile) throw new Response("Not found", { status: 404 });
  const when = (d: Date) => formatDateTime(d, tenant.locale, tenant.timeZone);
  return json({
    name: profile.user.name,
    email: profile.user.email,
    verified: profile.user.email_verified_at !== null,
    phone: profile.user.phone,
    memberSince: formatDate(profile.user.created_at, tenant.locale, tenant.timeZone),
    phoneCode: profile.phoneCode ? { phone: profile.phoneCode.phone, expires: when(profile.phoneCode.expiresAt) } : null,
    emailChange: profile.emailChange ? { newEmail: profile.emailChange.new_email, expires: when(profile.emailChange.expires_at) } : null,
    identifiers: profile.identifiers.map((i) => ({ ...i, label: IDENTIFIER_LABELS[i.kind] ?? i.kind })),
  });
}

const reply = (intent: Intent, body: SubmissionResult<string[]>, status = 400) => json({ intent, reply: body }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "update:account:own");
  const formData = await readForm(request);
  const intent = formData.get("intent") as Intent | null;
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  if (intent === "withdraw-email") {
    await withTenant(tenant.id, (db) => withdrawEmailChange(db, user.id));
    return redirect("/account/profile?notice=email-withdrawn");
  }
  if (!intent || !Object.hasOwn(SCHEMAS, intent)) return json({ intent: null, reply: null }, { status: 400 });
  const schema = SCHEMAS[intent as keyof typeof SCHEMAS];
  if (intent === "send-code" || intent === "confirm-code") {
    // Codes are counted per account on top of each code's own tries (decision 012).
    const counted = await countRequest("phone_code", tenant.id, clientOf(request, user.id));
    if (counted.limited) {
      const submission = parseWithZod(formData, { schema });
      return refusedWith(counted, (message) => ({
        intent,
        reply: submission.reply({ formErrors: [message], hideFields: HIDDEN[intent] }),
      }));
    }
  }
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== "success") return reply(intent, submission.reply({ hideFields: HIDDEN[intent] }));
  const failed = (errors: Record<string, string[]>, status = 400) =>
    reply(intent, submission.reply({ ...replyErrors(errors), hideFields: HIDDEN[intent] }), status);

  switch (intent) {
    case "name": {
      const { name } = submission.value as z.output<typeof nameSchema>;
      await withTenant(tenant.id, (db) => renameAccount(db, user.id, name, actor));
      return redirect("/account/profile?notice=name");
    }
    case "send-code": {
      const { phone } = submission.value as z.output<typeof sendPhoneCodeSchema>;
      const sent = await withTenant(tenant.id, (db) => sendAccountPhoneCode(db, tenant, { userId: user.id, phone }, actor));
      return sent.ok ? redirect("/account/profile?notice=code-sent") : failed(sent.errors, 429);
    }
    case "confirm-code": {
      const { code } = submission.value as z.output<typeof phoneCodeSchema>;
      const checked = await withTenant(tenant.id, (db) => confirmAccountPhone(db, { userId: user.id, code }, actor));
      return checked.ok ? redirect("/account/profile?notice=phone") : failed(checked.errors);
    }
    case "email": {
      const value = submission.value as z.output<typeof emailChangeSchema>;
      const asked = await withTenant(tenant.id, (db) =>
        requestEmailChange(
          db,
          tenant,
          { userId: user.id, newEmail: value.newEmail, password: value.password },
          { ip: actor.ip, origin: originOf(request) },
        ),
      );
      return asked.ok ? redirect("/account/profile?notice=email") : failed(asked.errors);
    }
    case "identifiers": {
      const value = submission.value as z.output<typeof identifiersSchema>;
      await withTenant(tenant.id, (db) => saveAccountIdentifiers(db, tenant, user.id, value, actor));
      return redirect("/account/profile?notice=identifiers");
    }
  }
}

export const headers = keepRetryAfter;

function useResult(intent: Intent) {
  const data = useActionData<typeof action>();
  return data && "intent" in data && data.intent === intent ? (data.reply ?? undefined) : undefined;
}

function useIntentForm<S extends z.ZodTypeAny>(intent: Intent, schema: S, defaultValue?: Record<string, string>) {
  return useForm<z.input<S>>({
    id: intent,
    lastResult: useResult(intent),
    defaultValue: defaultValue as never,
    constraint: getZodConstraint(schema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
}

export default function AccountProfile() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get("notice") ?? ""];
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Profile</h1>
          <p className="muted">Your details as we keep them. A customer since {data.memberSince}.</p>
        </div>
      </div>
      <AccountNav />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <p className="muted">
        Also here: <Link to="/account/beneficiaries">beneficiaries of your life cover</Link> and{" "}
        <Link to="/account/notifications">what we send you</Link>.
      </p>
      <NameSection name={data.name} />
      <PhoneSection phone={data.phone} pending={data.phoneCode} />
      <EmailSection email={data.email} verified={data.verified} pending={data.emailChange} />
      {data.identifiers.length ? <IdentifiersSection identifiers={data.identifiers} /> : null}
    </div>
  );
}

function useBusy(intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

function NameSection({ name }: { name: string }) {
  const [form, fields] = useIntentForm("name", nameSchema, { name });
  return (
    <section className="card" aria-labelledby="name-title">
      <h2 id="name-title">Name</h2>
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="name" />
        <Field label="Full name" autoComplete="name" {...inputProps(fields.name, { type: "text" })} />
        <div className="actions">
          <Button type="submit" busy={useBusy("name")}>
            Save my name
          </Button>
        </div>
      </Form>
    </section>
  );
}

function PhoneSection({ phone, pending }: { phone: string | null; pending: { phone: string; expires: string } | null }) {
  const [sendForm, sendFields] = useIntentForm("send-code", sendPhoneCodeSchema);
  const codeResult = useResult("confirm-code");
  const [codeForm, codeFields] = useIntentForm("confirm-code", phoneCodeSchema);
  const sending = useBusy("send-code");
  const confirming = useBusy("confirm-code");
  return (
    <section className="card stack" aria-labelledby="phone-title">
      <h2 id="phone-title">Phone</h2>
      <p>{phone ?? <span className="muted">No number yet</span>}</p>
      {pending || codeResult ? (
        <Form method="post" {...getFormProps(codeForm)} className="form-narrow">
          <FormErrors errors={codeForm.errors} />
          <input type="hidden" name="intent" value="confirm-code" />
          <Field
            label={pending ? `Code sent to ${pending.phone}` : "Code"}
            hint={pending ? `6 digits; it works until ${pending.expires}.` : "6 digits."}
            inputMode="numeric"
            autoComplete="one-time-code"
            {...inputProps(codeFields.code, { type: "text" })}
          />
          <div className="actions">
            <Button type="submit" busy={confirming}>
              Confirm my new number
            </Button>
          </div>
        </Form>
      ) : null}
      <Form method="post" {...getFormProps(sendForm)} className="form-narrow">
        <FormErrors errors={sendForm.errors} />
        <input type="hidden" name="intent" value="send-code" />
        <Field
          label="New mobile number"
          hint="We send a 6-digit code by text message to the new number; it changes once you enter the code."
          autoComplete="tel"
          {...inputProps(sendFields.phone, { type: "tel" })}
        />
        <div className="actions">
          <Button type="submit" variant={pending ? "secondary" : "primary"} busy={sending}>
            {pending ? "Send a new code" : "Send me a code"}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function EmailSection({
  email,
  verified,
  pending,
}: {
  email: string;
  verified: boolean;
  pending: { newEmail: string; expires: string } | null;
}) {
  const [form, fields] = useIntentForm("email", emailChangeSchema);
  return (
    <section className="card stack" aria-labelledby="email-title">
      <h2 id="email-title">Email</h2>
      <p className="break">
        {email}{" "}
        {verified ? <span className="badge badge-active">Confirmed</span> : <span className="badge badge-pending">Not confirmed</span>}
      </p>
      {pending ? (
        <Alert tone="info" title={`Waiting for ${pending.newEmail} to be confirmed`}>
          Open the link we sent there (it works until {pending.expires}).
          <Form method="post" className="section-actions">
            <input type="hidden" name="intent" value="withdraw-email" />
            <Button type="submit" variant="secondary" className="btn-small">
              Withdraw the change
            </Button>
          </Form>
        </Alert>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="email" />
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field
          label="New email address"
          autoComplete="email"
          hint="We send a link to the new address and tell the one you have now."
          {...inputProps(fields.newEmail, { type: "email" })}
        />
        <Field label="Your current password" autoComplete="current-password" {...inputProps(fields.password, { type: "password" })} />
        <div className="actions">
          <Button type="submit" busy={useBusy("email")}>
            Change my email
          </Button>
        </div>
      </Form>
    </section>
  );
}

function IdentifiersSection({ identifiers }: { identifiers: { kind: string; label: string; masked: string | null }[] }) {
  const [form, fields] = useIntentForm("identifiers", identifiersSchema);
  const meta = fields as unknown as Record<string, Parameters<typeof inputProps>[0]>;
  return (
    <section className="card stack" aria-labelledby="identifiers-title">
      <h2 id="identifiers-title">Identity numbers</h2>
      <p className="muted">Stored encrypted; we only ever show the last characters. To change one, type it again in full.</p>
      <dl className="details-list">
        {identifiers.map((i) => (
          <div key={i.kind}>
            <dt>{i.label}</dt>
            <dd>{i.masked ? <code className="identifier">{i.masked}</code> : <span className="muted">Not given</span>}</dd>
          </div>
        ))}
      </dl>
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="identifiers" />
        {identifiers.map((i) => (
          <Field key={i.kind} label={`New ${i.label}`} autoComplete="off" {...inputProps(meta[i.kind]!, { type: "text" })} />
        ))}
        <div className="actions">
          <Button type="submit" busy={useBusy("identifiers")}>
            Save identity numbers
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Profile");

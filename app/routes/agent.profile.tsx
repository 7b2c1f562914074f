import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { resendVerification } from "~/modules/auth/accounts.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { DUITNOW_CHOICES, duitNowSchema } from "~/modules/commissions/bank-files/schemas";
import { duitNowChoice, updateDuitNow } from "~/modules/commissions/bank-files/duitnow.server";
import { bankDetailsSchema, phoneCodeSchema, phoneSchema } from "~/modules/network/agent-schemas";
import { serverT } from "~/modules/i18n/i18n.server";
import { agentProfile, updateBankDetails } from "~/modules/network/agents.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { pendingPhoneCode, sendPhoneCode, verifyPhoneCode } from "~/modules/network/phone.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /agent/profile — the agent's own details: referral link, email and phone confirmation, where to be paid. */
const sendCodeSchema = z.object({ phone: phoneSchema });
type Intent = "send-code" | "verify-code" | "bank" | "duitnow" | "resend-email";

/** DuitNow (decision 047) is Malaysian: offered to agencies that pay in ringgit. */
const offersDuitNow = (tenant: { currency: string }) => tenant.currency === "MYR";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const { profile, pending, duitNow } = await withTenant(tenant.id, async (db) => ({
    profile: await agentProfile(db, agent.id),
    pending: await pendingPhoneCode(db, agent.id),
    duitNow: offersDuitNow(tenant) ? { choice: await duitNowChoice(db, agent.id) } : null,
  }));
  if (!profile) throw new Response("Not found", { status: 404 });
  const t = await serverT(tenant.language, "agent");
  return json({
    title: t("profile.title"),
    number: profile.agent_number,
    code: profile.referral_code,
    link: `${originOf(request)}/join/${profile.referral_code}`,
    status: profile.status,
    statusLabel: t(`agentStatus.${profile.status}`),
    email: profile.email,
    emailVerified: profile.email_verified_at !== null,
    phone: profile.phone,
    phoneVerified: profile.phone_verified_at !== null,
    pendingCode: pending ? { phone: pending.phone, expires: formatDateTime(pending.expiresAt, tenant.locale, tenant.timeZone) } : null,
    bank: profile.bank_account_masked
      ? { name: profile.bank_name, masked: profile.bank_account_masked, holder: profile.bank_account_holder }
      : null,
    duitNow,
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
    case "duitnow": {
      if (!offersDuitNow(tenant)) throw new Response("Unknown action", { status: 400 });
      const submission = parseWithZod(formData, { schema: duitNowSchema });
      if (submission.status !== "success") return respond("duitnow", submission.reply({ hideFields: ["proxy"] }));
      const { proxyType, proxy } = submission.value;
      await withTenant(tenant.id, (db) =>
        updateDuitNow(
          db,
          tenant.id,
          { agentId: agent.id, proxyType: proxyType === "none" ? null : proxyType, proxy: proxy ?? null },
          actor,
        ),
      );
      return redirect("/agent/profile?notice=duitnow-saved");
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

/** The notices after a redirect (?notice=…); the words are agent:profile.notice.*. */
const NOTICES = ["code-sent", "phone-verified", "bank-saved", "duitnow-saved", "email-sent"] as const;

export default function AgentProfile() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t } = useTranslation("agent");
  const code = params.get("joined") ? "joined" : NOTICES.find((n) => n === params.get("notice"));
  const notice = code ? t(`profile.notice.${code}`) : null;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("profile.title")}</h1>
          <p className="muted">
            {t("profile.agent", { number: data.number })} · <span className="badge">{data.statusLabel}</span>
          </p>
        </div>
      </div>
      {notice ? <Alert tone="success">{notice}</Alert> : null}

      <section className="card" aria-labelledby="referral-title">
        <h2 id="referral-title">{t("profile.referral")}</h2>
        <p>
          <code className="identifier">{data.code}</code>
        </p>
        <p className="break">
          <Trans
            t={t}
            i18nKey="profile.joinThrough"
            values={{ link: data.link }}
            components={{ link: <a href={data.link}>{data.link}</a> }}
          />
        </p>
      </section>

      <EmailSection email={data.email} verified={data.emailVerified} />
      <PhoneSection phone={data.phone} verified={data.phoneVerified} pendingCode={data.pendingCode} />
      <BankSection bank={data.bank} />
      {data.duitNow ? <DuitNowSection choice={data.duitNow.choice} /> : null}
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
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">{t("profile.email")}</h2>
      <p className="break">
        {email} <Confirmed verified={verified} />
      </p>
      {verified ? null : (
        <Form method="post">
          {message ? <Alert tone="error">{errorText([message])}</Alert> : null}
          <p className="muted">{t("profile.followLink")}</p>
          <input type="hidden" name="intent" value="resend-email" />
          <Button type="submit" variant="secondary" busy={busy}>
            {t("profile.resend")}
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
  const { t } = useTranslation("agent");
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
        label={t("profile.mobile")}
        hint={t("profile.mobileHint")}
        autoComplete="tel"
        {...inputProps(sendFields.phone, { type: "tel" })}
      />
      <div className="actions">
        <Button type="submit" variant={pendingCode ? "secondary" : "primary"} busy={busyIntent === "send-code"}>
          {pendingCode ? t("profile.newCode") : t("profile.sendCode")}
        </Button>
      </div>
    </Form>
  );
  return (
    <section className="card stack" aria-labelledby="phone-title">
      <h2 id="phone-title">{t("profile.phone")}</h2>
      <p>
        {phone ?? <span className="muted">{t("profile.noNumber")}</span>} {phone ? <Confirmed verified={verified} /> : null}
      </p>
      {pendingCode ? (
        <Form method="post" {...getFormProps(codeForm)} className="stack">
          <input type="hidden" name="intent" value="verify-code" />
          <FormErrors errors={codeForm.errors} />
          <Field
            label={t("profile.codeSent", { phone: pendingCode.phone })}
            hint={t("profile.codeHint", { expires: pendingCode.expires })}
            inputMode="numeric"
            autoComplete="one-time-code"
            {...inputProps(codeFields.code, { type: "text" })}
          />
          <div className="actions">
            <Button type="submit" busy={busyIntent === "verify-code"}>
              {t("profile.confirmPhone")}
            </Button>
          </div>
        </Form>
      ) : null}
      {verified && !pendingCode ? (
        // A confirmed number can still be changed; the new one is confirmed by its own code.
        <details>
          <summary>{t("profile.changeNumber")}</summary>
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
  const { t } = useTranslation("agent");
  return (
    <section className="card stack" aria-labelledby="bank-title">
      <h2 id="bank-title">{t("profile.bankTitle")}</h2>
      {bank ? (
        <p>
          {bank.name} <code>{bank.masked}</code> <span className="muted">· {bank.holder}</span>
        </p>
      ) : (
        <p className="muted">{t("profile.noBank")}</p>
      )}
      <Form method="post" {...getFormProps(form)} className="stack form-narrow">
        <input type="hidden" name="intent" value="bank" />
        <FormErrors errors={form.errors} />
        <Field label={t("profile.bank")} hint={t("profile.bankHint")} {...inputProps(fields.bankName, { type: "text" })} />
        <Field
          label={t("profile.accountNumber")}
          hint={bank ? t("profile.accountChange") : t("profile.accountHint")}
          inputMode="numeric"
          autoComplete="off"
          {...inputProps(fields.accountNumber, { type: "text" })}
        />
        <Field label={t("profile.holder")} hint={t("profile.holderHint")} {...inputProps(fields.accountHolder, { type: "text" })} />
        <div className="actions">
          <Button type="submit" busy={busy}>
            {t("profile.saveBank")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** Paid by DuitNow to a mobile or MyKad number instead of the account number (the agency's bank file honours it). */
function DuitNowSection({ choice }: { choice: { type: "mobile" | "nric"; masked: string } | null }) {
  const [form, fields] = useForm({
    id: "duitnow",
    lastResult: useResult("duitnow")?.reply,
    defaultValue: { proxyType: choice?.type ?? "none" },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: duitNowSchema }),
  });
  const busy = useNavigation().formData?.get("intent") === "duitnow";
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  const typeErrors = fields.proxyType.errors;
  return (
    <section className="card stack" aria-labelledby="duitnow-title">
      <h2 id="duitnow-title">{t("profile.duitNow.title")}</h2>
      <p>{choice ? t(`profile.duitNow.current.${choice.type}`, { masked: choice.masked }) : t("profile.duitNow.byAccount")}</p>
      <Form method="post" {...getFormProps(form)} className="stack form-narrow">
        <input type="hidden" name="intent" value="duitnow" />
        <FormErrors errors={form.errors} />
        <fieldset
          className={`field${typeErrors?.length ? " field-invalid" : ""}`}
          aria-describedby={typeErrors?.length ? `${fields.proxyType.id}-error` : undefined}
        >
          <legend>{t("profile.duitNow.how")}</legend>
          {DUITNOW_CHOICES.map((value) => (
            <div className="checkbox" key={value}>
              <input
                type="radio"
                id={`duitnow-${value}`}
                name={fields.proxyType.name}
                value={value}
                defaultChecked={fields.proxyType.initialValue === value}
              />
              <label htmlFor={`duitnow-${value}`}>{t(`profile.duitNow.choice.${value}`)}</label>
            </div>
          ))}
          {typeErrors?.length ? (
            <p className="field-error" id={`${fields.proxyType.id}-error`} role="alert">
              {errorText(typeErrors)}
            </p>
          ) : null}
        </fieldset>
        <Field
          label={t("profile.duitNow.number")}
          hint={t("profile.duitNow.numberHint")}
          autoComplete="off"
          {...inputProps(fields.proxy, { type: "text" })}
        />
        <div className="actions">
          <Button type="submit" busy={busy}>
            {t("profile.duitNow.save")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** Whether an email or phone number is confirmed, as a badge. */
function Confirmed({ verified }: { verified: boolean }) {
  const { t } = useTranslation("agent");
  return verified ? (
    <span className="badge badge-active">{t("profile.confirmed")}</span>
  ) : (
    <span className="badge badge-pending">{t("profile.notConfirmed")}</span>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "My agent profile");

export const headers = keepRetryAfter;

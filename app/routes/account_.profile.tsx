import type { Language } from "~db/schema";
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AccountNav } from "~/components/account/account-nav";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { LANGUAGE_NAMES, LANGUAGES } from "~/lib/languages";
import { pageTitle } from "~/lib/meta";
import { requestEmailChange, withdrawEmailChange } from "~/modules/account/email-change.server";
import { rememberLanguage } from "~/modules/account/language.server";
import { confirmAccountPhone, sendAccountPhoneCode } from "~/modules/account/phone.server";
import { profileOf, renameAccount, saveAccountIdentifiers } from "~/modules/account/profile.server";
import { emailChangeSchema, identifiersSchema, nameSchema, phoneCodeSchema, sendPhoneCodeSchema } from "~/modules/account/schemas";
import { clientOf, countRequest, keepRetryAfter, refusedWith } from "~/modules/abuse/rate-limit.server";
import { clientInfo, requirePermission, requireUser } from "~/modules/auth/guards.server";
import { languageCookieHeader, serverT } from "~/modules/i18n/i18n.server";
import { IDENTIFIER_LABELS } from "~/modules/policies/admin.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** /account/profile — the customer's name, phone, email and identity numbers (issue 13 item 6). */

type Intent = "name" | "send-code" | "confirm-code" | "email" | "withdraw-email" | "identifiers" | "language";

const languageSchema = z.object({ language: z.enum(LANGUAGES) });

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

/** The notices a redirect back here may show (?notice=…), each a key of profile.notice. */
const NOTICES = new Set(["name", "code-sent", "phone", "email", "email-withdrawn", "identifiers", "language"]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const profile = await withTenant(tenant.id, (db) => profileOf(db, tenant, user.id));
  if (!profile) throw new Response("Not found", { status: 404 });
  const when = (d: Date) => formatDateTime(d, tenant.locale, tenant.timeZone);
  const common = await serverT(tenant.language, "common");
  return json({
    name: profile.user.name,
    email: profile.user.email,
    verified: profile.user.email_verified_at !== null,
    phone: profile.user.phone,
    memberSince: formatDate(profile.user.created_at, tenant.locale, tenant.timeZone),
    phoneCode: profile.phoneCode ? { phone: profile.phoneCode.phone, expires: when(profile.phoneCode.expiresAt) } : null,
    emailChange: profile.emailChange ? { newEmail: profile.emailChange.new_email, expires: when(profile.emailChange.expires_at) } : null,
    identifiers: profile.identifiers.map((i) => ({
      ...i,
      label: common(`identifierKinds.${i.kind}`, { defaultValue: IDENTIFIER_LABELS[i.kind] ?? i.kind }),
    })),
    // The account's own choice; a person who never chose reads the page's language.
    language: profile.user.language && tenant.languages.includes(profile.user.language) ? profile.user.language : tenant.language,
    languages: tenant.languages,
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
  if (intent === "language") {
    // Like the switcher (routes/language.tsx): on the account for emails, texts and documents, and in
    // the cookie for the pages; only a language the agency offers.
    const parsed = languageSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success || !tenant.languages.includes(parsed.data.language)) return json({ intent, reply: null }, { status: 400 });
    await withTenant(tenant.id, (db) => rememberLanguage(db, user.id, parsed.data.language));
    const secure = new URL(request.url).protocol === "https:";
    return redirect("/account/profile?notice=language", {
      headers: { "Set-Cookie": await languageCookieHeader(parsed.data.language, secure) },
    });
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
  const { t } = useTranslation("account");
  const noticeKey = params.get("notice") ?? "";
  const notice = NOTICES.has(noticeKey) ? t(`profile.notice.${noticeKey}`) : null;
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("profile.title")}</h1>
          <p className="muted">{t("profile.since", { date: data.memberSince })}</p>
        </div>
      </div>
      <AccountNav />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <p className="muted">
        {t("profile.alsoHere")} <Link to="/account/beneficiaries">{t("profile.beneficiariesLink")}</Link> {t("profile.and")}{" "}
        <Link to="/account/notifications">{t("profile.notificationsLink")}</Link>.
      </p>
      <NameSection name={data.name} />
      <PhoneSection phone={data.phone} pending={data.phoneCode} />
      <EmailSection email={data.email} verified={data.verified} pending={data.emailChange} />
      {data.identifiers.length ? <IdentifiersSection identifiers={data.identifiers} /> : null}
      {data.languages.length > 1 ? <LanguageSection language={data.language} languages={data.languages} /> : null}
    </div>
  );
}

function useBusy(intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

function NameSection({ name }: { name: string }) {
  const [form, fields] = useIntentForm("name", nameSchema, { name });
  const { t } = useTranslation("account");
  return (
    <section className="card" aria-labelledby="name-title">
      <h2 id="name-title">{t("profile.name.title")}</h2>
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="name" />
        <Field label={t("profile.name.label")} autoComplete="name" {...inputProps(fields.name, { type: "text" })} />
        <div className="actions">
          <Button type="submit" busy={useBusy("name")}>
            {t("profile.name.save")}
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
  const { t } = useTranslation("account");
  return (
    <section className="card stack" aria-labelledby="phone-title">
      <h2 id="phone-title">{t("profile.phone.title")}</h2>
      <p>{phone ?? <span className="muted">{t("profile.phone.none")}</span>}</p>
      {pending || codeResult ? (
        <Form method="post" {...getFormProps(codeForm)} className="form-narrow">
          <FormErrors errors={codeForm.errors} />
          <input type="hidden" name="intent" value="confirm-code" />
          <Field
            label={pending ? t("profile.phone.codeSentTo", { phone: pending.phone }) : t("profile.phone.code")}
            hint={pending ? t("profile.phone.codeHintUntil", { date: pending.expires }) : t("profile.phone.codeHint")}
            inputMode="numeric"
            autoComplete="one-time-code"
            {...inputProps(codeFields.code, { type: "text" })}
          />
          <div className="actions">
            <Button type="submit" busy={confirming}>
              {t("profile.phone.confirm")}
            </Button>
          </div>
        </Form>
      ) : null}
      <Form method="post" {...getFormProps(sendForm)} className="form-narrow">
        <FormErrors errors={sendForm.errors} />
        <input type="hidden" name="intent" value="send-code" />
        <Field
          label={t("profile.phone.newNumber")}
          hint={t("profile.phone.newNumberHint")}
          autoComplete="tel"
          {...inputProps(sendFields.phone, { type: "tel" })}
        />
        <div className="actions">
          <Button type="submit" variant={pending ? "secondary" : "primary"} busy={sending}>
            {pending ? t("profile.phone.sendNew") : t("profile.phone.send")}
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
  const { t } = useTranslation("account");
  return (
    <section className="card stack" aria-labelledby="email-title">
      <h2 id="email-title">{t("profile.email.title")}</h2>
      <p className="break">
        {email}{" "}
        {verified ? (
          <span className="badge badge-active">{t("profile.email.confirmed")}</span>
        ) : (
          <span className="badge badge-pending">{t("profile.email.notConfirmed")}</span>
        )}
      </p>
      {pending ? (
        <Alert tone="info" title={t("profile.email.waiting", { email: pending.newEmail })}>
          {t("profile.email.openLink", { date: pending.expires })}
          <Form method="post" className="section-actions">
            <input type="hidden" name="intent" value="withdraw-email" />
            <Button type="submit" variant="secondary" className="btn-small">
              {t("profile.email.withdraw")}
            </Button>
          </Form>
        </Alert>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="email" />
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field
          label={t("profile.email.newEmail")}
          autoComplete="email"
          hint={t("profile.email.newEmailHint")}
          {...inputProps(fields.newEmail, { type: "email" })}
        />
        <Field label={t("profile.email.password")} autoComplete="current-password" {...inputProps(fields.password, { type: "password" })} />
        <div className="actions">
          <Button type="submit" busy={useBusy("email")}>
            {t("profile.email.change")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

function IdentifiersSection({ identifiers }: { identifiers: { kind: string; label: string; masked: string | null }[] }) {
  const [form, fields] = useIntentForm("identifiers", identifiersSchema);
  const meta = fields as unknown as Record<string, Parameters<typeof inputProps>[0]>;
  const { t } = useTranslation("account");
  return (
    <section className="card stack" aria-labelledby="identifiers-title">
      <h2 id="identifiers-title">{t("profile.identifiers.title")}</h2>
      <p className="muted">{t("profile.identifiers.intro")}</p>
      <dl className="details-list">
        {identifiers.map((i) => (
          <div key={i.kind}>
            <dt>{i.label}</dt>
            <dd>
              {i.masked ? (
                <code className="identifier">{i.masked}</code>
              ) : (
                <span className="muted">{t("profile.identifiers.notGiven")}</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
      <Form method="post" {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="identifiers" />
        {identifiers.map((i) => (
          <Field
            key={i.kind}
            label={t("profile.identifiers.new", { label: i.label })}
            autoComplete="off"
            {...inputProps(meta[i.kind]!, { type: "text" })}
          />
        ))}
        <div className="actions">
          <Button type="submit" busy={useBusy("identifiers")}>
            {t("profile.identifiers.save")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

/** The language of the account (issue 14): a plain select, saved like the switcher's choice. */
function LanguageSection({ language, languages }: { language: Language; languages: Language[] }) {
  const { t } = useTranslation("account");
  return (
    <section className="card stack" aria-labelledby="language-title">
      <h2 id="language-title">{t("profile.language.title")}</h2>
      <p className="muted">{t("profile.language.intro")}</p>
      <Form method="post" className="form-narrow">
        <input type="hidden" name="intent" value="language" />
        <div className="field">
          <label htmlFor="profile-language">{t("profile.language.label")}</label>
          <select id="profile-language" name="language" defaultValue={language}>
            {languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <Button type="submit" busy={useBusy("language")}>
            {t("profile.language.save")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Profile");

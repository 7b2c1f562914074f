import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { AccountNav } from "~/components/account/account-nav";
import { SignedInList } from "~/components/account/signed-in-list";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { describeUserAgent } from "~/lib/user-agent";
import { changePassword, endOtherSessions, endSession, resendVerification } from "~/modules/auth/accounts.server";
import { clientInfo, requirePermission, requireUser } from "~/modules/auth/guards.server";
import { newPasswordSchema } from "~/modules/auth/schemas";
import { listSessions } from "~/modules/auth/sessions.server";
import { listFamilies } from "~/modules/auth/api-tokens.server";
import { endSignedIn } from "~/modules/auth/api-sign-in.server";
import { getProfile } from "~/modules/auth/users.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { lineText, secretText } from "~/lib/text";
import { Trans, useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

const changePasswordSchema = z
  .object({
    currentPassword: secretText("Enter your current password"),
    newPassword: newPasswordSchema,
    confirmPassword: secretText("Enter the new password again"),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords do not match",
  });

// Sessions are named by the SHA-256 of their secret: useless as a cookie, enough to pick one.
const revokeSessionSchema = z.object({
  sessionId: lineText("Choose a session").regex(/^[0-9a-f]{64}$/, "That session does not exist"),
});

const revokeAppSchema = z.object({ appId: lineText("Choose an app").uuid("That app does not exist") });

const PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];

type Intent = "resend-verification" | "change-password" | "revoke-session" | "revoke-others" | "revoke-app";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const { profile, sessions, apps } = await withTenant(tenant.id, async (db) => ({
    profile: await getProfile(db, user.id),
    sessions: await listSessions(db, user.id),
    apps: await listFamilies(db, user.id),
  }));
  if (!profile) throw new Response("Not found", { status: 404 });
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("security.title"),
    timeZone: tenant.timeZone,
    profile: { email: profile.email, verified: profile.email_verified_at !== null },
    sessions: sessions
      .map((s) => ({
        id: s.id_hash,
        current: s.id_hash === user.sessionIdHash,
        name: s.user_agent ? describeUserAgent(s.user_agent) : t("security.unknownDevice"),
        detail: s.user_agent ?? "",
        ip: s.ip,
        signedInAt: when(s.created_at),
        lastActiveAt: when(s.last_seen_at),
        lastActiveIso: s.last_seen_at.toISOString(),
      }))
      // This device first, then the most recently active.
      .sort((a, b) => Number(b.current) - Number(a.current)),
    apps: apps.map((a) => ({
      id: a.id,
      name: a.client_name ?? t("security.unnamedApp"),
      ip: a.ip,
      signedInAt: when(a.created_at),
      lastActiveAt: when(a.last_used_at),
      lastActiveIso: a.last_used_at.toISOString(),
    })),
  });
}

function respond(intent: Intent, body: { reply?: SubmissionResult<string[]>; notice?: string; error?: string }, status = 200) {
  return json({ intent, ...body }, { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "update:account:own");
  const formData = await readForm(request);
  const ctx = { ip: clientInfo(request).ip, origin: originOf(request) };
  const t = await serverT(tenant.language, "account");
  switch (formData.get("intent")) {
    case "resend-verification": {
      const result = await withTenant(tenant.id, (db) => resendVerification(db, tenant, user.id, ctx));
      return result.ok
        ? respond("resend-verification", { notice: t("security.linkSent", { email: user.email }) })
        : respond("resend-verification", { error: result.errors.form?.join(" ") }, 429);
    }
    case "change-password": {
      const submission = parseWithZod(formData, { schema: changePasswordSchema });
      if (submission.status !== "success") {
        return respond("change-password", { reply: submission.reply({ hideFields: PASSWORD_FIELDS }) }, 400);
      }
      const { currentPassword, newPassword } = submission.value;
      const result = await withTenant(tenant.id, (db) =>
        changePassword(db, { userId: user.id, currentPassword, newPassword, keepSessionIdHash: user.sessionIdHash }, ctx),
      );
      if (!result.ok) {
        return respond("change-password", { reply: submission.reply({ ...replyErrors(result.errors), hideFields: PASSWORD_FIELDS }) }, 400);
      }
      return respond("change-password", {
        reply: submission.reply({ resetForm: true }),
        notice: t("security.passwordChanged"),
      });
    }
    case "revoke-session": {
      const submission = parseWithZod(formData, { schema: revokeSessionSchema });
      if (submission.status !== "success") return respond("revoke-session", { error: t("security.noSuchSession") }, 400);
      if (submission.value.sessionId === user.sessionIdHash) {
        return respond("revoke-session", { error: t("security.thisDevice") }, 400);
      }
      const ended = await withTenant(tenant.id, (db) => endSession(db, user.id, submission.value.sessionId, ctx));
      return ended
        ? respond("revoke-session", { notice: t("security.deviceSignedOut") })
        : respond("revoke-session", { error: t("security.sessionEnded") }, 404);
    }
    case "revoke-others": {
      await withTenant(tenant.id, (db) => endOtherSessions(db, user, ctx));
      return respond("revoke-others", { notice: t("security.othersSignedOut") });
    }
    case "revoke-app": {
      const submission = parseWithZod(formData, { schema: revokeAppSchema });
      if (submission.status !== "success") return respond("revoke-app", { error: t("security.noSuchApp") }, 400);
      const ended = await withTenant(tenant.id, (db) => endSignedIn(db, user.id, submission.value.appId, ctx));
      return ended
        ? respond("revoke-app", { notice: t("security.appSignedOut") })
        : respond("revoke-app", { error: t("security.noSuchApp") }, 404);
    }
    default:
      return respond("revoke-others", { error: t("security.notUnderstood") }, 400);
  }
}

export default function AccountSecurity() {
  const { profile, sessions, apps, timeZone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const resultFor = (intent: Intent) => (actionData?.intent === intent ? actionData : undefined);
  const verifyResult = resultFor("resend-verification");
  const sessionResult = resultFor("revoke-session") ?? resultFor("revoke-others");
  const others = sessions.filter((s) => !s.current);
  const { t } = useTranslation("account");
  const errorText = useErrorText();

  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("security.title")}</h1>
          <p className="muted">{t("security.intro")}</p>
        </div>
        <div className="actions">
          <Form method="post" action="/logout">
            <Button type="submit" variant="secondary">
              {t("overview.signOut")}
            </Button>
          </Form>
        </div>
      </div>
      <AccountNav />

      <section className="card" id="verify" aria-labelledby="verify-title">
        <h2 id="verify-title">{t("security.emailTitle")}</h2>
        {verifyResult?.notice ? <Alert tone="success">{verifyResult.notice}</Alert> : null}
        {verifyResult?.error ? <Alert tone="error">{errorText([verifyResult.error])}</Alert> : null}
        {profile.verified ? (
          <p>
            <Trans t={t} i18nKey="security.confirmed" values={{ email: profile.email }} components={{ strong: <strong /> }} />
          </p>
        ) : (
          <>
            <p>
              <Trans t={t} i18nKey="security.pleaseConfirm" values={{ email: profile.email }} components={{ strong: <strong /> }} />
            </p>
            <Form method="post" preventScrollReset>
              <input type="hidden" name="intent" value="resend-verification" />
              <Button type="submit" variant="secondary" busy={busyIntent === "resend-verification"}>
                {t("security.sendLink")}
              </Button>
            </Form>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">{t("security.twoFactorTitle")}</h2>
        <p>
          {t("security.twoFactorText")} <Link to="/account/two-factor">{t("security.twoFactorLink")}</Link>.
        </p>
      </section>

      <ChangePassword email={profile.email} result={resultFor("change-password")} busy={busyIntent === "change-password"} />

      <SignedInList
        kind="session"
        rows={sessions}
        intro={t("security.sessionsIntro", { zone: timeZone.replace("_", " ") })}
        result={sessionResult}
      >
        {others.length > 0 ? (
          <Form method="post" preventScrollReset className="section-actions">
            <input type="hidden" name="intent" value="revoke-others" />
            <Button type="submit" variant="danger" busy={busyIntent === "revoke-others"}>
              {t("security.signOutOthers")}
            </Button>
          </Form>
        ) : (
          <p className="muted section-actions">{t("security.onlyDevice")}</p>
        )}
      </SignedInList>

      <SignedInList kind="app" rows={apps} intro={t("security.appsIntro")} result={resultFor("revoke-app")} />
    </div>
  );
}

function ChangePassword({
  email,
  result,
  busy,
}: {
  email: string;
  result: { reply?: SubmissionResult<string[]>; notice?: string } | undefined;
  busy: boolean;
}) {
  const [form, fields] = useForm({
    id: "change-password",
    lastResult: result?.reply,
    constraint: getZodConstraint(changePasswordSchema),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema }),
  });
  const { t } = useTranslation("account");
  const authT = useTranslation("auth").t;
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t("security.passwordTitle")}</h2>
      {result?.notice ? <Alert tone="success">{result.notice}</Alert> : null}
      <Form method="post" preventScrollReset {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="change-password" />
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field
          label={t("security.currentPassword")}
          {...inputProps(fields.currentPassword, { type: "password" })}
          autoComplete="current-password"
        />
        <Field
          label={t("security.newPassword")}
          {...inputProps(fields.newPassword, { type: "password" })}
          autoComplete="new-password"
          hint={`${authT("passwordRules")} ${t("security.notRecent")}`}
        />
        <Field
          label={t("security.confirmPassword")}
          {...inputProps(fields.confirmPassword, { type: "password" })}
          autoComplete="new-password"
        />
        <div className="actions">
          <Button type="submit" busy={busy}>
            {t("security.passwordSubmit")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Sign-in and security");

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientOf, countRequest, retryAfterHeaders, tryAgainMessage } from "~/modules/abuse/rate-limit.server";
import { clientInfo, requirePermission, requireUser } from "~/modules/auth/guards.server";
import { userCookie } from "~/modules/auth/sessions.server";
import { fileStore } from "~/modules/files/storage.server";
import { closeAccount } from "~/modules/privacy/closure.server";
import { requestDataExport } from "~/modules/privacy/exports.server";
import { privacyPageData } from "~/modules/privacy/page.server";
import { CLOSE_CONFIRMATION, closeAccountSchema } from "~/modules/privacy/schemas";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** /account/privacy: download my data, and close my account (decision 034). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const t = await serverT(tenant.language, "account");
  const data = await withTenant(tenant.id, (db) => privacyPageData(db, tenant, user, new Date(), t));
  return json({ ...data, title: t("privacy.title") }, { headers: { "Cache-Control": "private, no-store" } });
}

const HIDDEN = ["password"];

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "update:account:own");
  const form = await readForm(request);
  const ip = clientInfo(request).ip;
  if (form.get("intent") === "request-export") {
    const outcome = await withTenant(tenant.id, (db) => requestDataExport(db, tenant.id, user.id, { ip }));
    if (!outcome.ok)
      return json({ intent: "request-export" as const, error: outcome.message }, { status: outcome.code === "too_many" ? 429 : 409 });
    return redirect("/account/privacy?requested=1");
  }
  if (form.get("intent") !== "close-account") {
    const t = await serverT(tenant.language, "account");
    return json({ intent: "request-export" as const, error: t("security.notUnderstood") }, { status: 400 });
  }
  const submission = parseWithZod(form, { schema: closeAccountSchema });
  if (submission.status !== "success") {
    return json({ intent: "close-account" as const, reply: submission.reply({ hideFields: HIDDEN }) }, { status: 400 });
  }
  // A password guess like any other (decision 012): one client cannot try many from a stolen session.
  const counted = await countRequest("sign_in", tenant.id, clientOf(request, user.id));
  if (counted.limited) {
    return json(
      { intent: "close-account" as const, reply: submission.reply({ formErrors: [tryAgainMessage(counted)], hideFields: HIDDEN }) },
      { status: 429, headers: retryAfterHeaders(counted) },
    );
  }
  const outcome = await withTenant(tenant.id, (db) => closeAccount(db, tenant, user, { password: submission.value.password }, { ip }));
  if (!outcome.ok) {
    return json(
      { intent: "close-account" as const, reply: submission.reply({ ...replyErrors(outcome.errors), hideFields: HIDDEN }) },
      { status: outcome.blockers ? 409 : 400 },
    );
  }
  // Rows went with the account's transaction; their files go now (an orphan left by a failure here
  // is removed by the daily sweep).
  for (const key of outcome.filesToDelete) await fileStore().delete(key);
  return redirect("/account/privacy/closed", { headers: { "Set-Cookie": await userCookie().serialize("", { maxAge: 0 }) } });
}

export default function Privacy() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const revalidator = useRevalidator();
  // While a copy is being prepared, look again every few seconds (without script: the link below).
  useEffect(() => {
    if (!data.inFlight) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [data.inFlight, revalidator]);
  const exportError = actionData && actionData.intent === "request-export" && "error" in actionData ? actionData.error : null;
  const closeReply = actionData && actionData.intent === "close-account" && "reply" in actionData ? actionData.reply : undefined;
  const { t } = useTranslation("account");
  const errorText = useErrorText();

  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("privacy.title")}</h1>
          <p className="muted">{t("privacy.intro")}</p>
        </div>
      </div>
      <AccountNav />

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">{t("privacy.exportTitle")}</h2>
        <p>{t("privacy.exportText")}</p>
        {params.get("requested") === "1" && data.inFlight ? <Alert tone="success">{t("privacy.preparing")}</Alert> : null}
        {exportError ? <Alert tone="error">{errorText([exportError])}</Alert> : null}
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="request-export" />
          <Button type="submit" busy={busy === "request-export"} disabled={data.inFlight}>
            {t("privacy.prepare")}
          </Button>
        </Form>
        {data.exports.length > 0 ? (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">{t("privacy.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("privacy.askedFor")}</th>
                  <th scope="col">{t("payments.status")}</th>
                  <th scope="col">{t("privacy.download")}</th>
                </tr>
              </thead>
              <tbody>
                {data.exports.map((e) => (
                  <tr key={e.id}>
                    <td data-label={t("privacy.askedFor")}>{e.requestedAt}</td>
                    <td data-label={t("payments.status")}>
                      <span
                        className={`badge badge-${e.status === "ready" ? "active" : e.status === "failed" ? "danger" : "pending"}`}
                        data-status={e.status}
                      >
                        {e.statusLabel}
                      </span>
                      {e.error ? <span className="muted small"> {e.error}</span> : null}
                    </td>
                    <td data-label={t("privacy.download")}>
                      {e.href ? (
                        <>
                          <a href={e.href}>{t("privacy.exportTitle")}</a>
                          <span className="muted small"> {t("privacy.until", { size: e.size, date: e.expiresAt })}</span>
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {data.inFlight ? (
          <p className="muted">
            <Link to="/account/privacy">{t("paymentDetail.checkAgain")}</Link>
          </p>
        ) : null}
      </section>

      <CloseAccount blockers={data.blockers} reply={closeReply} busy={busy === "close-account"} />
    </div>
  );
}

function CloseAccount({ blockers, reply, busy }: { blockers: string[]; reply?: SubmissionResult<string[]>; busy: boolean }) {
  const [form, fields] = useForm({
    id: "close-account",
    lastResult: reply,
    constraint: getZodConstraint(closeAccountSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: closeAccountSchema }),
  });
  const { t } = useTranslation("account");
  return (
    <section className="card" aria-labelledby="close-title">
      <h2 id="close-title">{t("privacy.closeTitle")}</h2>
      <p>{t("privacy.closeText")}</p>
      {blockers.length ? (
        <Alert tone="warning" title={t("privacy.cannotClose")}>
          <ul>
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <Form method="post" preventScrollReset {...getFormProps(form)} className="form-narrow">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="close-account" />
        <Field label={t("twoFactor.password")} {...inputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        <Field
          label={t("privacy.typeToConfirm", { words: CLOSE_CONFIRMATION })}
          {...inputProps(fields.confirmation, { type: "text" })}
          autoComplete="off"
        />
        <div className="actions">
          <Button type="submit" variant="danger" busy={busy}>
            {t("privacy.closeTitle")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Privacy");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps } from "~/components/ui/field";
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

/** /account/privacy: download my data, and close my account (decision 034). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const data = await withTenant(tenant.id, (db) => privacyPageData(db, tenant, user));
  return json(data, { headers: { "Cache-Control": "private, no-store" } });
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
    return json({ intent: "request-export" as const, error: "We did not understand that request. Please try again." }, { status: 400 });
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

  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>Privacy</h1>
          <p className="muted">Get a copy of the data we hold about you, or close your account.</p>
        </div>
      </div>
      <AccountNav />

      <section className="card" aria-labelledby="export-title">
        <h2 id="export-title">Download my data</h2>
        <p>
          We put everything we hold about you into one ZIP file: your details, identifiers, policies, payments, claims, the messages we sent
          you and your account&apos;s activity (as JSON), with your documents. It takes a few minutes; we email you a link that works for
          seven days, only when you are signed in.
        </p>
        {params.get("requested") === "1" && data.inFlight ? (
          <Alert tone="success">We are preparing your data. This page shows when it is ready, and we will email you.</Alert>
        ) : null}
        {exportError ? <Alert tone="error">{exportError}</Alert> : null}
        <Form method="post" preventScrollReset>
          <input type="hidden" name="intent" value="request-export" />
          <Button type="submit" busy={busy === "request-export"} disabled={data.inFlight}>
            Prepare my data
          </Button>
        </Form>
        {data.exports.length > 0 ? (
          <div className="table-wrap">
            <table className="data">
              <caption className="visually-hidden">Your recent requests</caption>
              <thead>
                <tr>
                  <th scope="col">Asked for</th>
                  <th scope="col">Status</th>
                  <th scope="col">Download</th>
                </tr>
              </thead>
              <tbody>
                {data.exports.map((e) => (
                  <tr key={e.id}>
                    <td data-label="Asked for">{e.requestedAt}</td>
                    <td data-label="Status">
                      <span
                        className={`badge badge-${e.status === "ready" ? "active" : e.status === "failed" ? "danger" : "pending"}`}
                        data-status={e.status}
                      >
                        {e.statusLabel}
                      </span>
                      {e.error ? <span className="muted small"> {e.error}</span> : null}
                    </td>
                    <td data-label="Download">
                      {e.href ? (
                        <>
                          <a href={e.href}>Download my data</a>
                          <span className="muted small">
                            {" "}
                            {e.size}, until {e.expiresAt}
                          </span>
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
            <Link to="/account/privacy">Check again</Link>
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
  return (
    <section className="card" aria-labelledby="close-title">
      <h2 id="close-title">Close my account</h2>
      <p>
        Closing your account signs you out everywhere and removes your personal details: your name, email, phone, identifiers, the documents
        you sent us and the messages we sent you. We keep the records of your policies, payments, receipts and claims for as long as the law
        requires us to (tax and insurance records), and nothing else. This cannot be undone; you can register again later with the same
        email as a new customer.
      </p>
      {blockers.length ? (
        <Alert tone="warning" title="You cannot close your account yet">
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
        <Field label="Your password" {...inputProps(fields.password, { type: "password" })} autoComplete="current-password" />
        <Field
          label={`Type “${CLOSE_CONFIRMATION}” to confirm`}
          {...inputProps(fields.confirmation, { type: "text" })}
          autoComplete="off"
        />
        <div className="actions">
          <Button type="submit" variant="danger" busy={busy}>
            Close my account
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Privacy");

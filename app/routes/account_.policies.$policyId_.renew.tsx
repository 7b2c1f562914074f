// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { quoteDateIn } from "~/modules/rating";
import { renewalPage, renewFormSchema } from "~/modules/renewals/page.server";
import { setAutoRenew, startRenewal } from "~/modules/renewals/renewals.server";

/**
 * /account/policies/:policyId/renew — the renewal offer's link (signing in first comes back here):
 * the new price and what changed, one button to the checkout's payment step, and auto-renew.
 */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Renew ${data.policy.policyNumber ?? data.policy.productName}` : "Renew");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const page = await withTenant(tenant.id, (db) => renewalPage(db, tenant, user.id, policyId, quoteDateIn(tenant.timeZone)));
  if (!page) throw new Response("Not found", { status: 404 });
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const submission = parseWithZod(await readForm(request), { schema: renewFormSchema });
  if (submission.status !== "success") return json({ error: "Choose to renew, or to turn auto-renew on or off." }, { status: 400 });
  const today = quoteDateIn(tenant.timeZone);
  if (submission.value.intent === "auto_renew") {
    const on = submission.value.on === "on";
    const saved = await withTenant(tenant.id, (db) => setAutoRenew(db, { policyId, userId: user.id, on }));
    if (!saved.ok) return json({ error: saved.message }, { status: 400 });
    return redirect(`/account/policies/${policyId}/renew`);
  }
  const started = await withTenant(tenant.id, (db) => startRenewal(db, tenant, { policyId, userId: user.id, today }));
  if (!started.ok) {
    if (started.code === "not_found") throw new Response("Not found", { status: 404 });
    return json({ error: started.message }, { status: 400 });
  }
  return redirect(`/checkout/${started.orderId}/pay`);
}

export default function RenewPolicy() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { policy, renewal, refusal, autoRenew } = data;
  return (
    <div className="account stack">
      <div className="page-head">
        <p>
          <Link to={`/account/policies/${policy.id}`}>← Back to {policy.policyNumber ?? "the policy"}</Link>
        </p>
        <h1>Renew {policy.productName}</h1>
        {policy.endDate ? (
          <p className="muted">
            Policy {policy.policyNumber} ends on {policy.endDate}.
          </p>
        ) : null}
      </div>
      <AccountNav />
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}
      {refusal ? (
        <Alert tone={refusal.code === "already_renewed" ? "info" : "warning"} title="This policy cannot be renewed now">
          {refusal.message}
          {policy.renewedById ? (
            <>
              {" "}
              <Link to={`/account/policies/${policy.renewedById}`}>See the renewal</Link>
            </>
          ) : null}
        </Alert>
      ) : null}
      {renewal ? (
        <section className="card stack" aria-labelledby="renewal-price">
          <h2 id="renewal-price">Your renewal</h2>
          <dl className="details-list">
            <dt>Cover from</dt>
            <dd>{renewal.startDate}</dd>
            <dt>Payment</dt>
            <dd>
              {renewal.frequency}: {renewal.dueNow} now
              {renewal.instalments > 1 ? `, then ${renewal.instalments - 1} instalments of ${renewal.instalment}` : ""}
            </dd>
            <dt>Annual premium</dt>
            <dd>
              {renewal.annualPremium} <span className="muted">(this term: {renewal.oldAnnualPremium})</span>
            </dd>
            <dt>Quote</dt>
            <dd>{renewal.quoteReference}</dd>
          </dl>
          <h3>What changed and why</h3>
          {renewal.changes.length ? (
            <ul data-testid="renewal-changes">
              {renewal.changes.map((c) => (
                <li key={c.why}>
                  {c.why}: {c.before} → {c.after}
                </li>
              ))}
            </ul>
          ) : (
            <p>Nothing in your premium changed since this term.</p>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="renew" />
            <Button type="submit" busy={busy}>
              Accept and renew for {renewal.dueNow}
            </Button>
          </Form>
          <p className="muted small">Renewing takes you to payment; your new policy starts when the current one ends.</p>
        </section>
      ) : null}
      {autoRenew && !policy.renewedById ? (
        <section className="card stack" aria-labelledby="auto-renew-title">
          <h2 id="auto-renew-title">Auto-renew</h2>
          <p>
            {autoRenew.on
              ? "Auto-renew is on: on the last reminder day we renew this policy with your saved payment method, if you have one."
              : "Auto-renew is off: we remind you before the end and you renew here."}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="auto_renew" />
            <input type="hidden" name="on" value={autoRenew.on ? "off" : "on"} />
            <Button type="submit" variant="secondary" busy={busy}>
              {autoRenew.on ? "Turn auto-renew off" : "Turn auto-renew on"}
            </Button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/admin/status-badge";
import { PolicyTimeline } from "~/components/policy/policy-timeline";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { recordAudit } from "~/modules/audit/audit.server";
import { reverseLatestChange, withdrawPendingChange } from "~/modules/endorsements/confirm.server";
import { reasonSchema } from "~/modules/endorsements/form";
import { staffPolicy } from "~/modules/endorsements/staff.server";
import { policyTimelineItems } from "~/modules/endorsements/timeline.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { METHOD_LABELS } from "~/modules/payments/methods";
import { POLICY_STATUS_LABELS } from "~/modules/policies/admin.server";
import { FREQUENCY_LABELS } from "~/modules/rating";

/**
 * One policy in the back office (issue 13): its particulars, money and claims, every version on a
 * timeline, and what staff may do with it now, by its status and their permissions.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "read:policy:any");
  const policyId = uuidParam(params, "policyId");
  const money = (minor: number, currency = tenant.currency) => formatMoney(minor, currency, tenant.locale);
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const link = (fileKey: string, filename: string) =>
    signDownload({ tenantId: tenant.id, fileKey, userId: user.id, filename, expiresInSeconds: 300 });
  const found = await withTenant(tenant.id, async (db) => {
    const policy = await staffPolicy(db, policyId);
    if (!policy) return null;
    const fileStem = (policy.policyNumber ?? policy.orderReference).replace(/[^A-Za-z0-9-]/g, "-");
    return { policy, timeline: await policyTimelineItems(db, policyId, { day: (d) => day(d)!, when, money, link, fileStem }) };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { policy: p, timeline } = found;
  const inForce = p.status === "active";
  const canEndorse = can(user.roles, "endorse:policy:any");
  return json({
    policy: {
      id: p.id,
      number: p.policyNumber,
      status: p.status,
      statusLabel: POLICY_STATUS_LABELS[p.status],
      product: p.productName,
      insurer: p.insurerName,
      holder: p.holder,
      accountEmail: p.accountEmail,
      orderReference: p.orderReference,
      cover: p.startDate ? `${day(p.startDate)} to ${day(p.endDate)}` : null,
      premium: `${money(p.annualPremiumMinor, p.currency)} a year before levies, paid ${FREQUENCY_LABELS[p.frequency]?.toLowerCase() ?? p.frequency}`,
      issuedAt: p.issuedAt ? when(p.issuedAt) : null,
      lapsedOn: day(p.lapsedOn),
      cancelled: p.cancelledOn ? `${day(p.cancelledOn)}${p.cancellationReason ? ` — ${p.cancellationReason}` : ""}` : null,
      renewalOf: p.renewalOf,
      renewedBy: p.renewedBy ? { ...p.renewedBy, statusLabel: POLICY_STATUS_LABELS[p.renewedBy.status] } : null,
    },
    instalments: p.instalments.map((i) => ({ ...i, dueDate: day(i.dueDate)!, amount: money(i.amountMinor, p.currency) })),
    payments: p.payments.map((t) => ({
      id: t.id,
      date: when(t.createdAt),
      status: t.status,
      method: METHOD_LABELS[t.method],
      amount: money(t.amountMinor, p.currency),
      refunded: t.refundedMinor > 0 ? money(t.refundedMinor, p.currency) : null,
      what: t.what,
    })),
    claims: p.claims.map((c) => ({ ...c, claimed: money(c.claimedMinor, p.currency), incidentDate: day(c.incidentDate)! })),
    timeline,
    pending: p.pendingVersion ? { version: p.pendingVersion.version, amount: money(p.pendingVersion.deltaMinor, p.currency) } : null,
    actions: {
      change: canEndorse && inForce && !p.pendingVersion,
      reverse: canEndorse && inForce && !p.pendingVersion && p.latest?.kind === "endorsement" ? p.latest.version : null,
      withdraw: canEndorse && Boolean(p.pendingVersion),
      reinstate: can(user.roles, "reinstate:policy:any") && p.status === "lapsed",
      // The cancellation page decides what may be cancelled and who may do it.
      cancel: ["active", "grace"].includes(p.status),
    },
    canSeeTransactions: can(user.roles, "read:transaction:any"),
    canSeeClaims: can(user.roles, "read:claim:any"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "endorse:policy:any");
  const policyId = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const parsed = reasonSchema.safeParse({ reason: formData.get("reason") ?? "" });
  if (!parsed.success) return json({ intent, error: parsed.error.issues[0]!.message }, { status: 400 });
  const actor = { userId: user.id, ...clientInfo(request) };
  const result = await withTenant(tenant.id, async (db) => {
    if (!(await db.selectFrom("policies").select("id").where("id", "=", policyId).executeTakeFirst())) return null;
    if (intent === "reverse") {
      const done = await reverseLatestChange(db, tenant, policyId, { userId: user.id, reason: parsed.data.reason });
      if (done.ok)
        await recordAudit(db, actor, {
          action: "policy.change_reversed",
          targetType: "policy",
          targetId: policyId,
          details: { version: done.version, deltaMinor: done.deltaMinor },
        });
      return done.ok ? { ok: true as const } : { ok: false as const, message: done.message };
    }
    if (intent === "withdraw") {
      const done = await withdrawPendingChange(db, policyId);
      if (done.ok)
        await recordAudit(db, actor, {
          action: "policy.change_withdrawn",
          targetType: "policy",
          targetId: policyId,
          details: { version: done.version, reason: parsed.data.reason },
        });
      return done.ok ? { ok: true as const } : { ok: false as const, message: done.message };
    }
    return { ok: false as const, message: "Choose what to do." };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ intent, error: result.message }, { status: 400 });
  return redirect(`/admin/policies/${policyId}`);
}

export default function AdminPolicy() {
  const { policy, instalments, payments, claims, timeline, pending, actions, canSeeTransactions, canSeeClaims } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { intent?: string; error?: string } | undefined;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/policies">Policies</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{policy.number ?? "Not numbered"}</span>
      </p>
      <div className="page-head">
        <div>
          <h1>{policy.number ?? "Policy not yet issued"}</h1>
          <p className="muted">
            {policy.product} · {policy.insurer}
          </p>
        </div>
        <StatusBadge status={policy.status} label={policy.statusLabel} />
      </div>
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}

      <section className="card" aria-labelledby="overview-title">
        <h2 id="overview-title">Overview</h2>
        <dl className="details-list">
          <dt>Policyholder</dt>
          <dd>
            {policy.holder.name} <span className="muted">({policy.holder.email})</span>
            {policy.holder.phone ? <span className="muted"> · {policy.holder.phone}</span> : null}
          </dd>
          <dt>Account</dt>
          <dd>{policy.accountEmail}</dd>
          <dt>Cover</dt>
          <dd>{policy.cover ?? <span className="muted">Starts when the policy is issued</span>}</dd>
          <dt>Premium</dt>
          <dd>{policy.premium}</dd>
          <dt>Order</dt>
          <dd>{policy.orderReference}</dd>
          {policy.issuedAt ? (
            <>
              <dt>Issued</dt>
              <dd>{policy.issuedAt}</dd>
            </>
          ) : null}
          {policy.lapsedOn ? (
            <>
              <dt>Lapsed on</dt>
              <dd>{policy.lapsedOn}</dd>
            </>
          ) : null}
          {policy.cancelled ? (
            <>
              <dt>Cancelled</dt>
              <dd>{policy.cancelled}</dd>
            </>
          ) : null}
          {policy.renewalOf ? (
            <>
              <dt>Renews</dt>
              <dd>
                <Link to={`/admin/policies/${policy.renewalOf.id}`}>{policy.renewalOf.policyNumber ?? "the previous policy"}</Link>
              </dd>
            </>
          ) : null}
          {policy.renewedBy ? (
            <>
              <dt>Renewed by</dt>
              <dd>
                <Link to={`/admin/policies/${policy.renewedBy.id}`}>{policy.renewedBy.policyNumber ?? "the renewal"}</Link>{" "}
                <span className="muted">({policy.renewedBy.statusLabel})</span>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card" aria-labelledby="actions-title">
        <h2 id="actions-title">Actions</h2>
        {pending ? (
          <Alert tone="warning" title={`Version ${pending.version} waits for its additional premium of ${pending.amount}.`}>
            The customer pays it from their policy&apos;s page; it takes effect once paid.
          </Alert>
        ) : null}
        <p className="section-actions">
          {actions.change ? (
            <Link to={`/admin/policies/${policy.id}/change`} className="btn btn-primary">
              Change cover
            </Link>
          ) : null}{" "}
          {actions.reinstate ? (
            <Link to={`/admin/policies/${policy.id}/reinstate`} className="btn btn-primary">
              Reinstate
            </Link>
          ) : null}{" "}
          {actions.cancel ? (
            <Link to={`/admin/policies/${policy.id}/cancel`} className="btn btn-secondary">
              Cancel
            </Link>
          ) : null}
        </p>
        {actions.reverse ? (
          <ReasonForm
            intent="reverse"
            label={`Reverse version ${actions.reverse} (the latest change)`}
            error={actionData?.intent === "reverse" ? actionData.error : undefined}
          />
        ) : null}
        {actions.withdraw ? (
          <ReasonForm
            intent="withdraw"
            label="Withdraw the change waiting for payment"
            error={actionData?.intent === "withdraw" ? actionData.error : undefined}
          />
        ) : null}
      </section>

      <section className="card" aria-labelledby="instalments-title">
        <h2 id="instalments-title">Instalments</h2>
        {instalments.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Instalment</th>
                  <th scope="col">Due</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {instalments.map((i) => (
                  <tr key={i.id}>
                    <td data-label="Instalment">{i.sequence}</td>
                    <td data-label="Due">{i.dueDate}</td>
                    <td data-label="Amount" className="num">
                      {i.amount}
                    </td>
                    <td data-label="Status">
                      <StatusBadge status={i.status} label={i.status.replace("_", " ")} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="payments-title">
        <h2 id="payments-title">Payments</h2>
        {payments.length === 0 ? (
          <p className="muted">No payments.</p>
        ) : (
          <ul className="activity">
            {payments.map((t) => (
              <li key={t.id}>
                <span className="muted">{t.date}</span>
                <span>
                  {canSeeTransactions ? <Link to={`/admin/transactions/${t.id}`}>{t.what}</Link> : t.what} · {t.method} · {t.amount}{" "}
                  <StatusBadge status={t.status} label={t.status.replace("_", " ")} />
                  {t.refunded ? <span className="muted"> {t.refunded} refunded</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="claims-title">
        <h2 id="claims-title">Claims</h2>
        {claims.length === 0 ? (
          <p className="muted">No claims on this policy.</p>
        ) : (
          <ul className="activity">
            {claims.map((c) => (
              <li key={c.id}>
                <span className="muted">{c.incidentDate}</span>
                <span>
                  {canSeeClaims ? <Link to={`/admin/claims/${c.id}`}>{c.claimNumber}</Link> : c.claimNumber} · {c.claimed} ·{" "}
                  {c.status.replace(/_/g, " ")}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <PolicyTimeline items={timeline} heading="Versions and history" />
    </div>
  );
}

function ReasonForm({ intent, label, error }: { intent: "reverse" | "withdraw"; label: string; error?: string }) {
  return (
    <Form method="post" className="section-actions">
      <Field id={`${intent}-reason`} name="reason" label={`${label}: reason`} required errors={error ? [error] : undefined} />
      <div className="actions">
        <Button type="submit" name="intent" value={intent} variant="secondary">
          {intent === "reverse" ? "Reverse the change" : "Withdraw the change"}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.policy.number ?? "Policy");

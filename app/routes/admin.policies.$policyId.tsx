import { MandateDetails } from "~/components/policy/policy-mandate";
import { mandateSummary } from "~/modules/payments/mandates.server";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
import { sentenceIn, serverT } from "~/modules/i18n/i18n.server";

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
    return {
      policy,
      timeline: await policyTimelineItems(db, policyId, { day: (d) => day(d)!, when, money, link, fileStem }),
      mandate: await mandateSummary(db, tenant, policyId),
    };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { policy: p, timeline, mandate } = found;
  const inForce = p.status === "active";
  const canEndorse = can(user.roles, "endorse:policy:any");
  const t = await serverT(tenant.language, "admin");
  const statusLabel = (status: string) => t(`policyStatus.${status}`, { defaultValue: status });
  return json({
    title: p.policyNumber ?? t("policy.title"),
    policy: {
      id: p.id,
      number: p.policyNumber,
      status: p.status,
      statusLabel: statusLabel(p.status),
      product: p.productName,
      insurer: p.insurerName,
      holder: p.holder,
      accountEmail: p.accountEmail,
      orderReference: p.orderReference,
      cover: p.startDate ? t("policy.coverDates", { start: day(p.startDate), end: day(p.endDate) }) : null,
      premium: t("policy.premiumText", {
        amount: money(p.annualPremiumMinor, p.currency),
        frequency: t(`frequency.${p.frequency}`, { defaultValue: p.frequency }),
      }),
      issuedAt: p.issuedAt ? when(p.issuedAt) : null,
      lapsedOn: day(p.lapsedOn),
      cancelled: p.cancelledOn ? `${day(p.cancelledOn)}${p.cancellationReason ? ` — ${p.cancellationReason}` : ""}` : null,
      renewalOf: p.renewalOf,
      renewedBy: p.renewedBy ? { ...p.renewedBy, statusLabel: statusLabel(p.renewedBy.status) } : null,
    },
    instalments: p.instalments.map((i) => ({
      ...i,
      dueDate: day(i.dueDate)!,
      amount: money(i.amountMinor, p.currency),
      statusLabel: t(`instalmentStatus.${i.status}`, { defaultValue: i.status }),
    })),
    payments: p.payments.map((tx) => ({
      id: tx.id,
      date: when(tx.createdAt),
      status: tx.status,
      statusLabel: t(`paymentStatus.${tx.status}`, { defaultValue: tx.status }),
      method: t(`method.${tx.method}`),
      amount: money(tx.amountMinor, p.currency),
      refunded: tx.refundedMinor > 0 ? money(tx.refundedMinor, p.currency) : null,
      what: tx.what,
    })),
    claims: p.claims.map((c) => ({
      ...c,
      claimed: money(c.claimedMinor, p.currency),
      incidentDate: day(c.incidentDate)!,
      statusLabel: t(`claimStatus.${c.status}`, { defaultValue: c.status.replace(/_/g, " ") }),
    })),
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
    mandate,
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
  if (!parsed.success) return json({ intent, error: await sentenceIn(tenant.language, parsed.error.issues[0]!.message) }, { status: 400 });
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
    return { ok: false as const, message: (await serverT(tenant.language, "admin"))("policy.chooseAction") };
  });
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ intent, error: await sentenceIn(tenant.language, result.message) }, { status: 400 });
  return redirect(`/admin/policies/${policyId}`);
}

export default function AdminPolicy() {
  const { policy, instalments, payments, claims, timeline, pending, actions, canSeeTransactions, canSeeClaims, mandate } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { intent?: string; error?: string } | undefined;
  const { t } = useTranslation("admin");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{policy.number ?? t("policies.notNumbered")}</span>
      </p>
      <div className="page-head">
        <div>
          <h1>{policy.number ?? t("policy.notIssued")}</h1>
          <p className="muted">
            {policy.product} · {policy.insurer}
          </p>
        </div>
        <StatusBadge status={policy.status} label={policy.statusLabel} />
      </div>
      {actionData?.error ? <Alert tone="error">{actionData.error}</Alert> : null}

      <section className="card" aria-labelledby="overview-title">
        <h2 id="overview-title">{t("policy.overview")}</h2>
        <dl className="details-list">
          <dt>{t("policy.holder")}</dt>
          <dd>
            {policy.holder.name} <span className="muted">({policy.holder.email})</span>
            {policy.holder.phone ? <span className="muted"> · {policy.holder.phone}</span> : null}
          </dd>
          <dt>{t("policy.account")}</dt>
          <dd>{policy.accountEmail}</dd>
          <dt>{t("policy.cover")}</dt>
          <dd>{policy.cover ?? <span className="muted">{t("policy.startsWhenIssued")}</span>}</dd>
          <dt>{t("policy.premium")}</dt>
          <dd>{policy.premium}</dd>
          <dt>{t("policy.order")}</dt>
          <dd>{policy.orderReference}</dd>
          {policy.issuedAt ? (
            <>
              <dt>{t("policy.issued")}</dt>
              <dd>{policy.issuedAt}</dd>
            </>
          ) : null}
          {policy.lapsedOn ? (
            <>
              <dt>{t("policy.lapsedOn")}</dt>
              <dd>{policy.lapsedOn}</dd>
            </>
          ) : null}
          {policy.cancelled ? (
            <>
              <dt>{t("policy.cancelled")}</dt>
              <dd>{policy.cancelled}</dd>
            </>
          ) : null}
          {policy.renewalOf ? (
            <>
              <dt>{t("policy.renews")}</dt>
              <dd>
                <Link to={`/admin/policies/${policy.renewalOf.id}`}>{policy.renewalOf.policyNumber ?? t("policy.previous")}</Link>
              </dd>
            </>
          ) : null}
          {policy.renewedBy ? (
            <>
              <dt>{t("policy.renewedBy")}</dt>
              <dd>
                <Link to={`/admin/policies/${policy.renewedBy.id}`}>{policy.renewedBy.policyNumber ?? t("policy.theRenewal")}</Link>{" "}
                <span className="muted">({policy.renewedBy.statusLabel})</span>
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card" aria-labelledby="actions-title">
        <h2 id="actions-title">{t("policy.actions")}</h2>
        {pending ? (
          <Alert tone="warning" title={t("policy.pendingTitle", { version: pending.version, amount: pending.amount })}>
            {t("policy.pendingBody")}
          </Alert>
        ) : null}
        <p className="section-actions">
          {actions.change ? (
            <Link to={`/admin/policies/${policy.id}/change`} className="btn btn-primary">
              {t("policy.changeCover")}
            </Link>
          ) : null}{" "}
          {actions.reinstate ? (
            <Link to={`/admin/policies/${policy.id}/reinstate`} className="btn btn-primary">
              {t("policy.reinstate")}
            </Link>
          ) : null}{" "}
          {actions.cancel ? (
            <Link to={`/admin/policies/${policy.id}/cancel`} className="btn btn-secondary">
              {t("policy.cancel")}
            </Link>
          ) : null}
        </p>
        {actions.reverse ? (
          <ReasonForm
            intent="reverse"
            label={t("policy.reverseLabel", { version: actions.reverse })}
            error={actionData?.intent === "reverse" ? actionData.error : undefined}
          />
        ) : null}
        {actions.withdraw ? (
          <ReasonForm
            intent="withdraw"
            label={t("policy.withdrawLabel")}
            error={actionData?.intent === "withdraw" ? actionData.error : undefined}
          />
        ) : null}
      </section>

      <section className="card" aria-labelledby="instalments-title">
        <h2 id="instalments-title">{t("policy.instalments")}</h2>
        <MandateDetails mandate={mandate} />
        {instalments.length === 0 ? (
          <p className="muted">{t("policy.noneYet")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("policy.instalment")}</th>
                  <th scope="col">{t("policy.due")}</th>
                  <th scope="col" className="num">
                    {t("policy.amount")}
                  </th>
                  <th scope="col">{t("policy.status")}</th>
                </tr>
              </thead>
              <tbody>
                {instalments.map((i) => (
                  <tr key={i.id}>
                    <td data-label={t("policy.instalment")}>{i.sequence}</td>
                    <td data-label={t("policy.due")}>{i.dueDate}</td>
                    <td data-label={t("policy.amount")} className="num">
                      {i.amount}
                    </td>
                    <td data-label={t("policy.status")}>
                      <StatusBadge status={i.status} label={i.statusLabel} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="payments-title">
        <h2 id="payments-title">{t("policy.payments")}</h2>
        {payments.length === 0 ? (
          <p className="muted">{t("policy.noPayments")}</p>
        ) : (
          <ul className="activity">
            {payments.map((p) => (
              <li key={p.id}>
                <span className="muted">{p.date}</span>
                <span>
                  {canSeeTransactions ? <Link to={`/admin/transactions/${p.id}`}>{p.what}</Link> : p.what} · {p.method} · {p.amount}{" "}
                  <StatusBadge status={p.status} label={p.statusLabel} />
                  {p.refunded ? <span className="muted">{t("policy.refunded", { amount: p.refunded })}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="claims-title">
        <h2 id="claims-title">{t("policy.claims")}</h2>
        {claims.length === 0 ? (
          <p className="muted">{t("policy.noClaims")}</p>
        ) : (
          <ul className="activity">
            {claims.map((c) => (
              <li key={c.id}>
                <span className="muted">{c.incidentDate}</span>
                <span>
                  {canSeeClaims ? <Link to={`/admin/claims/${c.id}`}>{c.claimNumber}</Link> : c.claimNumber} · {c.claimed} · {c.statusLabel}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <PolicyTimeline items={timeline} heading={t("policy.history")} />
    </div>
  );
}

function ReasonForm({ intent, label, error }: { intent: "reverse" | "withdraw"; label: string; error?: string }) {
  const { t } = useTranslation("admin");
  return (
    <Form method="post" className="section-actions">
      <Field
        id={`${intent}-reason`}
        name="reason"
        label={t("policy.reasonLabel", { action: label })}
        required
        errors={error ? [error] : undefined}
      />
      <div className="actions">
        <Button type="submit" name="intent" value={intent} variant="secondary">
          {intent === "reverse" ? t("policy.reverse") : t("policy.withdraw")}
        </Button>
      </div>
    </Form>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Policy");

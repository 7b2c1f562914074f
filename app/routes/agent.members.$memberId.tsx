import { mandateSummary } from "~/modules/payments/mandates.server";
import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PolicyStatus, TransactionStatus } from "~db/schema";
import { PaymentBadge, PolicyBadge } from "~/components/account/status";
import { MemberForm } from "~/components/agent/member-form";
import { Alert } from "~/components/ui/alert";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo } from "~/modules/auth/guards.server";
import { getMember, memberActivity, updateMember } from "~/modules/members/members.server";
import { memberEditSchema } from "~/modules/members/schemas";
import { benefitsView, memberBenefits } from "~/modules/members/benefits.server";
import { memberStandingMessage } from "~/modules/members/status";
import { MEMBER_EVENTS } from "~/modules/workflows/member";
import { serverT } from "~/modules/i18n/i18n.server";
import { answerStatusForm, moveMember, openPoliciesOf } from "~/modules/members/status.server";
import { can } from "~/modules/auth/permissions";
import { originOf } from "~/modules/tenancy/resolve.server";
import { allowedEvents, memberMachine } from "~/modules/workflows";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { StatusBadge } from "~/components/admin/status-badge";
import { BenefitsList } from "~/components/account/benefits";
import { MemberStatusForms, OpenPoliciesWarning, type StatusActionResult } from "~/components/members/member-status";
import { inactiveAgentMessage, requireAgent } from "~/modules/network/current-agent.server";
import { quoteDateIn } from "~/modules/rating";

/**
 * /agent/members/:memberId — one of the agent's members: their details (MyKad masked), their
 * policies and payments, the sales in progress; edit with ?edit=1. Another agent's member is a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, agent, user } = await requireAgent(request, "register:member:own");
  const memberId = uuidParam(params, "memberId");
  const found = await withTenant(tenant.id, async (db) => {
    const member = await getMember(db, agent.id, memberId);
    if (!member) return undefined;
    const activity = await memberActivity(db, agent.id, member);
    // Each policy's direct debit mandate, so the agent can tell the member where it stands (decision 046).
    const mandates: Record<string, Awaited<ReturnType<typeof mandateSummary>>> = {};
    for (const p of activity.policies) mandates[p.id] = await mandateSummary(db, tenant, p.id);
    return {
      member,
      activity,
      mandates,
      benefits: await memberBenefits(db, member.userId, agent.id, quoteDateIn(tenant.timeZone)),
      timeline: await timelineOf(db, "member", member.id),
      openPolicies: member.status === "terminated" ? await openPoliciesOf(db, member.userId) : [],
    };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { member, activity } = found;
  const money = (minor: number, currency = tenant.currency) => formatMoney(minor, currency, tenant.locale);
  const agentActive = inactiveAgentMessage(agent.status) === null;
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "agent");
  return json({
    // Selling and claiming need an active member (decision 035); details can still be put right while suspended.
    canAct: agentActive && member.status === "active",
    canEdit: agentActive && member.status !== "terminated",
    inactive: inactiveAgentMessage(agent.status),
    status: {
      value: member.status,
      label: t(`memberStatus.${member.status}`),
      reason: member.status === "active" ? null : (found.timeline.at(-1)?.reason ?? null),
      standing: memberStandingMessage(member.status, "sell"),
      events: agentActive && can(user.roles, "manage:member:own") ? allowedEvents(memberMachine, member.status) : [],
    },
    benefits: benefitsView(found.benefits, tenant),
    timeline: timelineRows(found.timeline, when),
    openPolicies: found.openPolicies.map((p) => ({ id: p.id, number: p.policyNumber, product: p.productName })),
    member: {
      id: member.id,
      name: member.name,
      email: member.email,
      phone: member.phone,
      nric: member.nricMasked,
      race: t(`race.${member.race}`, { defaultValue: member.race }),
      relationship: t(`agentRelationship.${member.relationshipWithAgent}`, { defaultValue: member.relationshipWithAgent }),
      emergency: {
        name: member.emergencyContactName,
        phone: member.emergencyContactPhone,
        relationship: t(`relationship.${member.emergencyContactRelationship}`, {
          defaultValue: member.emergencyContactRelationship,
        }),
      },
      invitationPending: member.invitationPending,
      since: formatDate(member.createdAt, tenant.locale, tenant.timeZone),
    },
    editDefaults: {
      name: member.name,
      phone: member.phone ?? "",
      race: member.race,
      relationshipWithAgent: member.relationshipWithAgent,
      emergencyContactName: member.emergencyContactName,
      emergencyContactPhone: member.emergencyContactPhone,
      emergencyContactRelationship: member.emergencyContactRelationship,
    },
    policies: activity.policies.map((p) => ({
      id: p.id,
      number: p.policyNumber,
      status: p.status as PolicyStatus,
      product: p.productName,
      insurer: p.insurerName,
      frequency: t(`frequency.${p.frequency}`),
      instalment: money(p.instalmentMinor, p.currency),
      period: p.startDate && p.endDate ? t("member.period", { start: p.startDate, end: p.endDate }) : null,
      next: p.next ? t("member.nextDue", { amount: money(p.next.amountMinor, p.currency), date: p.next.dueDate }) : null,
      mandate: found.mandates[p.id] ?? null,
    })),
    morePolicies: activity.morePolicies,
    payments: activity.payments.map((p) => ({
      id: p.id,
      at: formatDateTime(p.createdAt, tenant.locale, tenant.timeZone),
      status: p.status as TransactionStatus,
      method: t(`method.${p.method}`),
      offline: p.provider === "offline",
      amount: money(p.amountMinor, p.currency),
      refunded: p.refundedMinor > 0 ? money(p.refundedMinor, p.currency) : null,
      for: p.policyNumber
        ? p.instalmentSequence
          ? t("member.forInstalment", { policy: p.policyNumber, sequence: p.instalmentSequence })
          : t("member.forPolicy", { policy: p.policyNumber })
        : (p.orderReference ?? ""),
      receipt: p.receipt,
    })),
    morePayments: activity.morePayments,
    orders: activity.orders.map((o) => ({
      id: o.id,
      reference: o.reference,
      step: t(`member.step.${o.step}`),
      products: o.products,
      started: formatDate(o.createdAt, tenant.locale, tenant.timeZone),
      offlinePending: o.offlinePending,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const memberId = uuidParam(params, "memberId");
  const formData = await readForm(request);
  if (formData.get("intent") === "status") {
    const { tenant, agent } = await requireAgent(request, "manage:member:own");
    const inactive = inactiveAgentMessage(agent.status);
    if (inactive) throw new Response(inactive, { status: 403 });
    const actor = { as: "agent" as const, agentId: agent.id, userId: agent.userId, ip: clientInfo(request).ip };
    return answerStatusForm(
      formData,
      (input) => withTenant(tenant.id, (db) => moveMember(db, tenant, memberId, input, actor, originOf(request))),
      `/agent/members/${memberId}`,
    );
  }
  const { tenant, agent } = await requireAgent(request, "register:member:own");
  const submission = parseWithZod(formData, { schema: memberEditSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const result = await withTenant(tenant.id, (db) =>
    updateMember(db, { id: agent.id, userId: agent.userId, name: agent.name }, memberId, submission.value, { ip: clientInfo(request).ip }),
  );
  if (!result.ok && "notFound" in result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json(submission.reply(replyErrors(result.errors)), { status: 400 });
  return redirect(`/agent/members/${memberId}?saved=1`);
}

export default function MemberPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SubmissionResult<string[]> | StatusActionResult | undefined;
  const statusResult = actionData && "intent" in actionData && actionData.intent === "status" ? actionData : undefined;
  const lastResult = statusResult ? undefined : (actionData as SubmissionResult<string[]> | undefined);
  const [params] = useSearchParams();
  const { t } = useTranslation("agent");
  const { t: tCommon } = useTranslation("common");
  const errorText = useErrorText();
  const { member } = data;
  const editing = (params.get("edit") === "1" || Boolean(lastResult)) && data.canEdit;
  const statusDone = MEMBER_EVENTS.find((e) => e === params.get("status"));
  const registered = params.get("registered");
  return (
    <div className="stack">
      <p>
        <Link to="/agent/members">← {t("members.title")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            {member.name} <StatusBadge status={data.status.value} label={data.status.label} />
          </h1>
          <p className="muted">{t("member.since", { date: member.since })}</p>
        </div>
        {data.canEdit ? (
          <div className="actions">
            {data.canAct ? (
              <>
                <Link to={`/agent/members/${member.id}/sell`} className="btn btn-primary">
                  {t("member.sell")}
                </Link>
                <Link to={`/account/claims/new?member=${member.id}`} className="btn btn-secondary">
                  {t("member.fileClaim")}
                </Link>
              </>
            ) : null}
            {editing ? null : (
              <Link to="?edit=1" className="btn btn-secondary">
                {t("member.edit")}
              </Link>
            )}
          </div>
        ) : null}
      </div>
      {registered === "invited" ? (
        <Alert tone="success" title={t("member.registeredTitle")}>
          {t("member.registered", { email: member.email })}
        </Alert>
      ) : null}
      {registered === "linked" ? (
        <Alert tone="success" title={t("member.linkedTitle")}>
          {t("member.linked", { email: member.email })}
        </Alert>
      ) : null}
      {params.get("saved") ? <Alert tone="success" title={t("member.saved")} /> : null}
      {statusDone ? (
        <Alert tone="success" title={t(`member.statusDone.${statusDone}`)}>
          {t("member.reasonEmailed", { email: member.email })}
        </Alert>
      ) : null}
      {data.status.standing ? (
        <Alert tone="warning" title={data.status.label}>
          {errorText([data.status.standing])}
          {data.status.reason ? ` ${t("member.reasonGiven", { reason: data.status.reason })}` : null}
        </Alert>
      ) : null}
      <OpenPoliciesWarning policies={data.openPolicies} staff={false} />
      {data.inactive ? <Alert tone="warning">{errorText([data.inactive])}</Alert> : null}

      {editing ? (
        <section aria-labelledby="edit-title" className="stack">
          <h2 id="edit-title">{t("member.edit")}</h2>
          <MemberForm mode="edit" defaults={data.editDefaults} lastResult={lastResult} nricMasked={member.nric} email={member.email} />
          <p>
            <Link to=".">{t("member.cancel")}</Link>
          </p>
        </section>
      ) : (
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">{t("member.details")}</h2>
          <dl className="details-list">
            <dt>{t("member.nric")}</dt>
            <dd>
              <span className="identifier">{member.nric}</span>
            </dd>
            <dt>{t("member.email")}</dt>
            <dd>
              {member.email}
              {member.invitationPending ? <span className="muted small"> {t("member.noPassword")}</span> : null}
            </dd>
            <dt>{t("member.phone")}</dt>
            <dd>{member.phone ?? "—"}</dd>
            <dt>{t("member.race")}</dt>
            <dd>{member.race}</dd>
            <dt>{t("member.relationship")}</dt>
            <dd>{member.relationship}</dd>
            <dt>{t("member.emergency")}</dt>
            <dd>
              {member.emergency.name} ({member.emergency.relationship}), {member.emergency.phone}
            </dd>
          </dl>
        </section>
      )}

      <section className="card" aria-labelledby="orders-title">
        <h2 id="orders-title">{t("member.orders")}</h2>
        {data.orders.length === 0 ? (
          <p className="muted">
            {t("member.noOrders")} {data.canAct ? <Link to={`/agent/members/${member.id}/sell`}>{t("member.sell")}</Link> : null}
          </p>
        ) : (
          <ul className="plain-list">
            {data.orders.map((o) => (
              <li key={o.id}>
                <Link to={`/agent/members/${member.id}/sell?order=${o.id}`}>{o.reference}</Link>: {o.products}{" "}
                <span className="muted small">
                  {o.offlinePending
                    ? t("member.orderWaiting", { date: o.started })
                    : t("member.orderNext", { date: o.started, step: o.step })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">{t("member.policies")}</h2>
        <p className="muted small">{t("member.policiesIntro")}</p>
        {data.policies.length === 0 ? (
          <p className="muted">{t("member.noPolicies")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("member.policy")}</th>
                  <th scope="col">{t("member.product")}</th>
                  <th scope="col">{t("member.status")}</th>
                  <th scope="col">{t("member.premium")}</th>
                  <th scope="col">{t("member.nextPayment")}</th>
                </tr>
              </thead>
              <tbody>
                {data.policies.map((p) => (
                  <tr key={p.id}>
                    <td data-label={t("member.policy")}>
                      <span className="break">{p.number ?? <span className="muted">{t("member.beingIssued")}</span>}</span>
                    </td>
                    <td data-label={t("member.product")}>
                      <span className="break">
                        {p.product}
                        <br />
                        <span className="muted small">{p.insurer}</span>
                      </span>
                    </td>
                    <td data-label={t("member.status")}>
                      <PolicyBadge status={p.status} />
                    </td>
                    <td data-label={t("member.premium")}>
                      {p.instalment} <span className="muted small">{p.frequency}</span>
                    </td>
                    <td data-label={t("member.nextPayment")}>
                      {p.next ?? <span className="muted">—</span>}
                      {p.mandate ? (
                        <div className="small">
                          {tCommon("mandate.title")}: {tCommon(`mandate.status.${p.mandate.status}`)}
                          {p.mandate.bankName ? ` · ${p.mandate.bankName}` : ""}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.morePolicies ? <p className="muted small">{t("member.morePolicies")}</p> : null}
      </section>

      <section aria-labelledby="benefits-title" className="stack">
        <h2 id="benefits-title">{t("member.benefits")}</h2>
        <BenefitsList policies={data.benefits} empty={t("member.noBenefits")} />
      </section>

      <section className="card" aria-labelledby="payments-title">
        <h2 id="payments-title">{t("member.payments")}</h2>
        {data.payments.length === 0 ? (
          <p className="muted">{t("member.noPayments")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("member.date")}</th>
                  <th scope="col">{t("member.for")}</th>
                  <th scope="col">{t("member.method")}</th>
                  <th scope="col">{t("member.amount")}</th>
                  <th scope="col">{t("member.status")}</th>
                  <th scope="col">{t("member.receipt")}</th>
                </tr>
              </thead>
              <tbody>
                {data.payments.map((p) => (
                  <tr key={p.id}>
                    <td data-label={t("member.date")}>{p.at}</td>
                    <td data-label={t("member.for")}>
                      <span className="break">{p.for}</span>
                    </td>
                    <td data-label={t("member.method")}>
                      {p.method}
                      {p.offline ? <span className="muted small"> {t("member.byAgent")}</span> : null}
                    </td>
                    <td data-label={t("member.amount")}>
                      {p.amount}
                      {p.refunded ? <span className="muted small"> {t("member.refunded", { amount: p.refunded })}</span> : null}
                    </td>
                    <td data-label={t("member.status")}>
                      <PaymentBadge status={p.status} />
                    </td>
                    <td data-label={t("member.receipt")}>
                      <span className="break">{p.receipt ?? <span className="muted">—</span>}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.morePayments ? <p className="muted small">{t("member.morePayments")}</p> : null}
      </section>

      {data.status.events.length ? <MemberStatusForms events={data.status.events} name={member.name} lastResult={statusResult} /> : null}
      <Timeline rows={data.timeline} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.member.name : "Member");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import type { PolicyStatus, TransactionStatus } from "~db/schema";
import { PaymentBadge, PolicyBadge } from "~/components/account/status";
import { MemberForm } from "~/components/agent/member-form";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo } from "~/modules/auth/guards.server";
import { STEP_LABELS } from "~/modules/checkout/steps";
import { getMember, memberActivity, updateMember } from "~/modules/members/members.server";
import {
  agentRelationshipLabel,
  emergencyRelationshipLabel,
  memberEditSchema,
  MEMBER_STATUS_LABELS,
  raceLabel,
} from "~/modules/members/schemas";
import { benefitsView, memberBenefits } from "~/modules/members/benefits.server";
import { MEMBER_EVENT_LABELS, memberStandingMessage } from "~/modules/members/status";
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
import { METHOD_LABELS } from "~/modules/payments/methods";
import { FREQUENCY_LABELS, quoteDateIn } from "~/modules/rating";

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
    return {
      member,
      activity: await memberActivity(db, agent.id, member),
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
  return json({
    // Selling and claiming need an active member (decision 035); details can still be put right while suspended.
    canAct: agentActive && member.status === "active",
    canEdit: agentActive && member.status !== "terminated",
    inactive: inactiveAgentMessage(agent.status),
    status: {
      value: member.status,
      label: MEMBER_STATUS_LABELS[member.status],
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
      race: raceLabel(member.race),
      relationship: agentRelationshipLabel(member.relationshipWithAgent),
      emergency: {
        name: member.emergencyContactName,
        phone: member.emergencyContactPhone,
        relationship: emergencyRelationshipLabel(member.emergencyContactRelationship),
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
      frequency: FREQUENCY_LABELS[p.frequency],
      instalment: money(p.instalmentMinor, p.currency),
      period: p.startDate && p.endDate ? `${p.startDate} to ${p.endDate}` : null,
      next: p.next ? `${money(p.next.amountMinor, p.currency)} due ${p.next.dueDate}` : null,
    })),
    morePolicies: activity.morePolicies,
    payments: activity.payments.map((t) => ({
      id: t.id,
      at: formatDateTime(t.createdAt, tenant.locale, tenant.timeZone),
      status: t.status as TransactionStatus,
      method: METHOD_LABELS[t.method],
      offline: t.provider === "offline",
      amount: money(t.amountMinor, t.currency),
      refunded: t.refundedMinor > 0 ? money(t.refundedMinor, t.currency) : null,
      for: t.policyNumber
        ? `Policy ${t.policyNumber}${t.instalmentSequence ? `, instalment ${t.instalmentSequence}` : ""}`
        : (t.orderReference ?? ""),
      receipt: t.receipt,
    })),
    morePayments: activity.morePayments,
    orders: activity.orders.map((o) => ({
      id: o.id,
      reference: o.reference,
      step: STEP_LABELS[o.step],
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
  const { member } = data;
  const editing = (params.get("edit") === "1" || Boolean(lastResult)) && data.canEdit;
  const statusDone = params.get("status");
  const registered = params.get("registered");
  return (
    <div className="stack">
      <p>
        <Link to="/agent/members">← Members</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            {member.name} <StatusBadge status={data.status.value} label={data.status.label} />
          </h1>
          <p className="muted">Your member since {member.since}.</p>
        </div>
        {data.canEdit ? (
          <div className="actions">
            {data.canAct ? (
              <>
                <Link to={`/agent/members/${member.id}/sell`} className="btn btn-primary">
                  Sell a policy
                </Link>
                <Link to={`/account/claims/new?member=${member.id}`} className="btn btn-secondary">
                  File a claim
                </Link>
              </>
            ) : null}
            {editing ? null : (
              <Link to="?edit=1" className="btn btn-secondary">
                Edit details
              </Link>
            )}
          </div>
        ) : null}
      </div>
      {registered === "invited" ? (
        <Alert tone="success" title="Member registered">
          We emailed {member.email} a link to set a password, so they can see their policies and payments.
        </Alert>
      ) : null}
      {registered === "linked" ? (
        <Alert tone="success" title="Member registered with their existing account">
          {member.email} already had an account with this agency, so it is now linked to you as your member. They sign in with their own
          password.
        </Alert>
      ) : null}
      {params.get("saved") ? <Alert tone="success" title="Member details saved" /> : null}
      {statusDone && statusDone in MEMBER_EVENT_LABELS ? (
        <Alert tone="success" title={`Member ${MEMBER_EVENT_LABELS[statusDone as keyof typeof MEMBER_EVENT_LABELS].done}`}>
          {member.email} is emailed the reason.
        </Alert>
      ) : null}
      {data.status.standing ? (
        <Alert tone="warning" title={data.status.label}>
          {data.status.standing}
          {data.status.reason ? ` Reason given: ${data.status.reason}` : null}
        </Alert>
      ) : null}
      <OpenPoliciesWarning policies={data.openPolicies} staff={false} />
      {data.inactive ? <Alert tone="warning">{data.inactive}</Alert> : null}

      {editing ? (
        <section aria-labelledby="edit-title" className="stack">
          <h2 id="edit-title">Edit details</h2>
          <MemberForm mode="edit" defaults={data.editDefaults} lastResult={lastResult} nricMasked={member.nric} email={member.email} />
          <p>
            <Link to=".">Cancel</Link>
          </p>
        </section>
      ) : (
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <dl className="details-list">
            <dt>MyKad (NRIC)</dt>
            <dd>
              <span className="identifier">{member.nric}</span>
            </dd>
            <dt>Email</dt>
            <dd>
              {member.email}
              {member.invitationPending ? <span className="muted small"> (has not set a password yet)</span> : null}
            </dd>
            <dt>Phone</dt>
            <dd>{member.phone ?? "—"}</dd>
            <dt>Race</dt>
            <dd>{member.race}</dd>
            <dt>Relationship to you</dt>
            <dd>{member.relationship}</dd>
            <dt>Emergency contact</dt>
            <dd>
              {member.emergency.name} ({member.emergency.relationship}), {member.emergency.phone}
            </dd>
          </dl>
        </section>
      )}

      <section className="card" aria-labelledby="orders-title">
        <h2 id="orders-title">Sales in progress</h2>
        {data.orders.length === 0 ? (
          <p className="muted">No unpaid sale. {data.canAct ? <Link to={`/agent/members/${member.id}/sell`}>Sell a policy</Link> : null}</p>
        ) : (
          <ul className="plain-list">
            {data.orders.map((o) => (
              <li key={o.id}>
                <Link to={`/agent/members/${member.id}/sell?order=${o.id}`}>{o.reference}</Link>: {o.products}{" "}
                <span className="muted small">
                  (started {o.started}; {o.offlinePending ? "payment recorded, waiting for staff to confirm" : `next: ${o.step}`})
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">Policies</h2>
        <p className="muted small">Bought through you: your sales, and what they bought themselves since they became your member.</p>
        {data.policies.length === 0 ? (
          <p className="muted">No policies yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Product</th>
                  <th scope="col">Status</th>
                  <th scope="col">Premium</th>
                  <th scope="col">Next payment</th>
                </tr>
              </thead>
              <tbody>
                {data.policies.map((p) => (
                  <tr key={p.id}>
                    <td data-label="Policy">
                      <span className="break">{p.number ?? <span className="muted">Being issued</span>}</span>
                    </td>
                    <td data-label="Product">
                      <span className="break">
                        {p.product}
                        <br />
                        <span className="muted small">{p.insurer}</span>
                      </span>
                    </td>
                    <td data-label="Status">
                      <PolicyBadge status={p.status} />
                    </td>
                    <td data-label="Premium">
                      {p.instalment} <span className="muted small">{p.frequency}</span>
                    </td>
                    <td data-label="Next payment">{p.next ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.morePolicies ? <p className="muted small">The latest 25 policies are shown.</p> : null}
      </section>

      <section aria-labelledby="benefits-title" className="stack">
        <h2 id="benefits-title">Benefits</h2>
        <BenefitsList policies={data.benefits} empty="No policy in force through you, so no benefits to show." />
      </section>

      <section className="card" aria-labelledby="payments-title">
        <h2 id="payments-title">Payments</h2>
        {data.payments.length === 0 ? (
          <p className="muted">No payments yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">For</th>
                  <th scope="col">Method</th>
                  <th scope="col">Amount</th>
                  <th scope="col">Status</th>
                  <th scope="col">Receipt / reference</th>
                </tr>
              </thead>
              <tbody>
                {data.payments.map((t) => (
                  <tr key={t.id}>
                    <td data-label="Date">{t.at}</td>
                    <td data-label="For">
                      <span className="break">{t.for}</span>
                    </td>
                    <td data-label="Method">
                      {t.method}
                      {t.offline ? <span className="muted small"> (collected by an agent)</span> : null}
                    </td>
                    <td data-label="Amount">
                      {t.amount}
                      {t.refunded ? <span className="muted small"> ({t.refunded} refunded)</span> : null}
                    </td>
                    <td data-label="Status">
                      <PaymentBadge status={t.status} />
                    </td>
                    <td data-label="Receipt / reference">
                      <span className="break">{t.receipt ?? <span className="muted">—</span>}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.morePayments ? <p className="muted small">The latest 25 payments are shown.</p> : null}
      </section>

      {data.status.events.length ? <MemberStatusForms events={data.status.events} name={member.name} lastResult={statusResult} /> : null}
      <Timeline rows={data.timeline} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.member.name : "Member");

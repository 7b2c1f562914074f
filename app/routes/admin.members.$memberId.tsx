import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BenefitsList } from "~/components/account/benefits";
import { PolicyBadge } from "~/components/account/status";
import { StatusBadge } from "~/components/admin/status-badge";
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { MemberStatusForms, OpenPoliciesWarning, type StatusActionResult } from "~/components/members/member-status";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { listClaims } from "~/modules/claims/claimant.server";
import { benefitsView, memberBenefits } from "~/modules/members/benefits.server";
import { getMember, memberActivity } from "~/modules/members/members.server";
import { MEMBER_EVENT_LABELS } from "~/modules/members/status";
import { answerStatusForm, moveMember, openPoliciesOf } from "~/modules/members/status.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { quoteDateIn } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { allowedEvents, memberMachine } from "~/modules/workflows";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/members/<id> — one member for staff: profile (MyKad masked), agent, policies, claims,
 * benefits, the timeline, and (admins) suspend, reinstate or terminate with a reason.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:member:any");
  const memberId = uuidParam(params, "memberId");
  const found = await withTenant(tenant.id, async (db) => {
    const member = await getMember(db, null, memberId);
    if (!member) return undefined;
    const agent = await db
      .selectFrom("agents")
      .innerJoin("users", "users.id", "agents.user_id")
      .select(["agents.id", "agents.agent_number", "users.name"])
      .where("agents.id", "=", member.agentId)
      .executeTakeFirstOrThrow();
    return {
      member,
      agent,
      activity: await memberActivity(db, null, member),
      claims: await listClaims(db, { claimantUserId: member.userId }, {}, { limit: 25 }),
      benefits: await memberBenefits(db, member.userId, null, quoteDateIn(tenant.timeZone)),
      timeline: await timelineOf(db, "member", member.id),
      openPolicies: member.status === "terminated" ? await openPoliciesOf(db, member.userId) : [],
    };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { member, activity } = found;
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const [t, claimsT] = await Promise.all([serverT(tenant.language, "admin-network"), serverT(tenant.language, "claims")]);
  return json({
    member: {
      id: member.id,
      name: member.name,
      email: member.email,
      phone: member.phone,
      nric: member.nricMasked,
      relationship: t(`relationship.${member.relationshipWithAgent}`, { defaultValue: member.relationshipWithAgent }),
      since: formatDate(member.createdAt, tenant.locale, tenant.timeZone),
      invitationPending: member.invitationPending,
    },
    agent: { id: found.agent.id, number: found.agent.agent_number, name: found.agent.name },
    status: {
      value: member.status,
      label: t(`memberStatus.${member.status}`),
      reason: member.status === "active" ? null : (found.timeline.at(-1)?.reason ?? null),
      standing: member.status === "active" ? null : t(`memberStanding.${member.status}`),
      events: can(user.roles, "manage:member:any") ? allowedEvents(memberMachine, member.status) : [],
    },
    policies: activity.policies.map((p) => ({
      id: p.id,
      number: p.policyNumber,
      status: p.status,
      product: p.productName,
      premium: money(p.instalmentMinor, p.currency),
      period: p.startDate && p.endDate ? t("member.period", { from: p.startDate, to: p.endDate }) : null,
    })),
    morePolicies: activity.morePolicies,
    claims: found.claims.rows.map((c) => ({
      id: c.id,
      number: c.claimNumber,
      status: c.status,
      statusLabel: claimsT(`status.${c.status}`),
      product: c.productName,
      incident: formatDate(c.incidentDate, tenant.locale, "UTC"),
      claimed: money(c.claimedMinor, c.currency),
      payable: c.payableMinor === null ? null : money(c.payableMinor, c.currency),
    })),
    canReadClaims: can(user.roles, "read:claim:any"),
    benefits: benefitsView(found.benefits, tenant),
    timeline: timelineRows(found.timeline, when),
    openPolicies: found.openPolicies.map((p) => ({ id: p.id, number: p.policyNumber, product: p.productName })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:member:any");
  const memberId = uuidParam(params, "memberId");
  const formData = await readForm(request);
  if (formData.get("intent") !== "status") throw new Response("Unknown action", { status: 400 });
  const actor = { as: "staff" as const, userId: user.id, ip: clientInfo(request).ip };
  return answerStatusForm(
    formData,
    (input) => withTenant(tenant.id, (db) => moveMember(db, tenant, memberId, input, actor, originOf(request))),
    `/admin/members/${memberId}`,
  );
}

export default function AdminMember() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as StatusActionResult | undefined;
  const [params] = useSearchParams();
  const done = params.get("status");
  const { member } = data;
  const { t } = useTranslation("admin-network");
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/members">{t("members.title")}</Link> / {member.name}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {member.name} <StatusBadge status={data.status.value} label={data.status.label} />
          </h1>
          <p className="muted">
            {t("member.since", { date: member.since })} · {t("member.agent")}{" "}
            <Link to={`/admin/agents/${data.agent.id}`}>{data.agent.name}</Link> ({data.agent.number})
          </p>
        </div>
      </div>
      {done && done in MEMBER_EVENT_LABELS ? (
        <Alert tone="success" title={t(`memberEventDone.${done}`)}>
          {t("member.emailed")}
        </Alert>
      ) : null}
      {data.status.standing ? (
        <Alert tone="warning" title={data.status.label}>
          {data.status.standing}
          {data.status.reason ? ` ${t("agent.reasonGiven", { reason: data.status.reason })}` : null}
        </Alert>
      ) : null}
      <OpenPoliciesWarning policies={data.openPolicies} staff />

      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("agent.profile")}</h2>
        <dl className="details-list">
          <dt>{t("member.nric")}</dt>
          <dd>
            <span className="identifier">{member.nric}</span>
          </dd>
          <dt>{t("agent.email")}</dt>
          <dd className="break">
            {member.email}
            {member.invitationPending ? <span className="muted small"> {t("member.noPassword")}</span> : null}
          </dd>
          <dt>{t("agent.phone")}</dt>
          <dd>{member.phone ?? "—"}</dd>
          <dt>{t("member.relationship")}</dt>
          <dd>{member.relationship}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="policies-title">
        <h2 id="policies-title">{t("members.policies")}</h2>
        {data.policies.length === 0 ? (
          <p className="muted">{t("member.noPolicies")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("member.policy")}</th>
                  <th scope="col">{t("rules.product")}</th>
                  <th scope="col">{t("agents.status")}</th>
                  <th scope="col">{t("member.premium")}</th>
                  <th scope="col">{t("member.cover")}</th>
                </tr>
              </thead>
              <tbody>
                {data.policies.map((p) => (
                  <tr key={p.id}>
                    <td data-label={t("member.policy")}>
                      {p.number ? (
                        <Link to={`/admin/policies?q=${encodeURIComponent(p.number)}`}>{p.number}</Link>
                      ) : (
                        t("member.beingIssued")
                      )}
                    </td>
                    <td data-label={t("rules.product")}>{p.product}</td>
                    <td data-label={t("agents.status")}>
                      <PolicyBadge status={p.status} />
                    </td>
                    <td data-label={t("member.premium")}>{p.premium}</td>
                    <td data-label={t("member.cover")}>{p.period ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data.morePolicies ? <p className="muted small">{t("member.latestPolicies")}</p> : null}
      </section>

      <section className="card" aria-labelledby="claims-title">
        <h2 id="claims-title">{t("member.claims")}</h2>
        {data.claims.length === 0 ? (
          <p className="muted">{t("member.noClaims")}</p>
        ) : (
          <ul className="plain-list">
            {data.claims.map((c) => (
              <li key={c.id}>
                {data.canReadClaims ? <Link to={`/admin/claims/${c.id}`}>{c.number}</Link> : c.number} —{" "}
                {t("member.claimLine", { product: c.product, date: c.incident, claimed: c.claimed })}
                {c.payable ? t("member.claimPayable", { amount: c.payable }) : ""} <span className="badge">{c.statusLabel}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="benefits-title" className="stack">
        <h2 id="benefits-title">{t("member.benefits")}</h2>
        <BenefitsList policies={data.benefits} empty={t("member.noBenefits")} />
      </section>

      {data.status.events.length ? <MemberStatusForms events={data.status.events} name={member.name} lastResult={actionData} /> : null}
      <Timeline rows={data.timeline} />
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? data.member.name : "Member");

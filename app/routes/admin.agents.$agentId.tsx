import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useRef } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AgentRankForm } from "~/components/admin/agent-rank-form";
import { StatusBadge } from "~/components/admin/status-badge";
import { Timeline, timelineRows } from "~/components/admin/timeline";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { useHydrated } from "~/components/console/use-hydrated";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/dialog";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { readForm, replyErrors } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { AGENT_EVENT_FORMS, moveSchema, REASON_MAX, statusActionSchema } from "~/modules/network/agent-schemas";
import { agentRankSchema } from "~/modules/commissions/bonus-forms";
import { listRanks, setAgentRank } from "~/modules/network/agent-ranks.server";
import { changeAgentStatus, moveAgentToSponsor } from "~/modules/network/agents.server";
import { getAgentDetail } from "~/modules/network/directory.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { AGENT_EVENTS, agentMachine, nextSteps, type AgentEvent } from "~/modules/workflows";

/** /admin/agents/<id> — one agent: profile, place in the tree, status and sponsor changes. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:agent:any");
  const id = uuidParam(params, "agentId");
  const [agent, ranks, held] = await withTenant(tenant.id, (db) =>
    Promise.all([getAgentDetail(db, id), listRanks(db), db.selectFrom("agents").select("rank_id").where("id", "=", id).executeTakeFirst()]),
  );
  if (!agent) throw new Response("Not found", { status: 404 });
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: t("agent.title", { number: agent.agent_number }),
    canManage: can(user.roles, "manage:agent:any"),
    ranks: ranks.map((r) => ({ id: r.id, name: r.name })),
    rankId: held?.rank_id ?? null,
    agent: {
      id: agent.id,
      name: agent.name,
      email: agent.email,
      emailVerified: agent.email_verified_at !== null,
      number: agent.agent_number,
      code: agent.referral_code,
      status: agent.status,
      statusReason: agent.status_reason,
      phone: agent.phone,
      phoneVerified: agent.phone_verified_at !== null,
      bank: agent.bank_account_masked
        ? { name: agent.bank_name, masked: agent.bank_account_masked, holder: agent.bank_account_holder }
        : null,
      joined: formatDate(agent.created_at, tenant.locale, tenant.timeZone),
      approved: agent.approved_at ? formatDate(agent.approved_at, tenant.locale, tenant.timeZone) : null,
      sponsor: agent.sponsor_id ? { id: agent.sponsor_id, number: agent.sponsor_number, name: agent.sponsor_name } : null,
      uplines: agent.uplines,
      downline: agent.downline,
      downlineTotal: agent.downline.reduce((sum, l) => sum + l.agents, 0),
      events: nextSteps(agentMachine, agent.status).map((s) => s.event),
      history: agent.history.map((h) => ({
        id: h.id,
        from: h.from_number ? `${h.from_name} (${h.from_number})` : t("agent.topOfNetwork"),
        to: h.to_number ? `${h.to_name} (${h.to_number})` : t("agent.topOfNetwork"),
        reason: h.reason,
        by: h.changed_by_name,
        at: when(h.created_at),
      })),
      timeline: timelineRows(agent.timeline, when),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:agent:any");
  const id = uuidParam(params, "agentId");
  const formData = await readForm(request);
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const exists = await withTenant(tenant.id, (db) => db.selectFrom("agents").select("id").where("id", "=", id).executeTakeFirst());
  if (!exists) throw new Response("Not found", { status: 404 });

  if (formData.get("intent") === "rank") {
    const submission = parseWithZod(formData, { schema: agentRankSchema });
    if (submission.status !== "success") return json({ intent: "rank" as const, event: null, reply: submission.reply() }, { status: 400 });
    const set = await withTenant(tenant.id, (db) => setAgentRank(db, { agentId: id, rankId: submission.value.rankId ?? null }, actor));
    if (!set.ok)
      return json({ intent: "rank" as const, event: null, reply: submission.reply(replyErrors(set.fieldErrors)) }, { status: 400 });
    return redirect(`/admin/agents/${id}?notice=rank`);
  }

  if (formData.get("intent") === "move") {
    const submission = parseWithZod(formData, { schema: moveSchema });
    if (submission.status !== "success") return json({ intent: "move" as const, event: null, reply: submission.reply() }, { status: 400 });
    const moved = await withTenant(tenant.id, (db) => moveAgentToSponsor(db, { agentId: id, ...submission.value }, actor));
    if (!moved.ok)
      return json({ intent: "move" as const, event: null, reply: submission.reply(replyErrors(moved.errors)) }, { status: 400 });
    return redirect(`/admin/agents/${id}?notice=moved`);
  }

  const event = z.enum(AGENT_EVENTS).safeParse(formData.get("event"));
  if (!event.success) throw new Response("Unknown action", { status: 400 });
  const submission = parseWithZod(formData, { schema: statusActionSchema });
  if (submission.status !== "success")
    return json({ intent: "status" as const, event: event.data, reply: submission.reply() }, { status: 400 });
  const { reason } = submission.value;
  const result = await withTenant(tenant.id, (db) =>
    changeAgentStatus(db, tenant, { agentId: id, event: event.data, reason }, actor, originOf(request)),
  );
  if (!result.ok) {
    const errors = replyErrors({ [result.field]: [result.message] });
    return json(
      { intent: "status" as const, event: event.data, reply: submission.reply(errors) },
      { status: result.field === "form" ? 409 : 400 },
    );
  }
  return redirect(`/admin/agents/${id}?notice=${event.data}`);
}

export default function AdminAgent() {
  const { agent, canManage, ranks, rankId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const statusLabel = t(`agentStatus.${agent.status}`);
  // A refused action whose form is no longer shown (someone else changed the status first).
  const refused =
    actionData?.intent === "status" && actionData.event && !agent.events.includes(actionData.event) ? actionData.reply.error?.[""] : null;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">{t("agents.title")}</Link> / {agent.name}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {agent.name} <StatusBadge status={agent.status} label={statusLabel} />
          </h1>
          <p className="muted">
            {t("agent.number", { number: agent.number })} · {t("agent.referralCode")} <code>{agent.code}</code> ·{" "}
            {t("agent.joined", { date: agent.joined })}
            {agent.approved ? ` · ${t("agent.approved", { date: agent.approved })}` : ""}
          </p>
        </div>
      </div>
      {refused?.length ? <Alert tone="error">{errorText(refused)}</Alert> : null}
      {notice === "moved" ? <Alert tone="success" title={t("agent.moved")} /> : null}
      {notice === "rank" ? <Alert tone="success" title={t("agent.rank.saved")} /> : null}
      {notice && notice in AGENT_EVENT_FORMS ? (
        <Alert tone="success" title={t("agent.done", { status: statusLabel.toLowerCase() })} />
      ) : null}
      {agent.statusReason && agent.status !== "active" ? (
        <Alert tone="warning">{t("agent.reasonGiven", { reason: agent.statusReason })}</Alert>
      ) : null}

      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("agent.profile")}</h2>
        <dl className="details-list">
          <dt>{t("agent.email")}</dt>
          <dd className="break">
            {agent.email}{" "}
            {agent.emailVerified ? (
              <span className="badge badge-active">{t("agent.confirmed")}</span>
            ) : (
              <span className="badge badge-pending">{t("agent.notConfirmed")}</span>
            )}
          </dd>
          <dt>{t("agent.phone")}</dt>
          <dd>
            {agent.phone ?? <span className="muted">{t("agent.notGiven")}</span>}{" "}
            {agent.phone ? (
              agent.phoneVerified ? (
                <span className="badge badge-active">{t("agent.confirmed")}</span>
              ) : (
                <span className="badge badge-pending">{t("agent.notConfirmed")}</span>
              )
            ) : null}
          </dd>
          <dt>{t("agent.bank")}</dt>
          <dd>
            {agent.bank ? (
              <>
                {agent.bank.name} <code>{agent.bank.masked}</code> <span className="muted">· {agent.bank.holder}</span>
              </>
            ) : (
              <span className="muted">{t("agent.noBank")}</span>
            )}
          </dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="upline-title">
        <h2 id="upline-title">{t("agent.uplines")}</h2>
        {agent.uplines.length === 0 ? (
          <p className="muted">{t("agent.noSponsor")}</p>
        ) : (
          <ol className="plain-list">
            {agent.uplines.map((u) => (
              <li key={u.id}>
                <span className="muted">{u.depth === 1 ? t("agent.sponsor") : t("agent.level", { level: u.depth })}:</span>{" "}
                <Link to={`/admin/agents/${u.id}`}>{u.name}</Link> ({u.agentNumber}){" "}
                <StatusBadge status={u.status} label={t(`agentStatus.${u.status}`)} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="downline-title">
        <h2 id="downline-title">{t("agent.downline")}</h2>
        {agent.downlineTotal === 0 ? (
          <p className="muted">{t("agent.noDownline")}</p>
        ) : (
          <>
            <p>
              {t("agent.downlineCount", { count: agent.downlineTotal })}{" "}
              <Link to={`/admin/agents/network?under=${agent.id}`}>{t("agent.browseDownline")}</Link>
            </p>
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("agent.levelColumn")}</th>
                    <th scope="col">{t("agents.title")}</th>
                  </tr>
                </thead>
                <tbody>
                  {agent.downline.map((l) => (
                    <tr key={l.level}>
                      <td data-label={t("agent.levelColumn")}>{l.level === 1 ? t("agent.levelOne") : l.level}</td>
                      <td data-label={t("agents.title")}>{l.agents}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      {canManage && agent.events.length ? (
        <section className="card stack" aria-labelledby="status-title">
          <h2 id="status-title">{t("agents.status")}</h2>
          {agent.events.map((event) => (
            <StatusForm key={event} event={event} name={agent.name} />
          ))}
        </section>
      ) : null}

      <AgentRankForm
        ranks={ranks}
        rankId={rankId}
        canManage={canManage}
        lastResult={actionData?.intent === "rank" ? actionData.reply : undefined}
      />
      {canManage ? <MoveForm name={agent.name} /> : null}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t("agent.history")}</h2>
        {agent.history.length === 0 ? (
          <p className="muted">{agent.sponsor ? t("agent.neverMovedFrom", { name: agent.sponsor.name }) : t("agent.neverMoved")}</p>
        ) : (
          <ul className="activity">
            {agent.history.map((h) => (
              <li key={h.id}>
                <span>{h.at}</span>
                <span>
                  {t("agent.movedFrom", { from: h.from })} <strong>{h.to}</strong>
                  {h.by ? <span className="muted"> {t("agent.movedBy", { name: h.by })}</span> : null}{" "}
                  <span className="muted">— {h.reason}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <Timeline rows={agent.timeline} />
    </div>
  );
}

function StatusForm({ event, name }: { event: AgentEvent; name: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const { t } = useTranslation("admin-network");
  const info = AGENT_EVENT_FORMS[event];
  const label = t(`agentEvent.${event}.label`);
  const explain = t(`agentEvent.${event}.explain`);
  const [form, fields] = useForm<z.input<typeof statusActionSchema>>({
    id: `status-${event}`,
    lastResult: actionData?.intent === "status" && actionData.event === event ? actionData.reply : undefined,
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("event") === event;
  const trigger = (
    <Button
      variant={info.danger ? "danger" : "primary"}
      // Without JavaScript this button posts the form; with it, it opens the confirmation.
      type={hydrated ? "button" : "submit"}
      busy={busy}
      onClick={(e) => {
        if (hydrated && formRef.current && !formRef.current.reportValidity()) e.preventDefault();
      }}
    >
      {label}
    </Button>
  );
  return (
    <Form
      method="post"
      ref={formRef}
      {...getFormProps(form)}
      className="stack"
      aria-label={t("agent.eventFormLabel", { action: label, name })}
    >
      <input type="hidden" name="event" value={event} />
      <FormErrors errors={form.errors} />
      <p>
        <strong>{label}.</strong> {explain}
      </p>
      {info.needsReason ? (
        <TextareaField
          label={t("agent.reason")}
          hint={t("agent.reasonHint")}
          rows={2}
          maxLength={REASON_MAX}
          required
          {...textareaProps(fields.reason)}
        />
      ) : null}
      <div className="actions">
        <ConfirmDialog trigger={trigger} title={t("agent.confirmTitle", { action: label, name })} description={<p>{explain}</p>}>
          <button type="submit" form={form.id} className={`btn ${info.danger ? "btn-danger" : "btn-primary"}`} disabled={busy}>
            {t("agent.confirmYes", { action: label.toLowerCase() })}
          </button>
        </ConfirmDialog>
      </div>
    </Form>
  );
}

function MoveForm({ name }: { name: string }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "move",
    lastResult: actionData?.intent === "move" ? actionData.reply : undefined,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: moveSchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "move";
  const { t } = useTranslation("admin-network");
  return (
    <section className="card" aria-labelledby="move-title">
      <h2 id="move-title">{t("agent.moveTitle")}</h2>
      <p className="muted">{t("agent.moveIntro", { name })}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="move" />
        <FormErrors errors={form.errors} />
        <Field
          label={t("agent.newSponsor")}
          hint={t("newAgent.sponsorHint")}
          inputMode="numeric"
          {...inputProps(fields.sponsorNumber, { type: "text" })}
        />
        <TextareaField
          label={t("agent.reason")}
          hint={t("agent.moveReasonHint")}
          rows={2}
          maxLength={REASON_MAX}
          {...textareaProps(fields.reason)}
        />
        <div className="actions">
          <Button type="submit" variant="secondary" busy={busy}>
            {t("agent.move")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Agent");

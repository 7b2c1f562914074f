import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DisputeStatusBadge, EntryStatusBadge } from "~/components/commissions/badges";
import { useHydrated } from "~/components/console/use-hydrated";
import { TextareaField, textareaProps } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, inputProps, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { disputeResolveSchema } from "~/modules/commissions/admin-forms";
// A reply is the same on both sides of the thread: one schema for the agent and for staff.
import { disputeReplySchema } from "~/modules/commissions/portal-schemas";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { addDisputeMessage, adjustDispute, disputeThread, rejectDispute } from "~/modules/commissions/disputes.server";
import { monthLabel } from "~/modules/commissions/months";
import { readForm } from "~/lib/forms";
import { serverT } from "~/modules/i18n/i18n.server";

/**
 * /admin/commissions/disputes/:disputeId — one dispute's thread: the entry in question, the
 * messages both sides see, a reply, and the resolution (reject, or adjust to a corrected amount),
 * confirmed on a second step that works without JavaScript.
 */
const intentSchema = z.enum(["reply", "review-resolve", "edit-resolve", "confirm-resolve"]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const id = uuidParam(params, "disputeId");
  const thread = await withTenant(tenant.id, (db) => disputeThread(db, id));
  if (!thread) throw new Response("Not found", { status: 404 });
  const money = (minor: number) => formatMoney(minor, thread.entry.currency, tenant.locale);
  const when = (value: Date | string) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "admin-network");
  return json({
    title: t("dispute.title", { number: thread.agentNumber, amount: money(thread.entry.amountMinor) }),
    canResolve: can(user.roles, "resolve:commission-dispute:any"),
    currency: thread.entry.currency,
    dispute: {
      id: thread.id,
      status: thread.status,
      reason: thread.reason,
      resolution: thread.resolution,
      opened: when(thread.createdAt),
      resolved: thread.resolvedAt ? when(thread.resolvedAt) : null,
      agent: { id: thread.agentId, number: thread.agentNumber, name: thread.agentName },
      entry: {
        id: thread.entry.id,
        kind: t(`entryKind.${thread.entry.kind}`, { defaultValue: thread.entry.kind }),
        amount: money(thread.entry.amountMinor),
        month: monthLabel(thread.entry.month, tenant.locale),
        monthValue: thread.entry.month,
        tier: thread.entry.tier,
        product: thread.entry.productName,
        status: thread.entry.status,
        statusLabel: t(`entryStatus.${thread.entry.status}`, { defaultValue: thread.entry.status }),
      },
      adjusting: thread.adjustingEntry ? { id: thread.adjustingEntry.id, amount: money(thread.adjustingEntry.amountMinor) } : null,
      messages: thread.messages.map((m) => ({
        id: m.id,
        author: m.authorName,
        fromAgent: m.authorIsAgent,
        body: m.body,
        at: when(m.createdAt),
        atIso: new Date(m.createdAt).toISOString(),
      })),
    },
  });
}

type ActionResult =
  | { form: "reply"; reply: SubmissionResult<string[]> }
  | { form: "resolve"; reply: SubmissionResult<string[]>; confirm: null }
  | {
      form: "resolve";
      reply: null;
      confirm: { decision: "reject" | "adjust"; resolution: string; corrected: string; correctedLabel: string | null };
    };

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "resolve:commission-dispute:any");
  const id = uuidParam(params, "disputeId");
  const formData = await readForm(request);
  const intent = intentSchema.safeParse(formData.get("intent"));
  if (!intent.success) throw new Response("Unknown action", { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/commissions/disputes/${id}`;
  const thread = await withTenant(tenant.id, (db) => disputeThread(db, id));
  if (!thread) throw new Response("Not found", { status: 404 });
  const currency = thread.entry.currency;

  if (intent.data === "reply") {
    const submission = parseWithZod(formData, { schema: disputeReplySchema });
    if (submission.status !== "success") return json<ActionResult>({ form: "reply", reply: submission.reply() }, { status: 400 });
    const result = await withTenant(tenant.id, async (db) => {
      const added = await addDisputeMessage(db, { disputeId: id, userId: user.id, body: submission.value.body });
      if (added.ok) await recordAudit(db, actor, { action: "commission.dispute_replied", targetType: "commission_dispute", targetId: id });
      return added;
    });
    if (!result.ok) return json<ActionResult>({ form: "reply", reply: submission.reply({ formErrors: [result.reason] }) }, { status: 400 });
    return redirect(`${here}?notice=replied`);
  }

  const submission = parseWithZod(formData, { schema: disputeResolveSchema(currency) });
  if (submission.status !== "success")
    return json<ActionResult>({ form: "resolve", reply: submission.reply(), confirm: null }, { status: 400 });
  if (intent.data === "edit-resolve") return json<ActionResult>({ form: "resolve", reply: submission.reply(), confirm: null });
  const value = submission.value;
  if (thread.status !== "open")
    return json<ActionResult>(
      { form: "resolve", reply: submission.reply({ formErrors: ["This dispute is already resolved."] }), confirm: null },
      { status: 409 },
    );

  if (intent.data === "review-resolve") {
    return json<ActionResult>({
      form: "resolve",
      reply: null,
      confirm: {
        decision: value.decision,
        resolution: value.resolution,
        corrected: String(formData.get("corrected") ?? ""),
        correctedLabel: value.correctedAmountMinor !== null ? formatMoney(value.correctedAmountMinor, currency, tenant.locale) : null,
      },
    });
  }

  const result = await withTenant(tenant.id, async (db) => {
    const resolved =
      value.decision === "reject"
        ? await rejectDispute(db, { disputeId: id, userId: user.id, resolution: value.resolution })
        : await adjustDispute(db, {
            disputeId: id,
            userId: user.id,
            resolution: value.resolution,
            correctedAmountMinor: value.correctedAmountMinor ?? 0,
          });
    if (resolved.ok)
      await recordAudit(db, actor, {
        action: value.decision === "reject" ? "commission.dispute_rejected" : "commission.dispute_adjusted",
        targetType: "commission_dispute",
        targetId: id,
        details: {
          entryId: thread.entry.id,
          entryAmountMinor: thread.entry.amountMinor,
          correctedAmountMinor: value.correctedAmountMinor,
          resolution: value.resolution,
        },
      });
    return resolved;
  });
  if (!result.ok)
    return json<ActionResult>(
      { form: "resolve", reply: submission.reply({ formErrors: [result.reason] }), confirm: null },
      { status: 409 },
    );
  return redirect(`${here}?notice=${value.decision === "reject" ? "rejected" : "adjusted"}`);
}

const NOTICES = ["replied", "rejected", "adjusted"] as const;

export default function CommissionDispute() {
  const { dispute, canResolve } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const { t } = useTranslation("admin-network");
  const e = dispute.entry;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/commissions/disputes">{t("commissionsNav.disputes")}</Link> / {dispute.agent.number} · {e.amount}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {t("dispute.heading", { amount: e.amount })}{" "}
            <DisputeStatusBadge status={dispute.status} label={t(`disputeStatus.${dispute.status}`)} />
          </h1>
          <p className="muted">
            {t("dispute.opened", { at: dispute.opened, name: dispute.agent.name, number: dispute.agent.number })}
            {dispute.resolved ? ` · ${t("dispute.resolved", { at: dispute.resolved })}` : ""}
          </p>
        </div>
      </div>
      {notice && (NOTICES as readonly string[]).includes(notice) ? <Alert tone="success">{t(`dispute.notice.${notice}`)}</Alert> : null}

      <section className="card" aria-labelledby="entry-title">
        <h2 id="entry-title">{t("dispute.entry")}</h2>
        <dl className="details-list">
          <dt>{t("agents.agent")}</dt>
          <dd>
            <Link to={`/admin/agents/${dispute.agent.id}`}>{dispute.agent.number}</Link> {dispute.agent.name}
          </dd>
          <dt>{t("ledger.entry")}</dt>
          <dd>
            {e.kind}
            {e.tier ? ` · ${t("dispute.tier", { tier: e.tier })}` : ""}
            {e.product ? ` · ${e.product}` : ""} · {e.amount} <EntryStatusBadge status={e.status} label={e.statusLabel} />
          </dd>
          <dt>{t("ledger.month")}</dt>
          <dd>
            <Link to={`/admin/commissions?month=${e.monthValue}&agent=${dispute.agent.number}`}>{e.month}</Link>
          </dd>
          {dispute.adjusting ? (
            <>
              <dt>{t("dispute.correctedTo")}</dt>
              <dd>{t("dispute.newAdjustment", { amount: dispute.adjusting.amount })}</dd>
            </>
          ) : null}
          {dispute.resolution ? (
            <>
              <dt>{t("dispute.resolution")}</dt>
              <dd className="break">{dispute.resolution}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <section className="card stack" aria-labelledby="thread-title">
        <h2 id="thread-title">{t("dispute.messages")}</h2>
        <ol className="plain-list dispute-thread">
          {dispute.messages.map((m) => (
            <li key={m.id} className={`dispute-message${m.fromAgent ? " from-agent" : ""}`}>
              <p className="small">
                <strong>{m.author}</strong> <span className="badge">{m.fromAgent ? t("agents.agent") : t("dispute.staff")}</span>{" "}
                <time className="muted" dateTime={m.atIso}>
                  {m.at}
                </time>
              </p>
              <p className="message-body">{m.body}</p>
            </li>
          ))}
        </ol>
        {canResolve ? <ReplyForm /> : <p className="muted">{t("dispute.adminResolves")}</p>}
      </section>

      {canResolve && dispute.status === "open" ? <ResolveForm /> : null}
    </div>
  );
}

function ReplyForm() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const replyData = actionData?.form === "reply" ? actionData : null;
  const [form, fields] = useForm({
    id: "dispute-reply",
    lastResult: replyData?.reply,
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: disputeReplySchema }),
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "reply";
  const { t } = useTranslation("admin-network");
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <TextareaField label={t("dispute.reply")} hint={t("dispute.replyHint")} rows={3} {...textareaProps(fields.body)} />
      <div className="actions">
        <Button type="submit" name="intent" value="reply" variant="secondary" busy={busy}>
          {t("dispute.send")}
        </Button>
      </div>
    </Form>
  );
}

function ResolveForm() {
  const { dispute, currency } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const resolveData = actionData?.form === "resolve" ? actionData : null;
  const confirm = resolveData && "confirm" in resolveData ? resolveData.confirm : null;
  const schema = useMemo(() => disputeResolveSchema(currency), [currency]);
  const [form, fields] = useForm({
    id: "dispute-resolve",
    lastResult: resolveData?.reply ?? undefined,
    defaultValue: { decision: "reject" },
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();

  if (confirm) {
    return (
      <section className="card danger-zone stack" aria-labelledby="confirm-resolve-title">
        <h2 id="confirm-resolve-title">
          {confirm.decision === "reject"
            ? t("dispute.confirmReject")
            : t("dispute.confirmAdjust", { amount: dispute.entry.amount, corrected: confirm.correctedLabel })}
        </h2>
        <p>
          {confirm.decision === "reject"
            ? t("dispute.rejectStands", { amount: dispute.entry.amount })
            : t("dispute.adjustReplaces", { amount: dispute.entry.amount, corrected: confirm.correctedLabel })}{" "}
          {t("dispute.agentReads")} <strong className="break">{confirm.resolution}</strong>
        </p>
        <p className="muted">{t("dispute.final")}</p>
        <Form method="post" className="actions">
          <input type="hidden" name="decision" value={confirm.decision} />
          <input type="hidden" name="resolution" value={confirm.resolution} />
          <input type="hidden" name="corrected" value={confirm.corrected} />
          <Button type="submit" name="intent" value="confirm-resolve" variant="danger" busy={busy("confirm-resolve")}>
            {confirm.decision === "reject" ? t("dispute.rejectButton") : t("dispute.adjustButton")}
          </Button>
          <Button type="submit" name="intent" value="edit-resolve" variant="secondary">
            {t("timeline.change")}
          </Button>
        </Form>
      </section>
    );
  }

  const decision = fields.decision.value ?? "reject";
  return (
    <section className="card stack" aria-labelledby="resolve-title">
      <h2 id="resolve-title">{t("dispute.resolve")}</h2>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset aria-describedby={fields.decision.errors?.length ? fields.decision.errorId : undefined}>
          <legend>{t("dispute.decision")}</legend>
          <div className="checkbox">
            <input
              type="radio"
              id="decision-reject"
              name={fields.decision.name}
              value="reject"
              defaultChecked={fields.decision.initialValue === "reject"}
            />
            <label htmlFor="decision-reject">{t("dispute.rejectChoice", { amount: dispute.entry.amount })}</label>
          </div>
          <div className="checkbox">
            <input
              type="radio"
              id="decision-adjust"
              name={fields.decision.name}
              value="adjust"
              defaultChecked={fields.decision.initialValue === "adjust"}
            />
            <label htmlFor="decision-adjust">{t("dispute.adjustChoice")}</label>
          </div>
          {fields.decision.errors?.length ? (
            <p className="field-error" id={fields.decision.errorId} role="alert">
              {errorText(fields.decision.errors)}
            </p>
          ) : null}
        </fieldset>
        {!hydrated || decision === "adjust" ? (
          <Field
            label={t("dispute.corrected", { currency })}
            hint={hydrated ? t("dispute.correctedHint") : `${t("dispute.correctedHint")} ${t("dispute.correctedHintNoJs")}`}
            inputMode="decimal"
            autoComplete="off"
            {...inputProps(fields.corrected, { type: "text" })}
          />
        ) : null}
        <TextareaField label={t("dispute.note")} hint={t("dispute.noteHint")} rows={3} {...textareaProps(fields.resolution)} />
        <div className="actions">
          <Button type="submit" name="intent" value="review-resolve" busy={busy("review-resolve")}>
            {t("dispute.review")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Dispute");

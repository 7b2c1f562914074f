import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Trans, useTranslation } from "react-i18next";
import { PortalBadge } from "~/components/agent/status";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { addDisputeMessage, disputeThread } from "~/modules/commissions/disputes.server";
import { ENTRY_KINDS, ENTRY_STATUSES } from "~/modules/commissions/labels";
import { serverT } from "~/modules/i18n/i18n.server";
import { monthLabel } from "~/modules/commissions/months";
import { DISPUTE_TEXT_MAX, disputeReplySchema } from "~/modules/commissions/portal-schemas";
import { requireAgent } from "~/modules/network/current-agent.server";
import { readForm } from "~/lib/forms";

/**
 * /agent/disputes/<id> — one of the agent's own disputes: the commission in question, the thread
 * with the agency, the outcome, and a reply while it is open. Another agent's dispute is 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, agent } = await requireAgent(request, "read:network:own");
  const disputeId = uuidParam(params, "disputeId");
  const thread = await withTenant(tenant.id, (db) => disputeThread(db, disputeId));
  if (!thread || thread.agentId !== agent.id) throw new Response("Not found", { status: 404 });
  const money = (minor: number) => formatMoney(minor, thread.entry.currency, tenant.locale);
  const when = (at: Date) => formatDateTime(at, tenant.locale, tenant.timeZone);
  const t = await serverT(tenant.language, "agent");
  const kind = ENTRY_KINDS.find((k) => k === thread.entry.kind);
  const entryStatus = ENTRY_STATUSES.find((s) => s === thread.entry.status);
  return json({
    title: t("dispute.title"),
    id: thread.id,
    status: thread.status,
    statusLabel: t(`disputeStatus.${thread.status}`),
    opened: when(thread.createdAt),
    resolved: thread.resolvedAt ? when(thread.resolvedAt) : null,
    resolution: thread.resolution,
    entry: {
      kind: kind ? t(`entryKind.${kind}`) : thread.entry.kind,
      amount: money(thread.entry.amountMinor),
      month: monthLabel(thread.entry.month, tenant.locale),
      monthValue: thread.entry.month,
      tier: thread.entry.tier,
      product: thread.entry.productName,
      status: entryStatus ? t(`entryStatus.${entryStatus}`) : thread.entry.status,
    },
    adjustment: thread.adjustingEntry ? money(thread.adjustingEntry.amountMinor) : null,
    messages: thread.messages.map((m) => ({
      id: m.id,
      author: m.authorIsAgent ? t("dispute.you") : t("dispute.agency", { name: m.authorName }),
      mine: m.authorIsAgent,
      body: m.body,
      at: when(m.createdAt),
      atIso: m.createdAt.toISOString(),
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "dispute:commission:own");
  const disputeId = uuidParam(params, "disputeId");
  const submission = parseWithZod(await readForm(request), { schema: disputeReplySchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const outcome = await withTenant(tenant.id, async (db) => {
    const thread = await disputeThread(db, disputeId);
    if (!thread || thread.agentId !== agent.id) throw new Response("Not found", { status: 404 });
    if (thread.status !== "open") return { ok: false as const, reason: "This dispute is resolved: it takes no more messages." };
    return addDisputeMessage(db, { disputeId, userId: user.id, body: submission.value.body, agentId: agent.id });
  });
  if (!outcome.ok) return json(submission.reply({ formErrors: [outcome.reason] }), { status: 400 });
  return redirect(`/agent/disputes/${disputeId}#latest`);
}

export default function AgentDispute() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const formRef = useRef<HTMLFormElement>(null);
  const [form, fields] = useForm({
    lastResult,
    constraint: getZodConstraint(disputeReplySchema),
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: disputeReplySchema }),
  });
  // After a reply is sent (and the page reloaded its thread), clear the box for the next one.
  const count = data.messages.length;
  const { t } = useTranslation("agent");
  const errorText = useErrorText();
  useEffect(() => {
    formRef.current?.reset();
  }, [count]);
  return (
    <div className="stack">
      <p>
        <Link to="/agent/disputes">← {t("dispute.all")}</Link>
      </p>
      <div className="page-head">
        <div>
          <h1>
            {t("dispute.heading", { amount: data.entry.amount })} <PortalBadge status={data.status} label={data.statusLabel} />
          </h1>
          <p className="muted">{t("dispute.opened", { date: data.opened })}</p>
        </div>
      </div>
      {params.get("opened") ? (
        <Alert tone="success" title={t("dispute.openedTitle")}>
          {t("dispute.openedBody")}
        </Alert>
      ) : null}

      <section className="card" aria-labelledby="entry-title">
        <h2 id="entry-title">{t("dispute.commission")}</h2>
        <dl className="details-list">
          <dt>{t("disputes.new.product")}</dt>
          <dd>{data.entry.product ?? "—"}</dd>
          <dt>{t("dispute.kind")}</dt>
          <dd>
            {data.entry.kind}
            {data.entry.tier ? `, ${t("disputes.tierN", { tier: data.entry.tier })}` : ""}
          </dd>
          <dt>{t("dispute.month")}</dt>
          <dd>
            <Link to={`/agent/commissions?month=${data.entry.monthValue}`}>{data.entry.month}</Link>
          </dd>
          <dt>{t("disputes.new.amount")}</dt>
          <dd>{data.entry.amount}</dd>
          <dt>{t("dispute.entryStatus")}</dt>
          <dd>{data.entry.status}</dd>
        </dl>
      </section>

      {data.status !== "open" ? (
        <Alert
          tone={data.status === "adjusted" ? "success" : "info"}
          title={data.status === "adjusted" ? t("disputeStatus.adjusted") : t("dispute.rejected")}
        >
          {data.adjustment ? <p>{t("dispute.corrected", { amount: data.adjustment })}</p> : null}
          {data.resolution ? <p>{data.resolution}</p> : null}
          {data.resolved ? <p className="muted small">{t("dispute.resolved", { date: data.resolved })}</p> : null}
        </Alert>
      ) : null}

      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t("dispute.messages")}</h2>
        <ol className="plain-list dispute-thread">
          {data.messages.map((m, i) => (
            <li
              key={m.id}
              className={`card dispute-message${m.mine ? " mine" : ""}`}
              id={i === data.messages.length - 1 ? "latest" : undefined}
            >
              <p className="small">
                <strong>{m.author}</strong> · <time dateTime={m.atIso}>{m.at}</time>
              </p>
              <p className="message-body">{m.body}</p>
            </li>
          ))}
        </ol>
      </section>

      {data.status === "open" ? (
        <Form method="post" className="card stack" ref={formRef} {...getFormProps(form)}>
          <h2>{t("dispute.reply")}</h2>
          <FormErrors errors={form.errors} />
          <div className={`field${fields.body.errors ? " field-invalid" : ""}`}>
            <label htmlFor={fields.body.id}>{t("dispute.message")}</label>
            <textarea
              rows={4}
              {...getTextareaProps(fields.body)}
              maxLength={DISPUTE_TEXT_MAX}
              aria-describedby={fields.body.errors ? `${fields.body.id}-error` : undefined}
            />
            {fields.body.errors ? (
              <p className="field-error" id={`${fields.body.id}-error`} role="alert">
                {errorText(fields.body.errors)}
              </p>
            ) : null}
          </div>
          <div>
            <Button type="submit" busy={busy}>
              {t("dispute.send")}
            </Button>
          </div>
        </Form>
      ) : (
        <p className="muted">
          <Trans t={t} i18nKey="dispute.closed" components={{ link: <Link to="/agent/commissions" /> }} />
        </p>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Dispute");

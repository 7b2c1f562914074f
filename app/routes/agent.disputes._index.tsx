// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, getTextareaProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { PortalBadge } from "~/components/agent/status";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { can } from "~/modules/auth/permissions";
import { formatRate } from "~/modules/commissions/calculate";
import { listDisputes, openDispute } from "~/modules/commissions/disputes.server";
import { DISPUTE_STATUS_LABELS, ENTRY_KIND_LABELS, ENTRY_STATUS_LABELS, FREQUENCY_LABELS } from "~/modules/commissions/labels";
import { monthLabel } from "~/modules/commissions/months";
import { DISPUTE_TEXT_MAX, openDisputeSchema } from "~/modules/commissions/portal-schemas";
import { myEntry } from "~/modules/commissions/portal.server";
import { requireAgent } from "~/modules/network/current-agent.server";
import { lineText } from "~/lib/text";
import { readForm } from "~/lib/forms";

/**
 * /agent/disputes — the agent's disputes, and (with ?entry=<id>, from a row of Commissions) the
 * form to dispute one of their own entries with a reason. Another agent's entry is "not found".
 */
const listQuery = z.object({
  status: z.enum(["open", "rejected", "adjusted"]).optional().catch(undefined),
  entry: lineText().uuid().optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "read:network:own");
  const params = new URL(request.url).searchParams;
  const query = listQuery.parse({ status: params.get("status") || undefined, entry: params.get("entry") || undefined });
  if (params.get("entry") && !query.entry) throw new Response("Not found", { status: 404 });
  const page = pageFrom(request);
  const { list, entry } = await withTenant(tenant.id, async (db) => ({
    list: await listDisputes(db, { agentId: agent.id, status: query.status, page }),
    entry: query.entry ? await myEntry(db, agent.id, query.entry) : null,
  }));
  if (query.entry && !entry) throw new Response("Not found", { status: 404 });
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  return json({
    status: query.status ?? "",
    page,
    hasMore: page * list.pageSize < list.total,
    total: list.total,
    canDispute: can(user.roles, "dispute:commission:own"),
    entry: entry
      ? {
          id: entry.id,
          date: formatDate(entry.earnedAt, tenant.locale, tenant.timeZone),
          month: monthLabel(entry.month, tenant.locale),
          kind: ENTRY_KIND_LABELS[entry.kind],
          product: entry.productName,
          frequency: entry.frequency ? FREQUENCY_LABELS[entry.frequency] : null,
          tier: entry.tier,
          seller: entry.seller ? `${entry.seller.name} (${entry.seller.agentNumber})` : null,
          base: entry.baseMinor === null ? null : money(entry.baseMinor, entry.currency),
          rate: entry.rateBp === null ? null : formatRate(entry.rateBp),
          amount: money(entry.amountMinor, entry.currency),
          status: ENTRY_STATUS_LABELS[entry.status],
          disputable: entry.disputable,
          openDispute: entry.dispute?.status === "open" ? entry.dispute.id : null,
        }
      : null,
    rows: list.rows.map((d) => ({
      id: d.id,
      status: d.status,
      statusLabel: DISPUTE_STATUS_LABELS[d.status],
      opened: formatDate(d.createdAt, tenant.locale, tenant.timeZone),
      openedIso: d.createdAt.toISOString(),
      resolved: d.resolvedAt ? formatDate(d.resolvedAt, tenant.locale, tenant.timeZone) : null,
      reason: d.reason,
      product: d.productName,
      tier: d.tier,
      month: monthLabel(d.month, tenant.locale),
      amount: money(d.entryAmountMinor, d.currency),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user, agent } = await requireAgent(request, "dispute:commission:own");
  const submission = parseWithZod(await readForm(request), { schema: openDisputeSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const opened = await withTenant(tenant.id, (db) =>
    openDispute(db, { entryId: submission.value.entryId, agentId: agent.id, userId: user.id, reason: submission.value.reason }),
  );
  if (!opened.ok) return json(submission.reply({ formErrors: [opened.reason] }), { status: 400 });
  return redirect(`/agent/disputes/${opened.disputeId}?opened=1`);
}

export default function AgentDisputes() {
  const { status, page, hasMore, total, canDispute, entry, rows } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Disputes</h1>
          <p className="muted">
            Think a commission is wrong? Dispute it from its row in <Link to="/agent/commissions">Commissions</Link>; the agency answers
            here.
          </p>
        </div>
      </div>

      {entry ? (
        <NewDispute entry={entry} canDispute={canDispute} />
      ) : lastResult?.error ? (
        // A post without its entry in the page's address (the form keeps it there): say why it failed.
        <FormErrors errors={Object.values(lastResult.error).flatMap((e) => e ?? [])} />
      ) : null}

      <nav className="subnav" aria-label="Dispute status">
        {[
          { value: "", label: "All" },
          { value: "open", label: "Open" },
          { value: "adjusted", label: "Adjusted" },
          { value: "rejected", label: "Rejected" },
        ].map((s) => (
          <Link
            key={s.value}
            to={s.value ? `/agent/disputes?status=${s.value}` : "/agent/disputes"}
            className={status === s.value ? "active" : undefined}
            aria-current={status === s.value ? "page" : undefined}
          >
            {s.label}
          </Link>
        ))}
      </nav>

      {rows.length === 0 ? (
        <div className="card empty">
          <p>{status ? "No dispute with this status." : "You have not disputed any commission."}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">Your disputes ({total}), open first, then newest</caption>
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col">Commission</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td data-label="Opened">
                    <Link to={`/agent/disputes/${d.id}`}>
                      <time dateTime={d.openedIso}>{d.opened}</time>
                    </Link>
                  </td>
                  <td data-label="Commission">
                    <span className="break">
                      {d.amount} · {d.product ?? "—"}
                      {d.tier ? ` · tier ${d.tier}` : ""}
                      <br />
                      <span className="muted small">{d.month}</span>
                    </span>
                  </td>
                  <td data-label="Reason" className="message-cell">
                    <span className="break">{d.reason}</span>
                  </td>
                  <td data-label="Status">
                    <span>
                      <PortalBadge status={d.status} label={d.statusLabel} />
                      {d.resolved ? (
                        <>
                          <br />
                          <span className="muted small">{d.resolved}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} hasMore={hasMore} />
    </div>
  );
}

type EntryView = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["entry"]>;

function NewDispute({ entry, canDispute }: { entry: EntryView; canDispute: boolean }) {
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { entryId: entry.id },
    constraint: getZodConstraint(openDisputeSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: openDisputeSchema }),
  });
  return (
    <section className="card stack" aria-labelledby="new-dispute-title">
      <h2 id="new-dispute-title">Dispute a commission</h2>
      <dl className="details-list">
        <dt>Date</dt>
        <dd>
          {entry.date}{" "}
          <span className="muted small">
            ({entry.kind}, {entry.month})
          </span>
        </dd>
        <dt>Product</dt>
        <dd>
          {entry.product ?? "—"}
          {entry.frequency ? ` · ${entry.frequency}` : ""}
        </dd>
        <dt>Tier</dt>
        <dd>
          {entry.tier ?? "—"}
          {entry.seller ? ` · sold by ${entry.seller}` : ""}
        </dd>
        {entry.base ? (
          <>
            <dt>Base</dt>
            <dd>
              {entry.base}
              {entry.rate ? ` at ${entry.rate}` : ""}
            </dd>
          </>
        ) : null}
        <dt>Amount</dt>
        <dd>{entry.amount}</dd>
        <dt>Status</dt>
        <dd>{entry.status}</dd>
      </dl>
      {entry.openDispute ? (
        <Alert tone="info" title="This commission is already disputed">
          <Link to={`/agent/disputes/${entry.openDispute}`}>See the dispute</Link>
        </Alert>
      ) : !entry.disputable ? (
        <Alert tone="info" title="This commission cannot be disputed here">
          Only commissions that are pending or approved and not yet in a payout can be disputed. Contact the agency about this one.
        </Alert>
      ) : !canDispute ? (
        <Alert tone="info" title="Your account cannot open disputes" />
      ) : (
        <Form method="post" className="stack" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name={fields.entryId.name} value={entry.id} />
          <div className={`field${fields.reason.errors ? " field-invalid" : ""}`}>
            <label htmlFor={fields.reason.id}>What is wrong with it?</label>
            <textarea
              rows={5}
              {...getTextareaProps(fields.reason)}
              maxLength={DISPUTE_TEXT_MAX}
              aria-describedby={`${fields.reason.id}-hint${fields.reason.errors ? ` ${fields.reason.id}-error` : ""}`}
            />
            <p className="field-hint" id={`${fields.reason.id}-hint`}>
              For example the amount you expected and why. The agency sees this and answers in the dispute&rsquo;s thread.
            </p>
            {fields.reason.errors ? (
              <p className="field-error" id={`${fields.reason.id}-error`} role="alert">
                {fields.reason.errors.join(" ")}
              </p>
            ) : null}
          </div>
          <div>
            <Button type="submit" busy={busy}>
              Open the dispute
            </Button>{" "}
            <Link to="/agent/commissions">Cancel</Link>
          </div>
        </Form>
      )}
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Disputes");

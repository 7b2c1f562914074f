// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { BatchStatusBadge } from "~/components/commissions/badges";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { monthActionSchema } from "~/modules/commissions/admin-forms";
import { closedMonthInfo, monthParam, monthSlug, payoutBatch } from "~/modules/commissions/admin.server";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { closeMonth, payBatch, previewClose } from "~/modules/commissions/close.server";
import { monthLabel } from "~/modules/commissions/months";
import { readForm } from "~/lib/forms";

/**
 * /admin/commissions/months/:month (e.g. 2026-11) — what closing the month does (or did): its
 * entries, the caps that bite, each agent's payout or why it is held; closing it and paying its
 * batch, each after a confirmation step (`?confirm=close`, `?confirm=pay`) that works without
 * JavaScript. The engine's refusals are shown as messages.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "read:commission:any");
  const month = monthParam(params.month);
  const page = pageFrom(request);
  const { preview, info } = await withTenant(tenant.id, async (db) => {
    const preview = await previewClose(db, { month, page, timeZone: tenant.timeZone, currency: tenant.currency });
    return { preview, info: preview.closed ? await closedMonthInfo(db, month) : undefined };
  });
  const money = (minor: number) => formatMoney(minor, tenant.currency, tenant.locale);
  const when = (value: Date | string | null | undefined) => (value ? formatDateTime(value, tenant.locale, tenant.timeZone) : null);
  const canClose = can(user.roles, "close:commission-month:any");
  const canPay = can(user.roles, "pay:payout:any");
  const confirm = new URL(request.url).searchParams.get("confirm");
  return json({
    month,
    slug: monthSlug(month),
    label: monthLabel(month),
    closed: preview.closed,
    closable: !preview.closed && preview.canClose,
    blockers: preview.blockers,
    canClose,
    canPay,
    confirm:
      confirm === "close" && canClose && !preview.closed && preview.canClose
        ? "close"
        : confirm === "pay" && canPay && preview.batch?.status === "open"
          ? "pay"
          : null,
    counts: preview.counts,
    earned: money(preview.earnedMinor),
    capCuts: preview.capCuts.map((c) => ({
      key: `${c.agentId}-${c.productName}-${c.tier}`,
      agentId: c.agentId,
      agentNumber: c.agentNumber,
      agentName: c.agentName,
      productName: c.productName,
      tier: c.tier,
      earned: money(c.earnedMinor),
      cap: money(c.capMinor),
      cut: money(c.cutMinor),
    })),
    capCutTotal: money(preview.capCuts.reduce((n, c) => n + c.cutMinor, 0)),
    payouts: preview.payouts.map((p) => ({
      agentId: p.agentId,
      agentNumber: p.agentNumber,
      agentName: p.agentName,
      payable: money(p.payableMinor),
      held: p.held,
    })),
    payoutsCount: preview.payoutsCount,
    payoutTotal: money(preview.payoutTotalMinor),
    page: preview.page,
    // A full page may have more after it (held balances are listed too, so the count alone does not tell).
    hasMore: preview.payouts.length === preview.pageSize,
    batch: preview.batch
      ? {
          id: preview.batch.id,
          reference: preview.batch.reference,
          status: preview.batch.status,
          payoutsCount: preview.batch.payoutsCount,
          total: money(preview.batch.totalMinor),
          paidAt: when(preview.batch.paidAt),
        }
      : null,
    info: info
      ? {
          closedAt: when(info.closedAt)!,
          closedBy: info.closedBy,
          entries: info.entriesCount,
          agents: info.agentsCount,
          total: formatMoney(info.totalMinor, info.currency, tenant.locale),
          statements: info.statements,
          statementsRendered: info.statementsRendered,
        }
      : null,
  });
}

/** A unique-key clash means someone else closed or paid at the same moment: say so, never a 500. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "23505";
}

export async function action({ request, params }: ActionFunctionArgs) {
  const month = monthParam(params.month);
  const formData = await readForm(request);
  const parsed = monthActionSchema.safeParse(Object.fromEntries(formData));
  const { tenant, user } = await requireNetworkPermission(
    request,
    parsed.success && parsed.data.intent === "pay" ? "pay:payout:any" : "close:commission-month:any",
  );
  if (!parsed.success) return json({ error: "That action is not known. Reload the page and try again." }, { status: 400 });
  const actor = { userId: user.id, ip: clientInfo(request).ip };
  const here = `/admin/commissions/months/${monthSlug(month)}`;

  if (parsed.data.intent === "close") {
    try {
      const result = await withTenant(tenant.id, async (db) => {
        const closed = await closeMonth(db, { month, timeZone: tenant.timeZone, currency: tenant.currency, actorUserId: user.id });
        if (closed.ok)
          await recordAudit(db, actor, {
            action: "commission.month_closed",
            targetType: "commission_month",
            targetId: month,
            details: {
              month,
              statements: closed.statements,
              payouts: closed.payouts,
              totalMinor: closed.totalMinor,
              batchId: closed.batchId,
            },
          });
        return closed;
      });
      if (!result.ok) return json({ error: result.reason }, { status: 409 });
      return redirect(`${here}?notice=closed`);
    } catch (error) {
      if (isUniqueViolation(error)) return json({ error: `${monthLabel(month)} was closed by someone else just now.` }, { status: 409 });
      throw error;
    }
  }

  const batchId = parsed.data.batchId;
  const result = await withTenant(tenant.id, async (db) => {
    const batch = await payoutBatch(db, batchId);
    // Another tenant's batch, or one of another month: as if it did not exist.
    if (!batch || batch.month !== month) return null;
    const paid = await payBatch(db, { batchId, actorUserId: user.id });
    if (paid.ok)
      await recordAudit(db, actor, {
        action: "commission.batch_paid",
        targetType: "payout_batch",
        targetId: batchId,
        details: { month, reference: batch.reference, totalMinor: batch.total_minor, payouts: paid.payouts },
      });
    return paid;
  });
  if (!result) throw new Response("Not found", { status: 404 });
  if (!result.ok) return json({ error: result.reason }, { status: 409 });
  return redirect(`${here}?notice=paid`);
}

const NOTICES = {
  closed: "Month closed. Statements are being written as PDFs and emailed to the agents; the payout batch is ready for the bank.",
  paid: "Batch marked paid. Its entries move to paid in the background; agents see it on their commission history within a minute.",
} as const;

export default function CommissionMonth() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.get("notice");
  const c = data.counts;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/commissions/months">Months &amp; payouts</Link> / {data.label}
      </p>
      <div className="page-head">
        <div>
          <h1>
            {data.label}{" "}
            {data.closed ? (
              <span className="badge badge-active">Closed</span>
            ) : data.closable ? (
              <span className="badge badge-pending">Ready to close</span>
            ) : (
              <span className="badge">Open</span>
            )}
          </h1>
          <p className="muted">
            {data.closed
              ? `Closed ${data.info?.closedAt ?? ""}${data.info?.closedBy ? ` by ${data.info.closedBy}` : " automatically"}.`
              : "A preview of the close: nothing changes until the month is closed."}
          </p>
        </div>
        <Link className="btn btn-secondary" to={`/admin/commissions?month=${data.month}`}>
          Entries of the month
        </Link>
      </div>
      {notice && notice in NOTICES ? <Alert tone="success">{NOTICES[notice as keyof typeof NOTICES]}</Alert> : null}
      {actionData?.error ? (
        <Alert tone="error" title="Nothing was changed">
          {actionData.error}
        </Alert>
      ) : null}

      <section aria-labelledby="month-figures-title">
        <h2 id="month-figures-title" className="visually-hidden">
          Figures
        </h2>
        <ul className="stat-grid money-stats">
          <li className="stat">
            <span className="stat-value">{data.earned}</span>
            <span className="stat-label">Net commission of the month</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.pending}</span>
            <span className="stat-label">Pending</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.approved}</span>
            <span className="stat-label">Approved</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.disputed}</span>
            <span className="stat-label">Disputed</span>
          </li>
          <li className="stat">
            <span className="stat-value">{c.paid}</span>
            <span className="stat-label">Paid</span>
          </li>
          <li className="stat">
            <span className="stat-value">{data.payoutTotal}</span>
            <span className="stat-label">
              {data.closed ? "Paid out in the batch" : "To pay out"} ({data.payoutsCount} {data.payoutsCount === 1 ? "agent" : "agents"})
            </span>
          </li>
        </ul>
      </section>

      {data.closed ? <ClosedMonth /> : <CloseSection />}
      <CapCuts />
      <Payouts />
    </div>
  );
}

function CloseSection() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  if (!data.closable)
    return (
      <Alert tone="info" title="This month cannot be closed yet">
        <ul className="plain-list">
          {data.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      </Alert>
    );
  if (!data.canClose) return <p className="muted">An administrator can close this month.</p>;
  if (data.confirm !== "close")
    return (
      <section className="card stack" aria-labelledby="close-title">
        <h2 id="close-title">Close {data.label}</h2>
        <p>The month has ended. Closing it approves its entries, applies caps, writes statements and builds the payout batch.</p>
        <div>
          <Link className="btn btn-primary" to="?confirm=close">
            Close month…
          </Link>
        </div>
      </section>
    );
  return (
    <section className="card danger-zone stack" aria-labelledby="confirm-close-title">
      <h2 id="confirm-close-title">Close {data.label}?</h2>
      <ul>
        <li>
          {data.counts.pending} pending {data.counts.pending === 1 ? "entry is" : "entries are"} approved
          {data.counts.disputed
            ? `; ${data.counts.disputed} disputed ${data.counts.disputed === 1 ? "entry waits" : "entries wait"} for its resolution`
            : ""}
          .
        </li>
        <li>
          {data.capCuts.length
            ? `${data.capCuts.length} monthly ${data.capCuts.length === 1 ? "cap is" : "caps are"} applied: ${data.capCutTotal} is taken off.`
            : "No monthly cap is reached."}
        </li>
        <li>Every agent with entries this month, or a balance brought forward, gets a statement (PDF, emailed).</li>
        <li>
          {data.payoutsCount
            ? `A payout batch of ${data.payoutTotal} to ${data.payoutsCount} ${data.payoutsCount === 1 ? "agent" : "agents"} is built for the bank.`
            : "Nobody is paid this month: no payout batch is built."}{" "}
          Balances that are held (no bank details, or not positive) are carried to the next month.
        </li>
      </ul>
      <p className="muted">A month closes once: this cannot be undone. Later refunds claw back in the next open month.</p>
      <Form method="post" action={`/admin/commissions/months/${data.slug}`} className="actions">
        <Button type="submit" name="intent" value="close" variant="danger" busy={busy}>
          Close {data.label}
        </Button>
        <Link to={`/admin/commissions/months/${data.slug}`}>Cancel</Link>
      </Form>
    </section>
  );
}

function ClosedMonth() {
  const data = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const { info, batch } = data;
  return (
    <section className="card stack" aria-labelledby="closed-title">
      <h2 id="closed-title">The close</h2>
      <dl className="details-list">
        <dt>Statements</dt>
        <dd>
          {info?.statements ?? 0}
          {info && info.statements > 0 ? (
            <span className="muted">
              {" "}
              ·{" "}
              {info.statementsRendered === info.statements
                ? "all PDFs made"
                : `${info.statementsRendered} of ${info.statements} PDFs made so far`}
            </span>
          ) : null}
        </dd>
        <dt>Entries</dt>
        <dd>
          {info?.entries ?? 0} for {info?.agents ?? 0} {info?.agents === 1 ? "agent" : "agents"}, {info?.total}
        </dd>
        <dt>Payout batch</dt>
        <dd>
          {batch ? (
            <>
              {batch.reference} · {batch.payoutsCount} {batch.payoutsCount === 1 ? "payout" : "payouts"} · {batch.total}{" "}
              <BatchStatusBadge status={batch.status} />
              {batch.paidAt ? <span className="muted"> {batch.paidAt}</span> : null}
            </>
          ) : (
            <span className="muted">None: nobody was due a payout.</span>
          )}
        </dd>
      </dl>
      {batch && data.canPay ? (
        <div className="actions">
          <a className="btn btn-secondary" href={`/admin/commissions/payouts/${batch.id}.csv`} download>
            Download bank-transfer CSV
          </a>
          {batch.status === "open" && data.confirm !== "pay" ? (
            <Link className="btn btn-primary" to="?confirm=pay">
              Mark batch paid…
            </Link>
          ) : null}
        </div>
      ) : batch ? (
        <p className="muted">An administrator downloads the bank file and marks the batch paid.</p>
      ) : null}
      {batch && data.confirm === "pay" ? (
        <div className="card danger-zone stack" role="region" aria-labelledby="confirm-pay-title">
          <h3 id="confirm-pay-title">Mark {batch.reference} paid?</h3>
          <p>
            Confirm that the bank transfer of {batch.total} to {batch.payoutsCount} {batch.payoutsCount === 1 ? "agent" : "agents"} went
            out. Their entries become paid. This cannot be undone.
          </p>
          <Form method="post" action={`/admin/commissions/months/${data.slug}`} className="actions">
            <input type="hidden" name="batchId" value={batch.id} />
            <Button type="submit" name="intent" value="pay" variant="danger" busy={busy}>
              Mark {batch.reference} paid
            </Button>
            <Link to={`/admin/commissions/months/${data.slug}`}>Cancel</Link>
          </Form>
        </div>
      ) : null}
    </section>
  );
}

function CapCuts() {
  const data = useLoaderData<typeof loader>();
  if (data.capCuts.length === 0) return null;
  return (
    <section className="card" aria-labelledby="caps-title">
      <h2 id="caps-title">{data.closed ? "Caps applied" : "Caps that will apply"}</h2>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Rule</th>
              <th scope="col">Earned</th>
              <th scope="col">Cap</th>
              <th scope="col">Taken off</th>
            </tr>
          </thead>
          <tbody>
            {data.capCuts.map((c) => (
              <tr key={c.key}>
                <td data-label="Agent">
                  <span className="break">
                    <Link to={`/admin/agents/${c.agentId}`}>{c.agentNumber}</Link> {c.agentName}
                  </span>
                </td>
                <td data-label="Rule">
                  {c.productName} · T{c.tier}
                </td>
                <td data-label="Earned">{c.earned}</td>
                <td data-label="Cap">{c.cap}</td>
                <td data-label="Taken off">{c.cut}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Payouts() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="card" aria-labelledby="payouts-title">
      <h2 id="payouts-title">{data.closed ? "Payouts" : "Payouts if closed now"}</h2>
      {data.payouts.length === 0 ? (
        <p className="muted">{data.closed ? "Nobody was paid this month." : "Nobody has a balance to pay."}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Amount</th>
                <th scope="col">Paid this month</th>
              </tr>
            </thead>
            <tbody>
              {data.payouts.map((p) => (
                <tr key={p.agentId}>
                  <td data-label="Agent">
                    <span className="break">
                      <Link to={`/admin/agents/${p.agentId}`}>{p.agentNumber}</Link> {p.agentName}
                    </span>
                  </td>
                  <td data-label="Amount">{p.payable}</td>
                  <td data-label="Paid this month">
                    {p.held ? <span className="badge badge-pending">Held: {p.held}</span> : <span className="badge badge-active">Yes</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={data.page} hasMore={data.hasMore} />
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  pageTitle(matches, data ? `Commissions · ${data.label}` : "Commission month");

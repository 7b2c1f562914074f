// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, FilterSelect } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { CHARGEBACK_STATUS_LABELS, chargebackReasonLabel, PROVIDER_LABELS } from "~/modules/payments/transactions-admin.server";
import { answerDeadline, listChargebacks, type AnswerDeadline } from "~/modules/payments/chargebacks.server";

// Open ones unless asked otherwise (a bad value too): they are what staff must act on.
const filtersSchema = z.object({
  status: z.enum(["open", "won", "lost", "all"]).catch("open"),
});

/** The highlight of an open chargeback's deadline: overdue, or due within a few days. */
function deadlineBadge(deadline: AnswerDeadline): { tone: "failed" | "pending"; label: string } | null {
  if (deadline.state === "overdue") return { tone: "failed", label: "Overdue" };
  if (deadline.state === "later") return null;
  const label = deadline.days === 0 ? "Due today" : deadline.days === 1 ? "Due tomorrow" : `Due in ${deadline.days} days`;
  return { tone: "pending", label };
}

/** /admin/chargebacks — every payment's chargebacks; open ones by the deadline to answer at the provider. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "read:transaction:any");
  const { status } = filtersSchema.parse({ status: new URL(request.url).searchParams.get("status") ?? undefined });
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listChargebacks(db, { status, page }));
  const now = new Date();
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  return json({
    status,
    filtered: status !== "open",
    timeZone: tenant.timeZone,
    statuses: Object.entries(CHARGEBACK_STATUS_LABELS).map(([value, label]) => ({ value, label })),
    page,
    hasMore: result.hasMore,
    total: result.total,
    rows: result.rows.map((c) => {
      const respondBy = c.status === "open" ? c.respondBy : null;
      return {
        id: c.id,
        transactionId: c.transactionId,
        payment: c.orderReference ?? c.providerRef ?? `Payment ${c.transactionId.slice(0, 8)}`,
        ref: c.providerDisputeRef,
        customerName: c.customerName,
        customerEmail: c.customerEmail,
        provider: PROVIDER_LABELS[c.provider],
        amount: formatMoney(c.amountMinor, c.currency, tenant.locale),
        reason: chargebackReasonLabel(c.reason),
        status: c.status,
        statusLabel: CHARGEBACK_STATUS_LABELS[c.status],
        // The provider's own words, when they say more than our status does.
        providerStatus: c.providerStatus && c.providerStatus !== c.status ? c.providerStatus.replace(/_/g, " ") : null,
        opened: when(c.openedAt),
        openedIso: c.openedAt.toISOString(),
        respondBy: respondBy ? when(respondBy) : null,
        respondByIso: respondBy ? respondBy.toISOString() : null,
        deadline: respondBy ? deadlineBadge(answerDeadline(respondBy, tenant.timeZone, now)) : null,
        decided: c.closedAt ? when(c.closedAt) : null,
        decidedIso: c.closedAt ? c.closedAt.toISOString() : null,
      };
    }),
  });
}

const COUNT_WORDS = {
  open: (n: number) => `${n} open ${n === 1 ? "chargeback" : "chargebacks"}`,
  won: (n: number) => `${n} ${n === 1 ? "chargeback" : "chargebacks"} won`,
  lost: (n: number) => `${n} ${n === 1 ? "chargeback" : "chargebacks"} lost`,
  all: (n: number) => `${n} ${n === 1 ? "chargeback" : "chargebacks"}`,
} as const;

const EMPTY = {
  open: "No open chargebacks. When a cardholder disputes a card payment, it appears here with the date to answer by.",
  won: "No chargeback has been won yet.",
  lost: "No chargeback has been lost.",
  all: "No chargebacks yet. Disputes of card payments (Stripe, Paystack) appear here as the provider reports them.",
} as const;

export default function AdminChargebacks() {
  const { status, filtered, timeZone, statuses, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>Chargebacks</h1>
          <p className="muted">
            Cardholders dispute card payments with their bank. Answer each open one with evidence at the provider before its deadline; a
            lost chargeback takes back the commissions paid on the payment. Open ones first, the soonest deadline first. Times in{" "}
            {timeZone.replace("_", " ")}.
          </p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter chargebacks">
        <FilterSelect id="cb-status" name="status" label="Status" any="Any status" anyValue="all" value={status} options={statuses} />
        <FilterActions path="/admin/chargebacks" filtered={filtered} />
      </Form>
      <p className="muted small">{COUNT_WORDS[status](total)}.</p>

      {rows.length === 0 ? (
        <div className="card empty">
          <p>
            {EMPTY[status]}
            {status !== "all" ? (
              <>
                {" "}
                <Link to="/admin/chargebacks?status=all">Show every chargeback</Link>
              </>
            ) : null}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">Payment</th>
                <th scope="col">Customer</th>
                <th scope="col">Provider</th>
                <th scope="col">Amount</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Opened</th>
                <th scope="col">Answer by</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td data-label="Payment">
                    <span className="break">
                      <Link to={`/admin/transactions/${c.transactionId}`}>{c.payment}</Link>
                      <br />
                      <code className="muted small">{c.ref}</code>
                    </span>
                  </td>
                  <td data-label="Customer">
                    <span className="break">
                      {c.customerName}
                      <br />
                      <span className="muted small">{c.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label="Provider">{c.provider}</td>
                  <td data-label="Amount">{c.amount}</td>
                  <td data-label="Reason">
                    <span className="break">{c.reason ?? <span className="muted">Not given</span>}</span>
                  </td>
                  <td data-label="Status">
                    <span>
                      <StatusBadge status={c.status} label={c.statusLabel} />
                      {c.providerStatus ? <span className="muted small"> {c.providerStatus}</span> : null}
                    </span>
                  </td>
                  <td data-label="Opened">
                    <time dateTime={c.openedIso}>{c.opened}</time>
                  </td>
                  <td data-label="Answer by">
                    {c.respondBy && c.respondByIso ? (
                      <span>
                        <time dateTime={c.respondByIso}>{c.respondBy}</time>
                        {c.deadline ? (
                          <>
                            {" "}
                            <span className={`badge badge-${c.deadline.tone}`}>{c.deadline.label}</span>
                          </>
                        ) : null}
                      </span>
                    ) : (
                      <span className="muted">{c.status === "open" ? "Not given" : "—"}</span>
                    )}
                  </td>
                  <td data-label="Decided">
                    {c.decided && c.decidedIso ? <time dateTime={c.decidedIso}>{c.decided}</time> : <span className="muted">Not yet</span>}
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Chargebacks");

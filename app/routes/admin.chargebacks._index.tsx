import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import type { TFunction } from "i18next";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { StatusBadge } from "~/components/admin/status-badge";
import { FilterActions, FilterSelect } from "~/components/ui/filters";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { CHARGEBACK_STATUS_LABELS, chargebackReasonLabel } from "~/modules/payments/transactions-admin.server";
import { answerDeadline, listChargebacks, type AnswerDeadline } from "~/modules/payments/chargebacks.server";

// Open ones unless asked otherwise (a bad value too): they are what staff must act on.
const filtersSchema = z.object({
  status: z.enum(["open", "won", "lost", "all"]).catch("open"),
});

/** The highlight of an open chargeback's deadline: overdue, or due within a few days. */
function deadlineBadge(deadline: AnswerDeadline, t: TFunction): { tone: "failed" | "pending"; label: string } | null {
  if (deadline.state === "overdue") return { tone: "failed", label: t("chargebacks.overdue") };
  if (deadline.state === "later") return null;
  const label =
    deadline.days === 0
      ? t("chargebacks.dueToday")
      : deadline.days === 1
        ? t("chargebacks.dueTomorrow")
        : t("chargebacks.dueIn", { count: deadline.days });
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
  const t = await serverT(tenant.language, "admin-payments");
  return json({
    title: t("chargebacks.title"),
    status,
    filtered: status !== "open",
    timeZone: tenant.timeZone,
    statuses: Object.keys(CHARGEBACK_STATUS_LABELS).map((value) => ({ value, label: t(`chargebackStatus.${value}`) })),
    page,
    hasMore: result.hasMore,
    total: result.total,
    rows: result.rows.map((c) => {
      const respondBy = c.status === "open" ? c.respondBy : null;
      return {
        id: c.id,
        transactionId: c.transactionId,
        payment: c.orderReference ?? c.providerRef ?? t("chargebacks.paymentId", { id: c.transactionId.slice(0, 8) }),
        ref: c.providerDisputeRef,
        customerName: c.customerName,
        customerEmail: c.customerEmail,
        provider: t(`provider.${c.provider}`),
        amount: formatMoney(c.amountMinor, c.currency, tenant.locale),
        reason: chargebackReasonLabel(c.reason),
        status: c.status,
        statusLabel: t(`chargebackStatus.${c.status}`),
        // The provider's own words, when they say more than our status does.
        providerStatus: c.providerStatus && c.providerStatus !== c.status ? c.providerStatus.replace(/_/g, " ") : null,
        opened: when(c.openedAt),
        openedIso: c.openedAt.toISOString(),
        respondBy: respondBy ? when(respondBy) : null,
        respondByIso: respondBy ? respondBy.toISOString() : null,
        deadline: respondBy ? deadlineBadge(answerDeadline(respondBy, tenant.timeZone, now), t) : null,
        decided: c.closedAt ? when(c.closedAt) : null,
        decidedIso: c.closedAt ? c.closedAt.toISOString() : null,
      };
    }),
  });
}

export default function AdminChargebacks() {
  const { status, filtered, timeZone, statuses, page, hasMore, total, rows } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin-payments");
  return (
    <div>
      <div className="page-head">
        <div>
          <h1>{t("chargebacks.title")}</h1>
          <p className="muted">{t("chargebacks.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
      </div>
      <Form method="get" className="filters" role="search" aria-label={t("chargebacks.filter")}>
        <FilterSelect
          id="cb-status"
          name="status"
          label={t("transactions.status")}
          any={t("transactions.anyStatus")}
          anyValue="all"
          value={status}
          options={statuses}
        />
        <FilterActions path="/admin/chargebacks" filtered={filtered} />
      </Form>
      <p className="muted small">{t(`chargebacks.count.${status}`, { count: total })}</p>

      {rows.length === 0 ? (
        <div className="card empty">
          <p>
            {t(`chargebacks.empty.${status}`)}
            {status !== "all" ? (
              <>
                {" "}
                <Link to="/admin/chargebacks?status=all">{t("chargebacks.showAll")}</Link>
              </>
            ) : null}
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("transaction.payment")}</th>
                <th scope="col">{t("transaction.customer")}</th>
                <th scope="col">{t("transactions.provider")}</th>
                <th scope="col">{t("transaction.amount")}</th>
                <th scope="col">{t("transaction.reason")}</th>
                <th scope="col">{t("transaction.status")}</th>
                <th scope="col">{t("chargebacks.opened")}</th>
                <th scope="col">{t("chargebacks.answerBy")}</th>
                <th scope="col">{t("chargebacks.decided")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td data-label={t("transaction.payment")}>
                    <span className="break">
                      <Link to={`/admin/transactions/${c.transactionId}`}>{c.payment}</Link>
                      <br />
                      <code className="muted small">{c.ref}</code>
                    </span>
                  </td>
                  <td data-label={t("transaction.customer")}>
                    <span className="break">
                      {c.customerName}
                      <br />
                      <span className="muted small">{c.customerEmail}</span>
                    </span>
                  </td>
                  <td data-label={t("transactions.provider")}>{c.provider}</td>
                  <td data-label={t("transaction.amount")}>{c.amount}</td>
                  <td data-label={t("transaction.reason")}>
                    <span className="break">{c.reason ?? <span className="muted">{t("chargebacks.notGiven")}</span>}</span>
                  </td>
                  <td data-label={t("transaction.status")}>
                    <span>
                      <StatusBadge status={c.status} label={c.statusLabel} />
                      {c.providerStatus ? <span className="muted small"> {c.providerStatus}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("chargebacks.opened")}>
                    <time dateTime={c.openedIso}>{c.opened}</time>
                  </td>
                  <td data-label={t("chargebacks.answerBy")}>
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
                      <span className="muted">{c.status === "open" ? t("chargebacks.notGiven") : "—"}</span>
                    )}
                  </td>
                  <td data-label={t("chargebacks.decided")}>
                    {c.decided && c.decidedIso ? (
                      <time dateTime={c.decidedIso}>{c.decided}</time>
                    ) : (
                      <span className="muted">{t("chargebacks.notYet")}</span>
                    )}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Chargebacks");

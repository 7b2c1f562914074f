import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountNav } from "~/components/account/account-nav";
import { PaymentBadge } from "~/components/account/status";
import { pageFrom, Pagination } from "~/components/ui/pagination";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { requireUser } from "~/modules/auth/guards.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { listMyPayments } from "~/modules/policies/customer.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const page = pageFrom(request);
  const result = await withTenant(tenant.id, (db) => listMyPayments(db, user.id, { page }));
  const words = await serverT(tenant.language, "account");
  return json({
    page,
    hasMore: result.hasMore,
    timeZone: tenant.timeZone,
    payments: result.rows.map((t) => {
      const money = (minor: number) => formatMoney(minor, t.currency, tenant.locale);
      return {
        id: t.id,
        date: formatDateTime(t.createdAt, tenant.locale, tenant.timeZone),
        dateIso: t.createdAt.toISOString(),
        status: t.status,
        method: String(words(`method.${t.method}`)),
        amount: money(t.amountMinor),
        refunded: t.refundedMinor > 0 ? money(t.refundedMinor) : null,
        providerReceipt: t.providerReceipt,
        reference: t.orderReference
          ? { label: String(words("payments.order", { reference: t.orderReference })), to: t.orderId ? `/orders/${t.orderId}` : null }
          : t.policyId
            ? {
                label: t.instalmentSequence
                  ? String(
                      words("payments.instalment", { policy: t.policyNumber ?? words("payments.policy"), sequence: t.instalmentSequence }),
                    )
                  : (t.policyNumber ?? String(words("payments.policy"))),
                to: `/account/policies/${t.policyId}`,
              }
            : { label: String(words("payments.payment")), to: null },
        receipt: t.receipt
          ? {
              number: t.receipt.number,
              // Signed for this user alone, for five minutes: reloading the page makes fresh links.
              url: t.receipt.fileKey
                ? signDownload({
                    tenantId: tenant.id,
                    fileKey: t.receipt.fileKey,
                    userId: user.id,
                    filename: `Receipt-${t.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`,
                    expiresInSeconds: 300,
                  })
                : null,
            }
          : null,
      };
    }),
  });
}

export default function MyPayments() {
  const { page, hasMore, timeZone, payments } = useLoaderData<typeof loader>();
  const { t } = useTranslation("account");
  return (
    <div className="account stack">
      <div className="page-head">
        <div>
          <h1>{t("payments.title")}</h1>
          <p className="muted">{t("payments.intro", { zone: timeZone.replace("_", " ") })}</p>
        </div>
      </div>
      <AccountNav />
      {payments.length === 0 ? (
        <div className="card empty-state">
          <p className="empty">{page > 1 ? t("payments.noMore") : t("payments.none")}</p>
          <Link to="/products" className="btn btn-primary">
            {t("payments.browse")}
          </Link>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data payments-table">
            <caption className="visually-hidden">{t("payments.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("payments.date")}</th>
                <th scope="col">{t("payments.for")}</th>
                <th scope="col">{t("payments.method")}</th>
                <th scope="col" className="num">
                  {t("payments.amount")}
                </th>
                <th scope="col">{t("payments.status")}</th>
                <th scope="col">{t("payments.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.id}>
                  <td data-label={t("payments.date")}>
                    <Link to={`/account/payments/${p.id}`} aria-label={t("payments.paymentOf", { amount: p.amount, date: p.date })}>
                      <time dateTime={p.dateIso}>{p.date}</time>
                    </Link>
                  </td>
                  <td data-label={t("payments.for")}>
                    {p.reference.to ? <Link to={p.reference.to}>{p.reference.label}</Link> : p.reference.label}
                  </td>
                  <td data-label={t("payments.method")}>
                    <span>
                      {p.method}
                      {p.providerReceipt ? <span className="muted small"> {p.providerReceipt}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("payments.amount")} className="num">
                    {p.amount}
                  </td>
                  <td data-label={t("payments.status")}>
                    <span>
                      <PaymentBadge status={p.status} />
                      {p.refunded ? <span className="muted small"> {t("payments.refunded", { amount: p.refunded })}</span> : null}
                    </span>
                  </td>
                  <td data-label={t("payments.receipt")}>
                    {p.receipt ? (
                      p.receipt.url ? (
                        <a href={p.receipt.url} download aria-label={t("payments.downloadReceipt", { number: p.receipt.number })}>
                          {p.receipt.number}
                        </a>
                      ) : (
                        <span className="muted">{t("payments.preparing")}</span>
                      )
                    ) : (
                      <span className="muted">—</span>
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

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Payments");

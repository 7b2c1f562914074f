import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { PolicyBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { withTenant } from "~/lib/db.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { orderConfirmation } from "~/modules/checkout/confirmation.server";
import { stepUrl } from "~/modules/checkout/steps";
import checkoutStyles from "~/styles/checkout.css";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";
import { mandateOffer } from "~/modules/payments/mandates.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const orderId = uuidParam(params, "orderId");
  const found = await withTenant(tenant.id, async (db) => {
    const order = await orderConfirmation(db, orderId, user.id);
    // Policies paid monthly or quarterly whose instalments a direct debit mandate could pay (decision 046).
    const mandatable: { id: string; number: string }[] = [];
    for (const item of order?.items ?? []) {
      if (item.policy?.number && (await mandateOffer(db, tenant, item.policy.id, user.id))) {
        mandatable.push({ id: item.policy.id, number: item.policy.number });
      }
    }
    return order ? { order, mandatable } : undefined;
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { order, mandatable } = found;
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, order.currency, tenant.locale));
  const date = (value: string | null) => (value ? formatDate(value, tenant.locale, tenant.timeZone) : null);
  const paid = order.status === "paid";
  const t = await serverT(tenant.language, "checkout");
  return json({
    id: order.id,
    reference: order.reference,
    status: order.status,
    paid,
    continueUrl: order.status === "draft" ? stepUrl(order.id, order.step) : null,
    paidAt: order.paidAt ? formatDateTime(order.paidAt, tenant.locale, tenant.timeZone) : null,
    // Paid, but the issuance job has not made every policy yet.
    issuing: paid && order.items.some((i) => !i.policy),
    items: order.items.map((item) => ({
      id: item.id,
      productName: item.productName,
      insurerName: item.insurerName,
      plan: item.frequency ? t(`frequencyChoice.${item.frequency}`) : null,
      paid: money(item.paidMinor),
      later:
        item.instalmentsPerYear && item.instalmentsPerYear > 1
          ? `${item.instalmentsPerYear - 1} × ${money(item.laterInstalmentMinor)}`
          : null,
      policy: item.policy ? { ...item.policy, startDate: date(item.policy.startDate), endDate: date(item.policy.endDate) } : null,
    })),
    payments: order.payments.map((p) => ({
      id: p.id,
      method: t(`method.${p.method}`),
      amount: money(p.amountMinor),
      // PayPal reports only the amount in the agency's currency, never what a converted payer paid in theirs.
      paypalNote: p.method === "paypal" ? t("order.paypalCurrency", { currency: order.currency }) : null,
      receipt: p.receipt,
      at: p.completedAt ? formatDateTime(p.completedAt, tenant.locale, tenant.timeZone) : null,
    })),
    total: money(order.payments.reduce((s, p) => s + p.amountMinor, 0)),
    mandatable,
    title: t("order.title", { reference: order.reference }),
  });
}

export default function OrderConfirmation() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("checkout");
  return (
    <section className="checkout stack" aria-labelledby="order-title">
      <p className="eyebrow">{t("order.title", { reference: data.reference })}</p>
      <h1 id="order-title">{data.paid ? t("order.thanks") : t("order.yours")}</h1>
      {data.paid ? (
        <Alert tone="success">
          {data.paidAt ? t("order.receivedOn", { amount: data.total, at: data.paidAt }) : t("order.received", { amount: data.total })}
        </Alert>
      ) : data.continueUrl ? (
        <Alert tone="info" title={t("order.notPaid")}>
          <Link to={data.continueUrl}>{t("order.continue")}</Link>
        </Alert>
      ) : (
        <Alert tone="warning">{t("order.cancelled")}</Alert>
      )}
      {data.issuing ? <Issuing /> : null}

      <section className="card" aria-labelledby="order-items">
        <h2 id="order-items">{t("order.cover")}</h2>
        <ul className="order-items">
          {data.items.map((item) => (
            <li key={item.id} className="order-item">
              <div>
                <strong>{item.productName}</strong>
                <div className="muted small">{item.insurerName}</div>
                {item.plan ? (
                  <div className="small">
                    {item.plan}
                    {item.paid ? t("order.paid", { amount: item.paid }) : ""}
                    {item.later ? t("order.then", { later: item.later }) : ""}
                  </div>
                ) : null}
              </div>
              <div className="order-item-policy">
                {item.policy ? (
                  <>
                    <PolicyBadge status={item.policy.status} />
                    {item.policy.number ? (
                      <div>
                        {t("order.policy")} <Link to={`/account/policies/${item.policy.id}`}>{item.policy.number}</Link>
                      </div>
                    ) : null}
                    {item.policy.startDate && item.policy.endDate ? (
                      <div className="muted small">{t("order.period", { start: item.policy.startDate, end: item.policy.endDate })}</div>
                    ) : null}
                  </>
                ) : data.paid ? (
                  <span className="badge badge-pending">{t("order.beingIssued")}</span>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>

      {data.mandatable.length ? (
        <Alert tone="info" title={t("autodebit.offerTitle")}>
          <p>{t("autodebit.offerBody")}</p>
          <ul className="plain-list">
            {data.mandatable.map((p) => (
              <li key={p.id}>
                <Link to={`/account/policies/${p.id}#autodebit`}>{t("autodebit.offerLink", { policy: p.number })}</Link>
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {data.payments.length ? (
        <section className="card" aria-labelledby="order-payments">
          <h2 id="order-payments">{t("order.payments")}</h2>
          <ul className="plain-list">
            {data.payments.map((p) => (
              <li key={p.id}>
                {t("order.paymentBy", { amount: p.amount, method: p.method })}
                {p.at ? t("order.paymentOn", { at: p.at }) : ""}
                {p.receipt ? t("order.paymentReference", { reference: p.receipt }) : ""}
                {p.paypalNote ? <span className="muted small"> {p.paypalNote}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to="/account/policies">{t("order.allPolicies")}</Link>
      </p>
    </section>
  );
}

/** While policies are being issued the page refreshes itself: by JavaScript, or by meta refresh without it. */
function Issuing() {
  const revalidator = useRevalidator();
  const { t } = useTranslation("checkout");
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content="5" />
      </noscript>
      <p role="status" className="muted">
        {t("order.issuing")}
      </p>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Order");

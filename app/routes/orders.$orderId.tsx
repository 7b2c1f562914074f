// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
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
import { frequencyChoiceLabel, stepUrl } from "~/modules/checkout/steps";
import { METHOD_LABELS } from "~/modules/payments/settings.server";
import checkoutStyles from "~/styles/checkout.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const orderId = uuidParam(params, "orderId");
  const order = await withTenant(tenant.id, (db) => orderConfirmation(db, orderId, user.id));
  if (!order) throw new Response("Not found", { status: 404 });
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, order.currency, tenant.locale));
  const date = (value: string | null) => (value ? formatDate(value, tenant.locale, tenant.timeZone) : null);
  const paid = order.status === "paid";
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
      plan: item.frequency ? frequencyChoiceLabel(item.frequency) : null,
      paid: money(item.paidMinor),
      later:
        item.instalmentsPerYear && item.instalmentsPerYear > 1
          ? `${item.instalmentsPerYear - 1} × ${money(item.laterInstalmentMinor)}`
          : null,
      policy: item.policy ? { ...item.policy, startDate: date(item.policy.startDate), endDate: date(item.policy.endDate) } : null,
    })),
    payments: order.payments.map((p) => ({
      id: p.id,
      method: METHOD_LABELS[p.method],
      amount: money(p.amountMinor),
      receipt: p.receipt,
      at: p.completedAt ? formatDateTime(p.completedAt, tenant.locale, tenant.timeZone) : null,
    })),
    total: money(order.payments.reduce((s, p) => s + p.amountMinor, 0)),
  });
}

export default function OrderConfirmation() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="checkout stack" aria-labelledby="order-title">
      <p className="eyebrow">Order {data.reference}</p>
      <h1 id="order-title">{data.paid ? "Thank you: your order is paid" : "Your order"}</h1>
      {data.paid ? (
        <Alert tone="success">
          We received {data.total}
          {data.paidAt ? ` on ${data.paidAt}` : ""}. Your certificates and receipt are emailed to you as soon as each policy is issued.
        </Alert>
      ) : data.continueUrl ? (
        <Alert tone="info" title="This order is not paid yet">
          <Link to={data.continueUrl}>Continue checkout</Link>
        </Alert>
      ) : (
        <Alert tone="warning">This order was cancelled.</Alert>
      )}
      {data.issuing ? <Issuing /> : null}

      <section className="card" aria-labelledby="order-items">
        <h2 id="order-items">Your cover</h2>
        <ul className="order-items">
          {data.items.map((item) => (
            <li key={item.id} className="order-item">
              <div>
                <strong>{item.productName}</strong>
                <div className="muted small">{item.insurerName}</div>
                {item.plan ? (
                  <div className="small">
                    {item.plan}
                    {item.paid ? `: paid ${item.paid}` : ""}
                    {item.later ? `, then ${item.later}` : ""}
                  </div>
                ) : null}
              </div>
              <div className="order-item-policy">
                {item.policy ? (
                  <>
                    <PolicyBadge status={item.policy.status} />
                    {item.policy.number ? (
                      <div>
                        Policy <Link to={`/account/policies/${item.policy.id}`}>{item.policy.number}</Link>
                      </div>
                    ) : null}
                    {item.policy.startDate && item.policy.endDate ? (
                      <div className="muted small">
                        {item.policy.startDate} to {item.policy.endDate}
                      </div>
                    ) : null}
                  </>
                ) : data.paid ? (
                  <span className="badge badge-pending">Being issued…</span>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>

      {data.payments.length ? (
        <section className="card" aria-labelledby="order-payments">
          <h2 id="order-payments">Payments</h2>
          <ul className="plain-list">
            {data.payments.map((p) => (
              <li key={p.id}>
                {p.amount} by {p.method}
                {p.at ? ` on ${p.at}` : ""}
                {p.receipt ? ` (reference ${p.receipt})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to="/account/policies">See all your policies</Link>
      </p>
    </section>
  );
}

/** While policies are being issued the page refreshes itself: by JavaScript, or by meta refresh without it. */
function Issuing() {
  const revalidator = useRevalidator();
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
        Your policies are being issued… this page updates by itself.
      </p>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Order ${data.reference}` : "Order");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { AccountNav } from "~/components/account/account-nav";
import { StripeCard } from "~/components/checkout/stripe-card";
import { PaymentBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { METHOD_LABELS } from "~/modules/payments/methods";
import { withTenant } from "~/lib/db.server";
import { formatDateTime } from "~/lib/dates";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { getPayment, refreshPendingPayment } from "~/modules/payments/payments.server";
import { getMyPaymentSummary } from "~/modules/policies/customer.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/** After this long without an answer, the page offers to ask the provider directly. */
const CHECK_AGAIN_AFTER_MS = 30_000;
const POLL_MS = 2_000;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const transactionId = uuidParam(params, "transactionId");
  const { payment, summary } = await withTenant(tenant.id, async (db) => ({
    payment: await getPayment(db, transactionId, user.id),
    summary: await getMyPaymentSummary(db, user.id, transactionId),
  }));
  if (!payment || !summary) throw new Response("Not found", { status: 404 });
  const money = (minor: number) => formatMoney(minor, payment.currency, tenant.locale);
  const action = payment.status === "pending" ? payment.customerAction : null;
  return json(
    {
      id: payment.id,
      status: payment.status,
      method: METHOD_LABELS[payment.method],
      methodCode: payment.method,
      sandbox: payment.provider === "sandbox",
      amount: money(payment.amountMinor),
      refunded: payment.refundedMinor > 0 ? money(payment.refundedMinor) : null,
      providerReceipt: payment.providerReceipt,
      failureMessage: payment.failureMessage,
      phoneMasked: payment.phoneMasked,
      createdAt: formatDateTime(payment.createdAt, tenant.locale, tenant.timeZone),
      completedAt: payment.completedAt ? formatDateTime(payment.completedAt, tenant.locale, tenant.timeZone) : null,
      canCheckAgain: payment.status === "pending" && Date.now() - new Date(payment.createdAt).getTime() > CHECK_AGAIN_AFTER_MS,
      // Only what the page needs of the next step. A Stripe client secret is meant for the owner's browser.
      next:
        action?.type === "redirect"
          ? { type: "redirect" as const, url: action.url }
          : action?.type === "stk_push"
            ? { type: "stk_push" as const, message: action.message }
            : action?.type === "client_secret"
              ? { type: "client_secret" as const, clientSecret: action.clientSecret, publishableKey: action.publishableKey }
              : null,
      returnUrl: `${originOf(request)}/account/payments/${payment.id}`,
      orderId: payment.orderId,
      orderReference: payment.orderReference,
      policy: summary.policyId ? { id: summary.policyId, number: summary.policyNumber, instalment: summary.instalmentSequence } : null,
      receipt: summary.receipt
        ? {
            number: summary.receipt.number,
            url: summary.receipt.fileKey
              ? signDownload({
                  tenantId: tenant.id,
                  fileKey: summary.receipt.fileKey,
                  userId: user.id,
                  filename: `Receipt-${summary.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`,
                  expiresInSeconds: 300,
                })
              : null,
          }
        : null,
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const transactionId = uuidParam(params, "transactionId");
  const payment = await withTenant(tenant.id, (db) => getPayment(db, transactionId, user.id));
  if (!payment) throw new Response("Not found", { status: 404 });
  // "Check again": ask the provider when its answer is late. Anything else just reloads the page.
  if (payment.status === "pending") await refreshPendingPayment(tenant, transactionId);
  return redirect(`/account/payments/${transactionId}`);
}

export default function PaymentStatus() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const pending = data.status === "pending";
  usePolling(pending);

  return (
    <div className="account stack">
      <nav aria-label="Breadcrumbs" className="breadcrumbs">
        <Link to="/account/payments">Payments</Link> <span aria-hidden>/</span> <span aria-current="page">Payment of {data.amount}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>Payment of {data.amount}</h1>
          <p className="muted">
            {data.method} · started {data.createdAt}
          </p>
        </div>
        <PaymentBadge status={data.status} />
      </div>
      <AccountNav />

      <div aria-live="polite" aria-atomic="true">
        <Outcome data={data} />
      </div>
      {data.next?.type === "client_secret" ? (
        <section className="card" aria-label="Card payment">
          <StripeCard publishableKey={data.next.publishableKey} clientSecret={data.next.clientSecret} returnUrl={data.returnUrl} />
        </section>
      ) : null}
      {pending ? (
        // Without JavaScript the page reloads itself until the payment has an answer.
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      ) : null}
      {data.canCheckAgain ? (
        <Form method="post">
          <p className="muted">Still waiting? We can ask the payment provider directly.</p>
          <Button type="submit" variant="secondary" busy={navigation.state === "submitting"}>
            Check again
          </Button>
        </Form>
      ) : null}

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <dl className="details-list">
          <dt>For</dt>
          <dd>
            {data.policy ? (
              <Link to={`/account/policies/${data.policy.id}`}>
                {data.policy.number ?? "Your policy"}
                {data.policy.instalment ? `, instalment ${data.policy.instalment}` : ""}
              </Link>
            ) : data.orderId ? (
              <Link to={`/orders/${data.orderId}`}>Order {data.orderReference}</Link>
            ) : (
              "—"
            )}
          </dd>
          <dt>Amount</dt>
          <dd>{data.amount}</dd>
          {data.refunded ? (
            <>
              <dt>Refunded</dt>
              <dd>{data.refunded}</dd>
            </>
          ) : null}
          <dt>Method</dt>
          <dd>
            {data.method}
            {data.phoneMasked ? ` (${data.phoneMasked})` : ""}
            {data.sandbox ? " — sandbox, no real money" : ""}
          </dd>
          {data.providerReceipt ? (
            <>
              <dt>Provider reference</dt>
              <dd>{data.providerReceipt}</dd>
            </>
          ) : null}
          {data.completedAt ? (
            <>
              <dt>Completed</dt>
              <dd>{data.completedAt}</dd>
            </>
          ) : null}
          <dt>Receipt</dt>
          <dd>
            {data.receipt ? (
              data.receipt.url ? (
                <a href={data.receipt.url} download>
                  Download receipt {data.receipt.number} (PDF)
                </a>
              ) : (
                <span className="muted">Receipt {data.receipt.number} is being prepared.</span>
              )
            ) : data.status === "completed" ? (
              <span className="muted">Being prepared — it is also emailed to you.</span>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </dl>
      </section>
    </div>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Outcome({ data }: { data: Data }) {
  const back = data.policy ? (
    <Link to={`/account/policies/${data.policy.id}`}>Back to your policy</Link>
  ) : data.orderId ? (
    <Link to={`/orders/${data.orderId}`}>Back to your order</Link>
  ) : null;
  switch (data.status) {
    case "pending":
      return (
        <Alert tone="info" title="Waiting for your payment">
          {data.next?.type === "stk_push" ? (
            <p>{data.next.message || `Check your phone${data.phoneMasked ? ` (${data.phoneMasked})` : ""} and enter your M-Pesa PIN.`}</p>
          ) : data.next?.type === "redirect" ? (
            <p>
              <a href={data.next.url} className="btn btn-primary">
                {data.sandbox ? "Open the sandbox payment page" : "Continue to payment"}
              </a>
            </p>
          ) : data.next?.type === "client_secret" ? (
            <p>Enter your card details below to pay {data.amount}.</p>
          ) : (
            <p>We are waiting for the payment provider to confirm.</p>
          )}
          <p className="muted small">This page updates by itself.</p>
        </Alert>
      );
    case "completed":
      return (
        <Alert tone="success" title="Payment received">
          <p>Thank you: {data.amount} was paid. Your receipt is below and in your email.</p>
          {back ? <p>{back}</p> : null}
        </Alert>
      );
    case "partially_refunded":
    case "refunded":
      return (
        <Alert tone="info" title={data.status === "refunded" ? "Refunded" : "Partly refunded"}>
          <p>
            {data.refunded} of {data.amount} was refunded to you.
          </p>
          {back ? <p>{back}</p> : null}
        </Alert>
      );
    default:
      return (
        <Alert
          tone="error"
          title={data.status === "cancelled" ? "Payment cancelled" : data.status === "expired" ? "Payment timed out" : "Payment failed"}
        >
          <p>{data.failureMessage ?? "The payment did not go through. No money was taken."}</p>
          {back ? <p>{back} to try again.</p> : null}
        </Alert>
      );
  }
}

/** Reloads the page's data every two seconds while the payment is pending and the tab is visible. */
function usePolling(active: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [active, revalidator]);
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data ? `Payment of ${data.amount}` : "Payment");

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { AccountNav } from "~/components/account/account-nav";
import { StripeCard } from "~/components/checkout/stripe-card";
import { PaymentBadge } from "~/components/account/status";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
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
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

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
  const t = await serverT(tenant.language, "account");
  const action = payment.status === "pending" ? payment.customerAction : null;
  return json(
    {
      title: t("paymentDetail.title", { amount: money(payment.amountMinor) }),
      id: payment.id,
      status: payment.status,
      method: t(`method.${payment.method}`),
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
  const { t } = useTranslation("account");
  const pending = data.status === "pending";
  usePolling(pending);

  return (
    <div className="account stack">
      <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
        <Link to="/account/payments">{t("payments.title")}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{t("paymentDetail.title", { amount: data.amount })}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1>{t("paymentDetail.title", { amount: data.amount })}</h1>
          <p className="muted">
            {data.method} · {t("paymentDetail.started", { date: data.createdAt })}
          </p>
        </div>
        <PaymentBadge status={data.status} />
      </div>
      <AccountNav />

      <div aria-live="polite" aria-atomic="true">
        <Outcome data={data} />
      </div>
      {data.next?.type === "client_secret" ? (
        <section className="card" aria-label={t("paymentDetail.cardPayment")}>
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
          <p className="muted">{t("paymentDetail.stillWaiting")}</p>
          <Button type="submit" variant="secondary" busy={navigation.state === "submitting"}>
            {t("paymentDetail.checkAgain")}
          </Button>
        </Form>
      ) : null}

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">{t("paymentDetail.details")}</h2>
        <dl className="details-list">
          <dt>{t("payments.for")}</dt>
          <dd>
            {data.policy ? (
              <Link to={`/account/policies/${data.policy.id}`}>
                {data.policy.instalment
                  ? t("payments.instalment", {
                      policy: data.policy.number ?? t("paymentDetail.yourPolicy"),
                      sequence: data.policy.instalment,
                    })
                  : (data.policy.number ?? t("paymentDetail.yourPolicy"))}
              </Link>
            ) : data.orderId ? (
              <Link to={`/orders/${data.orderId}`}>{t("payments.order", { reference: data.orderReference })}</Link>
            ) : (
              "—"
            )}
          </dd>
          <dt>{t("payments.amount")}</dt>
          <dd>{data.amount}</dd>
          {data.refunded ? (
            <>
              <dt>{t("paymentDetail.refunded")}</dt>
              <dd>{data.refunded}</dd>
            </>
          ) : null}
          <dt>{t("payments.method")}</dt>
          <dd>
            {data.method}
            {data.phoneMasked ? ` (${data.phoneMasked})` : ""}
            {data.sandbox ? ` — ${t("paymentDetail.sandbox")}` : ""}
          </dd>
          {data.providerReceipt ? (
            <>
              <dt>{t("paymentDetail.providerReference")}</dt>
              <dd>{data.providerReceipt}</dd>
            </>
          ) : null}
          {data.completedAt ? (
            <>
              <dt>{t("paymentDetail.completed")}</dt>
              <dd>{data.completedAt}</dd>
            </>
          ) : null}
          <dt>{t("payments.receipt")}</dt>
          <dd>
            {data.receipt ? (
              data.receipt.url ? (
                <a href={data.receipt.url} download>
                  {t("paymentDetail.downloadReceipt", { number: data.receipt.number })}
                </a>
              ) : (
                <span className="muted">{t("paymentDetail.receiptPreparing", { number: data.receipt.number })}</span>
              )
            ) : data.status === "completed" ? (
              <span className="muted">{t("paymentDetail.preparingEmailed")}</span>
            ) : (
              <span className="muted">{t("paymentDetail.none")}</span>
            )}
          </dd>
        </dl>
      </section>
    </div>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Outcome({ data }: { data: Data }) {
  const { t } = useTranslation("account");
  const back = data.policy ? (
    <Link to={`/account/policies/${data.policy.id}`}>{t("paymentDetail.backToPolicy")}</Link>
  ) : data.orderId ? (
    <Link to={`/orders/${data.orderId}`}>{t("paymentDetail.backToOrder")}</Link>
  ) : null;
  switch (data.status) {
    case "pending":
      return (
        <Alert tone="info" title={t("paymentDetail.waiting")}>
          {data.next?.type === "stk_push" ? (
            <p>
              {data.next.message ||
                (data.phoneMasked ? t("paymentDetail.checkPhoneMasked", { phone: data.phoneMasked }) : t("paymentDetail.checkPhone"))}
            </p>
          ) : data.next?.type === "redirect" ? (
            <p>
              <a href={data.next.url} className="btn btn-primary">
                {data.sandbox ? t("paymentDetail.openSandbox") : t("paymentDetail.continue")}
              </a>
            </p>
          ) : data.next?.type === "client_secret" ? (
            <p>{t("paymentDetail.enterCard", { amount: data.amount })}</p>
          ) : (
            <p>{t("paymentDetail.waitingProvider")}</p>
          )}
          <p className="muted small">{t("paymentDetail.updates")}</p>
        </Alert>
      );
    case "completed":
      return (
        <Alert tone="success" title={t("paymentDetail.received")}>
          <p>{t("paymentDetail.thanks", { amount: data.amount })}</p>
          {back ? <p>{back}</p> : null}
        </Alert>
      );
    case "partially_refunded":
    case "refunded":
      return (
        <Alert tone="info" title={t(`status.payment.${data.status}`)}>
          <p>{t("paymentDetail.refundedText", { refunded: data.refunded, amount: data.amount })}</p>
          {back ? <p>{back}</p> : null}
        </Alert>
      );
    default:
      return (
        <Alert
          tone="error"
          title={
            data.status === "cancelled"
              ? t("paymentDetail.cancelled")
              : data.status === "expired"
                ? t("paymentDetail.timedOut")
                : t("paymentDetail.failed")
          }
        >
          <p>{data.failureMessage ?? t("paymentDetail.notThrough")}</p>
          {back ? (
            <p>
              {back} {t("paymentDetail.tryAgain")}
            </p>
          ) : null}
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

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Payment");

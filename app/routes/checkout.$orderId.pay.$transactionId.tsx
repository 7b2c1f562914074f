import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useHydrated } from "~/components/console/use-hydrated";
import { StripeCard } from "~/components/checkout/stripe-card";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { withTenant } from "~/lib/db.server";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { uuidParam } from "~/lib/params";
import { requireUser } from "~/modules/auth/guards.server";
import { getPayment, refreshPendingPayment } from "~/modules/payments/payments.server";
import { formatKenyanPhone } from "~/modules/payments/providers/phone";
import { originOf } from "~/modules/tenancy/resolve.server";
import checkoutStyles from "~/styles/checkout.css";
import { Trans, useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

/** Paid, whatever happened after (a refund later does not undo the order). */
const PAID = new Set(["completed", "partially_refunded", "refunded"]);

/** How a payment can end without paying; the words are checkout:status.<outcome>. */
const OUTCOMES = new Set(["failed", "cancelled", "expired"]);

async function paymentOf(request: Request, params: LoaderFunctionArgs["params"]) {
  const { tenant, user } = await requireUser(request);
  const orderId = uuidParam(params, "orderId");
  const transactionId = uuidParam(params, "transactionId");
  const { payment, order } = await withTenant(tenant.id, async (db) => ({
    payment: await getPayment(db, transactionId, user.id),
    order: await db
      .selectFrom("orders")
      .select(["id", "reference", "payment_method", "payment_phone"])
      .where("id", "=", orderId)
      .where("user_id", "=", user.id)
      .executeTakeFirst(),
  }));
  // Someone else's payment, or one of another order, is simply not found.
  if (!payment || !order || payment.orderId !== order.id) throw new Response("Not found", { status: 404 });
  return { tenant, payment, order };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, payment, order } = await paymentOf(request, params);
  if (PAID.has(payment.status)) throw redirect(`/orders/${order.id}`);
  const action = payment.customerAction;
  return json({
    orderId: order.id,
    reference: order.reference,
    transactionId: payment.id,
    status: payment.status,
    method: payment.method,
    sandbox: payment.provider === "sandbox",
    amount: formatMoney(payment.amountMinor, payment.currency, tenant.locale),
    phone: payment.phoneMasked,
    failureMessage: payment.failureMessage,
    // What the customer does next: the prompt on their phone, a page to go back to, or the card form.
    next:
      action?.type === "redirect"
        ? { type: "redirect" as const, url: action.url }
        : action?.type === "client_secret"
          ? { type: "card" as const, clientSecret: action.clientSecret, publishableKey: action.publishableKey }
          : action?.type === "stk_push"
            ? { type: "stk" as const }
            : null,
    returnUrl: `${originOf(request)}/checkout/${order.id}/pay/${payment.id}`,
    retry: { method: order.payment_method ?? payment.method, phone: order.payment_phone ? formatKenyanPhone(order.payment_phone) : "" },
    title: (await serverT(tenant.language, "checkout"))("status.title"),
  });
}

/** "Check again": asks the provider itself when its answer is late. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, payment, order } = await paymentOf(request, params);
  if (payment.status === "pending") await refreshPendingPayment(tenant, payment.id);
  return redirect(`/checkout/${order.id}/pay/${payment.id}`);
}

export default function PaymentStatus() {
  const data = useLoaderData<typeof loader>();
  const pending = data.status === "pending";
  const { t } = useTranslation("checkout");
  const outcome = OUTCOMES.has(data.status)
    ? { title: t(`status.${data.status}.title`), message: t(`status.${data.status}.message`) }
    : undefined;
  return (
    <section className="checkout stack narrow" aria-labelledby="checkout-title">
      <p className="eyebrow">{t("head.eyebrow", { reference: data.reference })}</p>
      <h1 id="checkout-title">{pending ? t("status.waiting") : (outcome?.title ?? t("status.title"))}</h1>
      {pending ? <Pending data={data} /> : null}
      {outcome ? (
        <>
          <Alert tone="error" title={data.failureMessage ?? outcome.title}>
            {outcome.message}
          </Alert>
          <Form method="post" action={`/checkout/${data.orderId}/pay`} className="actions">
            <input type="hidden" name="method" value={data.retry.method} />
            <input type="hidden" name="phone" value={data.retry.phone} />
            <Button type="submit">{t("status.tryAgain")}</Button>
            <Link to={`/checkout/${data.orderId}/pay`} className="btn btn-secondary">
              {t("status.change")}
            </Link>
          </Form>
        </>
      ) : null}
    </section>
  );
}

function Pending({ data }: { data: ReturnType<typeof useLoaderData<typeof loader>> }) {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const { t } = useTranslation("checkout");
  // With JavaScript, the page asks again every 2 seconds; without it, the meta refresh does.
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle" && document.visibilityState === "visible") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <>
      <noscript>
        <meta httpEquiv="refresh" content="3" />
      </noscript>
      <div className="card pay-waiting" role="status" aria-live="polite">
        <p className="pay-total">{data.amount}</p>
        {data.next?.type === "stk" ? (
          <p>
            {t("status.stk", { phone: data.phone ?? t("status.yourPhone") })}
            {data.sandbox ? ` ${t("status.stkSandbox")}` : ""}
          </p>
        ) : null}
        {data.next?.type === "redirect" ? (
          <p>
            {/* Trans puts the link's words inside the anchor. */}
            {/* eslint-disable-next-line jsx-a11y/anchor-has-content */}
            <Trans t={t} i18nKey="status.redirect" components={{ open: <a href={data.next.url} /> }} />
          </p>
        ) : null}
        {data.next?.type === "card" ? (
          hydrated ? (
            <StripeCard publishableKey={data.next.publishableKey} clientSecret={data.next.clientSecret} returnUrl={data.returnUrl} />
          ) : (
            <p>{t("status.noScript")}</p>
          )
        ) : null}
        <p className="muted small">{t("status.updates")}</p>
      </div>
      <Form method="post" className="actions">
        <Button type="submit" variant="secondary" busy={navigation.state === "submitting"}>
          {t("status.checkAgain")}
        </Button>
        <Link to={`/checkout/${data.orderId}/pay`}>{t("status.another")}</Link>
      </Form>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Payment");

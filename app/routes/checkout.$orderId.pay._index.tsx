import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/checkout/choice";
import { CheckoutHead } from "~/components/checkout/progress";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { orderPricing, pendingTransactionId } from "~/modules/checkout/orders.server";
import { checkoutStep } from "~/modules/checkout/page.server";
import { paySchema } from "~/modules/checkout/schemas";
import { stepUrl } from "~/modules/checkout/steps";
import { getPayment, startPayment } from "~/modules/payments/payments.server";
import { formatKenyanPhone } from "~/modules/payments/providers/phone";
import { mpesaRounding } from "~/modules/payments/payments.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { isSavedMethodProvider } from "~/modules/payments/saved-methods.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import checkoutStyles from "~/styles/checkout.css";
import { readForm } from "~/lib/forms";
import { Trans, useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";
import { paymentOptionLabel } from "~/modules/checkout/labels";
import { BankPickers, bankCodeOf, pickerErrors } from "~/components/payments/bank-select";
import { banksFor } from "~/modules/payments/banks.server";
import { paypalConversionNote } from "~/modules/payments/paypal-conversion.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, order, notices } = await checkoutStep(request, params, "payment");
  if (!order.termsAcceptedAt) throw redirect(stepUrl(order.id, "review"));
  const { pricing, options, pending, banks, wallets } = await withTenant(tenant.id, async (db) => {
    const options = await paymentOptions(db, tenant);
    return {
      pricing: await orderPricing(db, tenant.id, order.lines),
      options,
      pending: await pendingTransactionId(db, order.id),
      ...(await banksFor(db, tenant.id, options)),
    };
  });
  // PayPal charges the agency's currency and converts on its own page: the customer is told so first.
  const paypal = options.some((o) => o.method === "paypal")
    ? await paypalConversionNote(tenant, pricing.dueNowMinor, request.headers.get("accept-language"))
    : null;
  // Cash or a bank-in the member's agent collected, waiting for staff: nothing to pay meanwhile.
  const offline = pending ? await withTenant(tenant.id, (db) => getPayment(db, pending)) : undefined;
  const t = await serverT(tenant.language, "checkout");
  return json({
    orderId: order.id,
    reference: order.reference,
    reached: order.step,
    notices,
    dueNow: formatMoney(pricing.dueNowMinor, tenant.currency, tenant.locale),
    // M-Pesa moves whole shillings: the cents are waived when paying that way (mpesaRounding).
    mpesaDueNow:
      mpesaRounding(pricing.dueNowMinor, "mpesa", tenant.currency) > 0
        ? formatMoney(pricing.dueNowMinor - mpesaRounding(pricing.dueNowMinor, "mpesa", tenant.currency), tenant.currency, tenant.locale)
        : null,
    items: order.lines.map((l, i) => ({
      id: l.id,
      name: l.quote.productName,
      dueNow: formatMoney(pricing.items[i]!.firstPaymentMinor, tenant.currency, tenant.locale),
    })),
    // A card through Curlec is typed on Curlec's page (a Payment Link): the customer is told before they go.
    options: options.map((o) => ({
      method: o.method,
      label: paymentOptionLabel(t, o),
      atCurlec: o.method === "card" && o.provider === "curlec",
    })),
    paypal,
    // Stripe, Paystack and the sandbox can keep a card for later payments (decision 029).
    canSaveCard: options.some((o) => o.method === "card" && isSavedMethodProvider(o.provider)),
    banks,
    wallets,
    pending,
    offlinePending: offline?.provider === "offline" ? formatMoney(offline.amountMinor, offline.currency, tenant.locale) : null,
    defaults: {
      method: order.paymentMethod ?? options[0]?.method ?? "",
      phone: order.paymentPhone ? formatKenyanPhone(order.paymentPhone) : (order.holder.phone ?? ""),
    },
    title: t("title.payment"),
  });
}

/**
 * Starts a payment for the amount the server works out (no amount is read from the form). An
 * M-Pesa prompt goes to the status page; a card payment goes to the provider's page (or the
 * sandbox's) and comes back to the status page.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user, order } = await checkoutStep(request, params, "payment");
  const submission = parseWithZod(await readForm(request), { schema: paySchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const { method, phone, saveCard, bank, wallet } = submission.value;
  if (method !== order.paymentMethod || phone !== order.paymentPhone) {
    await withTenant(tenant.id, (db) =>
      db
        .updateTable("orders")
        .set({ payment_method: method, payment_phone: phone, updated_at: new Date() })
        .where("id", "=", order.id)
        .execute(),
    );
  }
  const started = await startPayment(tenant, {
    target: { orderId: order.id },
    userId: user.id,
    method,
    phone: phone ?? undefined,
    email: order.holder.email ?? user.email,
    origin: originOf(request),
    saveMethod: saveCard && method === "card",
    bankCode: bankCodeOf({ method, bank, wallet }),
  });
  if (!started.ok) {
    const { form = [], ...fieldErrors } = pickerErrors(method, started.fieldErrors);
    return json({ result: submission.reply({ formErrors: [started.message, ...form], fieldErrors }) }, { status: 400 });
  }
  const action = started.customerAction;
  if (action.type === "redirect") return redirect(action.url);
  return redirect(`/checkout/${order.id}/pay/${started.transactionId}`);
}

export default function CheckoutPay() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [form] = useForm({
    id: "checkout-pay",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: paySchema }),
  });
  const errors = form.allErrors;
  const sent = lastResult?.initialValue as { method?: string; phone?: string } | undefined;
  const method = sent?.method ?? data.defaults.method;
  const mpesa = data.options.some((o) => o.method === "mpesa");
  const { t } = useTranslation("checkout");

  return (
    <section className="checkout stack" aria-labelledby="checkout-title">
      <CheckoutHead orderId={data.orderId} reference={data.reference} reached={data.reached} current="payment" notices={data.notices} />
      {data.offlinePending ? (
        <Alert tone="info" title={t("pay.offlineTitle")}>
          {t("pay.offlineBody", { amount: data.offlinePending })}
        </Alert>
      ) : data.pending ? (
        <Alert tone="info" title={t("pay.pendingTitle")}>
          <Trans t={t} i18nKey="pay.pendingBody" components={{ see: <Link to={`/checkout/${data.orderId}/pay/${data.pending}`} /> }} />
        </Alert>
      ) : null}
      <section className="card pay-amount" aria-labelledby="pay-due">
        <h2 id="pay-due">{t("breakdown.dueNow")}</h2>
        <p className="pay-total">{data.dueNow}</p>
        {data.mpesaDueNow ? <p className="muted small">{t("pay.mpesaRounded", { amount: data.mpesaDueNow })}</p> : null}
        <ul className="plain-list muted small">
          {data.items.map((item) => (
            <li key={item.id}>
              {item.name}: {item.dueNow}
            </li>
          ))}
        </ul>
      </section>
      <Form method="post" className="card checkout-form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset className="choice-group" aria-describedby={errors.method?.length ? "pay-method-error" : undefined}>
          <legend>{t("pay.payWith")}</legend>
          {data.options.map((option) => (
            <Choice
              key={option.method}
              name="method"
              value={option.method}
              checked={method === option.method}
              label={option.label}
              detail={
                option.method === "paypal" && data.paypal ? (
                  <PaypalConversion note={data.paypal} />
                ) : option.atCurlec ? (
                  t("pay.cardAtCurlec")
                ) : undefined
              }
            />
          ))}
          {errors.method?.length ? (
            <p className="field-error" id="pay-method-error" role="alert">
              {errors.method.join(" ")}
            </p>
          ) : null}
        </fieldset>
        {mpesa ? (
          <Field
            id="pay-phone"
            name="phone"
            type="tel"
            label={t("plan.phone")}
            autoComplete="tel"
            hint={data.mpesaDueNow ? t("pay.phoneHintRounded", { amount: data.mpesaDueNow }) : t("pay.phoneHint")}
            defaultValue={sent?.phone ?? data.defaults.phone}
            errors={errors.phone}
          />
        ) : null}
        <BankPickers
          idPrefix="pay"
          methods={data.options.map((o) => o.method)}
          banks={data.banks}
          wallets={data.wallets}
          defaults={sent as { bank?: string; wallet?: string } | undefined}
          errors={errors}
        />
        {data.canSaveCard ? (
          <div className="checkbox">
            <input
              type="checkbox"
              id="pay-save-card"
              name="saveCard"
              defaultChecked={Boolean(sent && (sent as { saveCard?: string }).saveCard)}
            />
            <label htmlFor="pay-save-card">
              {t("pay.saveCard")}
              <span className="muted small"> {t("pay.saveCardNote")}</span>
            </label>
          </div>
        ) : null}
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"} disabled={data.options.length === 0}>
            {/* By M-Pesa the amount is a little less (whole shillings): one button cannot name both. */}
            {data.mpesaDueNow ? t("pay.payNow") : t("pay.payAmount", { amount: data.dueNow })}
          </Button>
        </div>
      </Form>
      <p>
        <Link to={stepUrl(data.orderId, "review")}>{t("pay.back")}</Link>
      </p>
    </section>
  );
}

/** Under the PayPal choice: the currency PayPal charges, its conversion, and PayPal's rate now when it gave one. */
function PaypalConversion({ note }: { note: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["paypal"]> }) {
  const { t } = useTranslation("checkout");
  return (
    <>
      {t("pay.paypalCharged", { amount: note.charged, currency: note.currency })}
      {note.indicative.map((q) => (
        <span key={q.currency} className="paypal-indicative">
          {" "}
          {t("pay.paypalAbout", { amount: q.amount, base: note.currency, rate: q.rate, currency: q.currency })}
        </span>
      ))}
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Checkout: pay");

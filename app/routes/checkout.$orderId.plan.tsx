import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Choice } from "~/components/checkout/choice";
import { CheckoutHead } from "~/components/checkout/progress";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatMoney } from "~/lib/money";
import { pageTitle } from "~/lib/meta";
import { checkoutStep } from "~/modules/checkout/page.server";
import { savePlan } from "~/modules/checkout/plan.server";
import { planSchema } from "~/modules/checkout/schemas";
import { paymentOptionLabel } from "~/modules/checkout/labels";
import { stepUrl } from "~/modules/checkout/steps";
import { paymentOptions } from "~/modules/payments/settings.server";
import { formatKenyanPhone } from "~/modules/payments/providers/phone";
import checkoutStyles from "~/styles/checkout.css";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, order, notices } = await checkoutStep(request, params, "plan");
  const options = await withTenant(tenant.id, (db) => paymentOptions(db, tenant));
  const t = await serverT(tenant.language, "checkout");
  const method =
    order.paymentMethod && options.some((o) => o.method === order.paymentMethod) ? order.paymentMethod : (options[0]?.method ?? "");
  return json({
    orderId: order.id,
    reference: order.reference,
    reached: order.step,
    notices,
    currency: tenant.currency,
    locale: tenant.locale,
    options: options.map((o) => ({ method: o.method, label: paymentOptionLabel(t, o) })),
    items: order.lines.map((line) => ({
      id: line.id,
      productName: line.quote.productName,
      insurerName: line.quote.insurerName,
      frequency: line.quote.frequency,
      choices: line.quote.breakdown.frequencies.map((f) => ({
        value: f.frequency,
        label: t(`frequencyChoice.${f.frequency}`),
        instalments: f.instalmentsPerYear,
        amount: f.instalmentAmount,
        first: f.firstInstalmentAmount,
        year: f.annualEquivalent,
      })),
    })),
    defaults: {
      method,
      phone: order.paymentPhone ? formatKenyanPhone(order.paymentPhone) : (order.holder.phone ?? ""),
    },
    title: t("title.plan"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user, order } = await checkoutStep(request, params, "plan");
  const submission = parseWithZod(await readForm(request), { schema: planSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const saved = await withTenant(tenant.id, (db) => savePlan(db, tenant, order, user.id, submission.value));
  if (!saved.ok) {
    const { form = [], ...fieldErrors } = saved.errors;
    return json({ result: submission.reply({ formErrors: form, fieldErrors }) }, { status: 400 });
  }
  return redirect(stepUrl(order.id, "review"));
}

export default function CheckoutPlan() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [form] = useForm({
    id: "checkout-plan",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: planSchema }),
  });
  const errors = form.allErrors;
  const sent = lastResult?.initialValue as
    { items?: { itemId?: string; frequency?: string }[]; method?: string; phone?: string } | undefined;
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  const method = sent?.method ?? data.defaults.method;
  const mpesa = data.options.some((o) => o.method === "mpesa");
  const { t } = useTranslation("checkout");

  return (
    <section className="checkout stack" aria-labelledby="checkout-title">
      <CheckoutHead orderId={data.orderId} reference={data.reference} reached={data.reached} current="plan" notices={data.notices} />
      <Form method="post" className="checkout-form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        {data.items.map((item, i) => {
          const chosen = sent?.items?.[i]?.frequency ?? item.frequency;
          const name = `items[${i}].frequency`;
          const error = errors[name];
          return (
            <fieldset key={item.id} className="card choice-group" aria-describedby={error?.length ? `${name}-error` : undefined}>
              <legend>
                {item.productName} <span className="muted small">· {item.insurerName}</span>
              </legend>
              <input type="hidden" name={`items[${i}].itemId`} value={item.id} />
              {item.choices.map((choice) => (
                <Choice
                  key={choice.value}
                  name={name}
                  value={choice.value}
                  checked={chosen === choice.value}
                  label={choice.label}
                  detail={
                    choice.instalments === 1
                      ? t("plan.onceAYear", { amount: money(choice.year) })
                      : t(choice.first !== choice.amount ? "plan.instalmentsFirst" : "plan.instalments", {
                          number: choice.instalments,
                          amount: money(choice.amount),
                          first: money(choice.first),
                          year: money(choice.year),
                        })
                  }
                />
              ))}
              {error?.length ? (
                <p className="field-error" id={`${name}-error`} role="alert">
                  {error.join(" ")}
                </p>
              ) : null}
            </fieldset>
          );
        })}

        <fieldset className="card choice-group" aria-describedby={errors.method?.length ? "method-error" : undefined}>
          <legend>{t("plan.howPay")}</legend>
          {data.options.length === 0 ? <p className="field-error">{t("plan.unavailable")}</p> : null}
          {data.options.map((option) => (
            <Choice
              key={option.method}
              name="method"
              value={option.method}
              checked={method === option.method}
              label={option.label}
              detail={option.method === "mpesa" ? t("plan.mpesaDetail") : t("plan.cardDetail")}
            />
          ))}
          {errors.method?.length ? (
            <p className="field-error" id="method-error" role="alert">
              {errors.method.join(" ")}
            </p>
          ) : null}
          {mpesa ? (
            <Field
              id="plan-phone"
              name="phone"
              type="tel"
              label={t("plan.phone")}
              autoComplete="tel"
              hint={t("plan.phoneHint")}
              defaultValue={sent?.phone ?? data.defaults.phone}
              errors={errors.phone}
            />
          ) : null}
        </fieldset>
        <p className="muted small">{t("plan.beforeDiscount")}</p>
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"} disabled={data.options.length === 0}>
            {t("plan.submit")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Checkout: payment plan");

import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrderBreakdown } from "~/components/checkout/breakdown";
import { PolicyholderSummary } from "~/components/checkout/policy-details";
import { CheckoutHead } from "~/components/checkout/progress";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConsentField } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { checkoutRequirements, detailsView } from "~/modules/checkout/details.server";
import { acceptTerms, orderPricing, reviewVersion } from "~/modules/checkout/orders.server";
import { checkoutStep } from "~/modules/checkout/page.server";
import { termsSchema } from "~/modules/checkout/schemas";
import { RELATIONSHIPS, stepUrl } from "~/modules/checkout/steps";
import { formatKenyanPhone } from "~/modules/payments/providers/phone";
import checkoutStyles from "~/styles/checkout.css";
import { readForm } from "~/lib/forms";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: checkoutStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Entering review re-prices expired quotes with the same inputs (checkoutStep keeps the order in step with the cart).
  const { tenant, order, notices } = await checkoutStep(request, params, "review");
  const { pricing, view } = await withTenant(tenant.id, async (db) => ({
    pricing: await orderPricing(db, tenant.id, order.lines),
    view: await detailsView(db, order.id),
  }));
  const needs = checkoutRequirements(tenant, order.lines);
  const t = await serverT(tenant.language, "checkout");
  return json({
    orderId: order.id,
    reference: order.reference,
    reached: order.step,
    notices,
    currency: tenant.currency,
    locale: tenant.locale,
    agency: tenant.name,
    version: reviewVersion(order),
    accepted: order.termsAcceptedAt !== null,
    items: order.lines.map((line, i) => ({
      ...pricing.items[i]!,
      productName: line.quote.productName,
      insurerName: line.quote.insurerName,
      planLabel: t(`frequencyChoice.${line.quote.frequency}`),
      requiresUnderwriting: line.requiresUnderwriting,
    })),
    totals: {
      premium: pricing.premiumMinor,
      levies: pricing.leviesMinor,
      discount: pricing.discount ? { label: pricing.discount.label, amount: pricing.discountMinor } : null,
      total: pricing.totalMinor,
      dueNow: pricing.dueNowMinor,
    },
    holder: view.holder,
    identifiers: view.identifiers.map((i) => ({ label: t(`identifier.${i.kind}.label`), masked: i.masked })),
    beneficiaries: view.beneficiaries.map((b) => ({
      ...b,
      relationship: RELATIONSHIPS.some((r) => r.value === b.relationship) ? t(`relationship.${b.relationship}`) : b.relationship,
    })),
    documents: needs.documents.map((d) => ({
      label: `${d.label} (${d.productName})`,
      filename: view.uploads.find((u) => u.requirement === d.key)?.filename ?? null,
    })),
    payment: order.paymentMethod
      ? order.paymentPhone
        ? t("review.methodFrom", { method: t(`method.${order.paymentMethod}`), phone: formatKenyanPhone(order.paymentPhone) })
        : t(`method.${order.paymentMethod}`)
      : null,
    title: t("title.review"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, order } = await checkoutStep(request, params, "review");
  const submission = parseWithZod(await readForm(request), { schema: termsSchema });
  if (submission.status !== "success") return json({ result: submission.reply() }, { status: 400 });
  const accepted = await withTenant(tenant.id, (db) => acceptTerms(db, order, submission.value.version));
  if (!accepted.ok) return json({ result: submission.reply({ formErrors: accepted.errors.form ?? [] }) }, { status: 409 });
  return redirect(stepUrl(order.id, "payment"));
}

export default function CheckoutReview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const lastResult = actionData?.result as SubmissionResult<string[]> | undefined;
  const [form, fields] = useForm({
    id: "checkout-review",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: termsSchema }),
  });
  const holder = data.holder;
  const { t } = useTranslation("checkout");

  return (
    <section className="checkout stack" aria-labelledby="checkout-title">
      <CheckoutHead orderId={data.orderId} reference={data.reference} reached={data.reached} current="review" notices={data.notices} />

      <OrderBreakdown items={data.items} totals={data.totals} currency={data.currency} locale={data.locale} />

      <div className="checkout-summary-grid">
        <PolicyholderSummary
          holder={holder}
          identifiers={data.identifiers}
          beneficiaries={data.beneficiaries}
          documents={data.documents}
          change={{ to: stepUrl(data.orderId, "details"), label: t("review.changeDetails") }}
        />
        <section className="card" aria-labelledby="review-payment">
          <h2 id="review-payment">{t("review.payment")}</h2>
          <p>{data.payment ?? t("review.notChosen")}</p>
          <p>
            <Link to={stepUrl(data.orderId, "plan")}>{t("review.changePlan")}</Link>
          </p>
        </section>
      </div>

      <Form method="post" className="card checkout-form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="version" value={data.version} />
        <ConsentField
          id={fields.acceptTerms.id}
          name="acceptTerms"
          defaultChecked={data.accepted}
          errors={fields.acceptTerms.errors}
          label={t("review.accept", { agency: data.agency })}
        />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("review.submit")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Checkout: review");

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountNav } from "~/components/account/account-nav";
import { ChangeCoverForm, type ChangePreviewView } from "~/components/policy/change-cover-form";
import { payOptionsIn } from "~/components/policy/premium-schedule";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { formatDate } from "~/lib/dates";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { uuidParam } from "~/lib/params";
import { requirePermission, requireUser } from "~/modules/auth/guards.server";
import { getProfile } from "~/modules/auth/users.server";
import { changeFormValues, earliestChangeDate, policyForChange, whyNotChangeable } from "~/modules/endorsements/change.server";
import { handleChangeForm } from "~/modules/endorsements/form.server";
import { payVersionSchema, pendingVersionOf } from "~/modules/endorsements/pay.server";
import { startPayment } from "~/modules/payments/payments.server";
import { paymentOptions } from "~/modules/payments/settings.server";
import { banksFor } from "~/modules/payments/banks.server";
import { BankPickers, bankCodeOf, pickerErrors } from "~/components/payments/bank-select";
import { quoteDateIn } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { useTranslation } from "react-i18next";
import { serverT } from "~/modules/i18n/i18n.server";

/** The customer changes their cover mid-term (issue 13 item 4): price it, confirm it, pay what is due. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const policyId = uuidParam(params, "policyId");
  const today = quoteDateIn(tenant.timeZone);
  const found = await withTenant(tenant.id, async (db) => {
    const policy = await policyForChange(db, tenant, policyId, { actor: "customer", userId: user.id });
    if (!policy) return null;
    const options = await paymentOptions(db, tenant);
    return {
      policy,
      pending: await pendingVersionOf(db, policyId),
      options,
      ...(await banksFor(db, tenant.id, options)),
      phone: (await getProfile(db, user.id))?.phone ?? "",
    };
  });
  if (!found) throw new Response("Not found", { status: 404 });
  const { policy, pending } = found;
  const money = (minor: number) => formatMoney(minor, policy.currency, tenant.locale);
  const t = await serverT(tenant.language, "account");
  return json({
    title: t("changeCover.title"),
    policy: {
      id: policy.id,
      number: policy.policyNumber,
      productName: policy.productName,
      annualPremium: money(policy.annualPremiumMinor),
    },
    refused: pending ? null : whyNotChangeable(policy),
    fields: policy.fields.filter((f) => policy.changeable.includes(f.name)),
    values: changeFormValues(policy),
    currency: policy.currency,
    locale: tenant.locale,
    minDate: earliestChangeDate(policy, today),
    maxDate: policy.endDate,
    pending: pending
      ? {
          id: pending.id,
          version: pending.version,
          amount: money(pending.deltaMinor),
          summary: pending.summary,
          effectiveDate: formatDate(pending.effectiveDate, tenant.locale, "UTC"),
          paymentId: pending.paymentId,
        }
      : null,
    options: payOptionsIn(t, found.options),
    banks: found.banks,
    wallets: found.wallets,
    phone: found.phone,
  });
}

type ActionData = { errors?: Record<string, string[]>; values?: Record<string, unknown>; preview?: ChangePreviewView; notice?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "buy:policy:own");
  const policyId = uuidParam(params, "policyId");
  const formData = await readForm(request);
  const back = `/account/policies/${policyId}/change`;

  if (formData.get("intent") === "pay") {
    const sent = { method: formData.get("method"), bank: formData.get("bank"), wallet: formData.get("wallet") };
    const values = Object.fromEntries(Object.entries(sent).filter(([, v]) => typeof v === "string" && v.length <= 32));
    const parsed = payVersionSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const { formErrors, fieldErrors } = parsed.error.flatten();
      return json<ActionData>({ errors: { ...fieldErrors, ...(formErrors.length ? { pay: formErrors } : {}) }, values }, { status: 400 });
    }
    const pending = await withTenant(tenant.id, async (db) =>
      (await policyForChange(db, tenant, policyId, { actor: "customer", userId: user.id })) ? pendingVersionOf(db, policyId) : undefined,
    );
    if (pending === undefined) throw new Response("Not found", { status: 404 });
    if (!pending || pending.id !== parsed.data.versionId)
      return json<ActionData>({ errors: { pay: ["This change has nothing left to pay."] } }, { status: 400 });
    const result = await startPayment(tenant, {
      target: { policyVersionId: pending.id },
      userId: user.id,
      method: parsed.data.method,
      phone: parsed.data.method === "mpesa" ? parsed.data.phone : undefined,
      email: user.email,
      origin: originOf(request),
      bankCode: bankCodeOf(parsed.data),
    });
    if (!result.ok) {
      const errors = pickerErrors(parsed.data.method, result.fieldErrors);
      return json<ActionData>({ errors: Object.keys(errors).length ? errors : { pay: [result.message] }, values }, { status: 400 });
    }
    if (result.customerAction.type === "redirect") return redirect(result.customerAction.url);
    return redirect(`/account/payments/${result.transactionId}`);
  }

  const result = await handleChangeForm(tenant, policyId, formData, {
    actor: "customer",
    userId: user.id,
    today: quoteDateIn(tenant.timeZone),
  });
  switch (result.kind) {
    case "not_found":
      throw new Response("Not found", { status: 404 });
    case "invalid":
      return json<ActionData>({ errors: result.errors, values: result.values }, { status: 400 });
    case "priced":
      return json<ActionData>({ preview: result.preview, values: result.values, notice: result.notice });
    case "confirmed":
      return redirect(result.outcome === "pending" ? back : `/account/policies/${policyId}?changed=${result.version}`);
  }
}

export default function ChangeCover() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const { policy, pending } = data;
  const { t } = useTranslation("account");
  const errorText = useErrorText();
  // The pay form's answer: a message for the form as a whole, or one under the field it is about.
  const errors = (pending ? actionData?.errors : undefined) ?? {};
  const formErrors = errors.pay ?? errors.versionId;
  const sentValues = pending ? (actionData?.values as { method?: string; bank?: string; wallet?: string } | undefined) : undefined;
  const chosen = sentValues?.method ?? data.options[0]?.method;
  return (
    <div className="account stack">
      <nav aria-label={t("breadcrumbs")} className="breadcrumbs">
        <Link to="/account/policies">{t("policies.title")}</Link> <span aria-hidden>/</span>{" "}
        <Link to={`/account/policies/${policy.id}`}>{policy.productName}</Link> <span aria-hidden>/</span>{" "}
        <span aria-current="page">{t("changeCover.crumb")}</span>
      </nav>
      <h1>{t("changeCover.title")}</h1>
      <p className="muted">
        {policy.productName} · {policy.number} · {t("changeCover.annual", { amount: policy.annualPremium })}
      </p>
      <AccountNav />
      {pending ? (
        <section className="card" aria-labelledby="pending-title">
          <h2 id="pending-title">{t("changeCover.pendingTitle", { version: pending.version, amount: pending.amount })}</h2>
          <p>{t("changeCover.pendingText", { summary: pending.summary, date: pending.effectiveDate })}</p>
          {pending.paymentId ? (
            <Alert tone="info" title={t("changeCover.inProgress")}>
              <Link to={`/account/payments/${pending.paymentId}`}>{t("changeCover.seeStatus")}</Link>, {t("changeCover.payAgain")}
            </Alert>
          ) : null}
          {formErrors ? <Alert tone="error">{errorText(formErrors)}</Alert> : null}
          {data.options.length === 0 ? (
            <p className="muted">{t("changeCover.noOnlinePayment", { amount: pending.amount })}</p>
          ) : (
            <Form method="post" className="pay-form">
              <input type="hidden" name="versionId" value={pending.id} />
              <fieldset
                className={`field${errors.method ? " field-invalid" : ""}`}
                aria-describedby={errors.method ? "pay-method-error" : undefined}
              >
                <legend>{t("changeCover.payWith")}</legend>
                {data.options.map((o) => (
                  <label key={o.method} className="checkbox">
                    <input type="radio" name="method" value={o.method} defaultChecked={o.method === chosen} /> {o.label}
                  </label>
                ))}
                {errors.method ? (
                  <p className="field-error" id="pay-method-error" role="alert">
                    {errorText(errors.method)}
                  </p>
                ) : null}
              </fieldset>
              {data.options.some((o) => o.method === "mpesa") ? (
                <Field
                  id="pay-phone"
                  name="phone"
                  label={t("changeCover.mpesaPhone")}
                  type="tel"
                  autoComplete="tel"
                  defaultValue={data.phone}
                  errors={errors.phone}
                />
              ) : null}
              <BankPickers
                idPrefix="pay-change"
                methods={data.options.map((o) => o.method)}
                banks={data.banks}
                wallets={data.wallets}
                defaults={sentValues}
                errors={errors}
              />
              <div className="actions">
                <Button type="submit" name="intent" value="pay">
                  {t("changeCover.pay", { amount: pending.amount })}
                </Button>
              </div>
            </Form>
          )}
        </section>
      ) : data.refused ? (
        <Alert tone="info" title={t("changeCover.refused")}>
          {errorText([data.refused])}
        </Alert>
      ) : (
        <>
          {actionData?.notice ? <Alert tone="warning">{errorText([actionData.notice])}</Alert> : null}
          <ChangeCoverForm
            fields={data.fields}
            values={actionData?.values ?? data.values}
            errors={actionData?.errors ?? {}}
            currency={data.currency}
            locale={data.locale}
            effectiveDate={String(actionData?.values?.effectiveDate ?? data.minDate)}
            minDate={data.minDate}
            maxDate={data.maxDate}
            preview={actionData?.preview ?? null}
          />
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Change your cover");

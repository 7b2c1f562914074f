import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { SelectField } from "~/components/console/fields";
import { OrderBreakdown } from "~/components/checkout/breakdown";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { OFFLINE_METHODS, offlinePaymentSchema } from "~/modules/members/schemas";
import { SalePayments } from "./payments-list";
import type { SaleStage } from "./stage";

/**
 * Step 5: what is due now, and two ways to pay it: a link emailed to the member, who pays online, or
 * a payment the agent collected (cash, bank-in) recorded for staff to confirm.
 */
export function PaymentStep({
  data,
  linkResult,
  offlineResult,
}: {
  data: SaleStage<"payment">;
  linkResult?: SubmissionResult<string[]>;
  offlineResult?: SubmissionResult<string[]>;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const [params] = useSearchParams();
  const [linkForm] = useForm({ id: "sale-link", lastResult: linkResult });
  const [offlineForm] = useForm({
    id: "sale-offline",
    lastResult: offlineResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offlinePaymentSchema }),
  });
  const sent = (offlineResult?.initialValue ?? {}) as Record<string, unknown>;
  const busy = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <>
      {params.get("sent") ? (
        <Alert tone="success" title={t("sell.payment.sentTitle")}>
          {t("sell.payment.sent", { email: data.email })}
        </Alert>
      ) : null}
      {params.get("recorded") ? (
        <Alert tone="success" title={t("sell.payment.recordedTitle")}>
          {t("sell.payment.recorded")}
        </Alert>
      ) : null}
      <section className="card" aria-labelledby="sale-due">
        <h2 id="sale-due">{t("sell.payment.dueNow")}</h2>
        <p className="pay-total">{data.dueNow}</p>
        <p className="muted small">{data.products}</p>
      </section>
      {data.pendingOffline ? (
        <>
          <FormErrors errors={offlineForm.errors ?? linkForm.errors} />
          <Alert tone="info" title={t("sell.payment.waitingTitle")}>
            {t("sell.payment.waiting", {
              amount: data.pendingOffline.amount,
              method: data.pendingOffline.method.toLowerCase(),
              reference: data.pendingOffline.reference,
              at: data.pendingOffline.at,
            })}
          </Alert>
        </>
      ) : (
        <div className="checkout-summary-grid">
          <section className="card" aria-labelledby="sale-link-title">
            <h2 id="sale-link-title">{t("sell.payment.onlineTitle")}</h2>
            {data.canSendLink ? (
              <Form method="post" className="stack" {...getFormProps(linkForm)}>
                <input type="hidden" name="intent" value="link" />
                <FormErrors errors={linkForm.errors} />
                <p>{t("sell.payment.online", { email: data.email })}</p>
                <div className="actions">
                  <Button type="submit" variant="secondary" busy={busy("link")}>
                    {t("sell.payment.sendLink")}
                  </Button>
                </div>
              </Form>
            ) : (
              <p className="muted">{t("sell.payment.noOnline")}</p>
            )}
          </section>
          <section className="card" aria-labelledby="sale-offline-title">
            <h2 id="sale-offline-title">{t("sell.payment.offlineTitle")}</h2>
            <Form method="post" className="stack" {...getFormProps(offlineForm)}>
              <input type="hidden" name="intent" value="offline" />
              <FormErrors errors={offlineForm.errors} />
              <p>
                <Trans t={t} i18nKey="sell.payment.offline" values={{ amount: data.dueNow }} components={{ strong: <strong /> }} />
              </p>
              <SelectField
                id="offline-method"
                name="method"
                label={t("sell.payment.method")}
                placeholder={t("choose")}
                choices={OFFLINE_METHODS.map((m) => ({ value: m.value, label: t(`offlineMethod.${m.value}`) }))}
                defaultValue={typeof sent.method === "string" ? sent.method : ""}
                errors={offlineForm.allErrors.method}
              />
              <Field
                id="offline-reference"
                name="reference"
                label={t("sell.payment.reference")}
                autoComplete="off"
                maxLength={60}
                defaultValue={typeof sent.reference === "string" ? sent.reference : ""}
                errors={offlineForm.allErrors.reference}
              />
              <div className="actions">
                <Button type="submit" busy={busy("offline")}>
                  {t("sell.payment.record")}
                </Button>
              </div>
            </Form>
          </section>
        </div>
      )}
      <SalePayments payments={data.payments} />
      <OrderBreakdown items={data.breakdown.items} totals={data.breakdown.totals} currency={data.currency} locale={data.locale} />
    </>
  );
}

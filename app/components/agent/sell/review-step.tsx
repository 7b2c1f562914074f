import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OrderBreakdown } from "~/components/checkout/breakdown";
import { PolicyholderSummary } from "~/components/checkout/policy-details";
import { FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConsentField } from "~/components/ui/field";
import { termsSchema } from "~/modules/checkout/schemas";
import { saleUrl } from "~/modules/members/sale-url";
import type { SaleStage } from "./stage";

/** Step 4: the amounts and details read with the member, who agrees to the terms (the agent confirms it). */
export function ReviewStep({ data, lastResult }: { data: SaleStage<"review">; lastResult?: SubmissionResult<string[]> }) {
  const navigation = useNavigation();
  const { t } = useTranslation("agent");
  const [form, fields] = useForm({
    id: "sale-review",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: termsSchema }),
  });
  return (
    <>
      <OrderBreakdown items={data.breakdown.items} totals={data.breakdown.totals} currency={data.currency} locale={data.locale} />
      <PolicyholderSummary
        holder={data.holder}
        identifiers={data.holder.identifiers}
        beneficiaries={data.holder.beneficiaries}
        change={{ to: saleUrl(data.memberId, data.orderId, "&step=details"), label: t("sell.review.change") }}
      />
      <Form method="post" className="card checkout-form" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="terms" />
        <input type="hidden" name="version" value={data.version} />
        <FormErrors errors={form.errors} />
        <ConsentField
          id={fields.acceptTerms.id}
          name="acceptTerms"
          errors={fields.acceptTerms.errors}
          label={t("sell.review.consent", { name: data.memberName, agency: data.agency })}
        />
        <div className="actions">
          <Button type="submit" busy={navigation.state === "submitting"}>
            {t("sell.review.confirm")}
          </Button>
        </div>
      </Form>
    </>
  );
}

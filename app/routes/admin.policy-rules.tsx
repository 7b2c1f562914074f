import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { policyRules, savePolicyRules } from "~/modules/policies/premiums.server";
import { DEFAULT_POLICY_RULES, offerDaysText, policyRulesSchema } from "~/modules/policies/rules";
import { readForm } from "~/lib/forms";

/** /admin/policy-rules — how long an unpaid instalment keeps cover, when reminders and renewal offers go out, the free-look period. */
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Policy rules");

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:policy-rules:any");
  const t = await serverT(tenant.language, "admin");
  return json({
    title: t("policyRules.title"),
    rules: await withTenant(tenant.id, (db) => policyRules(db, tenant.id)),
    defaults: DEFAULT_POLICY_RULES,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:policy-rules:any");
  const submission = parseWithZod(await readForm(request), { schema: policyRulesSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await withTenant(tenant.id, async (db) => {
    await savePolicyRules(db, submission.value);
    await recordAudit(db, { userId: user.id, ip: clientInfo(request).ip }, { action: "policy.rules_updated", details: submission.value });
  });
  return redirect("/admin/policy-rules?saved=1");
}

export default function PolicyRulesPage() {
  const { rules, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin");
  const [form, fields] = useForm({
    lastResult,
    defaultValue: {
      graceDays: String(rules.graceDays),
      reinstatementDays: String(rules.reinstatementDays),
      reminderDays: String(rules.reminderDays),
      renewalOfferDays: offerDaysText(rules.renewalOfferDays),
      freeLookDays: String(rules.freeLookDays),
    },
    constraint: getZodConstraint(policyRulesSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: policyRulesSchema }),
  });
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("policyRules.title")}</h1>
          <p className="muted">{t("policyRules.intro")}</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title={t("policyRules.saved")} /> : null}
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label={t("policyRules.reminder")}
          hint={t("policyRules.reminderHint", { days: defaults.reminderDays })}
          errors={fields.reminderDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.reminderDays, { type: "number" })}
        />
        <Field
          label={t("policyRules.grace")}
          hint={t("policyRules.graceHint", { days: defaults.graceDays })}
          errors={fields.graceDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.graceDays, { type: "number" })}
        />
        <Field
          label={t("policyRules.reinstatement")}
          hint={t("policyRules.reinstatementHint", { days: defaults.reinstatementDays })}
          errors={fields.reinstatementDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.reinstatementDays, { type: "number" })}
        />
        <Field
          label={t("policyRules.renewal")}
          hint={t("policyRules.renewalHint", { days: defaults.renewalOfferDays })}
          errors={fields.renewalOfferDays.errors}
          {...getInputProps(fields.renewalOfferDays, { type: "text" })}
        />
        <Field
          label={t("policyRules.freeLook")}
          hint={t("policyRules.freeLookHint", { days: defaults.freeLookDays })}
          errors={fields.freeLookDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.freeLookDays, { type: "number" })}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t("policyRules.save")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

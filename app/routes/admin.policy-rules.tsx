// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { recordAudit } from "~/modules/audit/audit.server";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { policyRules, savePolicyRules } from "~/modules/policies/premiums.server";
import { DEFAULT_POLICY_RULES, offerDaysText, policyRulesSchema } from "~/modules/policies/rules";
import { readForm } from "~/lib/forms";

/** /admin/policy-rules — how long an unpaid instalment keeps cover, when reminders and renewal offers go out, the free-look period. */
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Policy rules");

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:policy-rules:any");
  return json({ rules: await withTenant(tenant.id, (db) => policyRules(db, tenant.id)), defaults: DEFAULT_POLICY_RULES });
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
          <h1>Policy rules</h1>
          <p className="muted">What happens when a policy paid by instalments is not paid on time. The schedule runs every hour.</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title="Policy rules saved" /> : null}
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label="Reminder before the due date (days)"
          hint={`An email with a link to pay goes out this many days before each instalment is due. Default ${defaults.reminderDays}.`}
          errors={fields.reminderDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.reminderDays, { type: "number" })}
        />
        <Field
          label="Grace period (days)"
          hint={`An instalment unpaid after its due date puts the policy in grace; still unpaid after this many days, the policy lapses. Default ${defaults.graceDays}.`}
          errors={fields.graceDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.graceDays, { type: "number" })}
        />
        <Field
          label="Reinstatement window (days)"
          hint={`How long after a lapse the policy may still be reinstated. Default ${defaults.reinstatementDays}.`}
          errors={fields.reinstatementDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.reinstatementDays, { type: "number" })}
        />
        <Field
          label="Renewal offers (days before the end date)"
          hint={`Each policy's renewal offer, with its new price, goes out this many days before its cover ends; a second number sends a reminder. Default ${defaults.renewalOfferDays}.`}
          errors={fields.renewalOfferDays.errors}
          {...getInputProps(fields.renewalOfferDays, { type: "text" })}
        />
        <Field
          label="Free-look period (days)"
          hint={`A policy cancelled within this many days of issue is refunded in full. Default ${defaults.freeLookDays}.`}
          errors={fields.freeLookDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.freeLookDays, { type: "number" })}
        />
        <div>
          <Button type="submit" busy={busy}>
            Save policy rules
          </Button>
        </div>
      </Form>
    </div>
  );
}

import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CheckboxField } from "~/components/console/fields";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { formatMoney } from "~/lib/money";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { claimSettingsSchema } from "~/modules/claims/office-forms";
import { claimSettings, DEFAULT_CLAIM_SETTINGS, saveClaimSettings } from "~/modules/claims/settings.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { toMajorInput } from "~/modules/rating";

/** /admin/claims/settings — the agency's claim rules: four-eyes amount, appeal window, grace cover, auto-assignment. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:claim-settings:any");
  const settings = await withTenant(tenant.id, (db) => claimSettings(db));
  const t = await serverT(tenant.language, "admin-catalogue");
  return json({
    title: t("claimSettings.title"),
    currency: tenant.currency,
    values: {
      fourEyes: toMajorInput(settings.fourEyesMinor, tenant.currency),
      appealDays: String(settings.appealDays),
      graceCoverDays: String(settings.graceCoverDays),
      autoAssign: settings.autoAssign,
    },
    defaults: { ...DEFAULT_CLAIM_SETTINGS, fourEyes: formatMoney(DEFAULT_CLAIM_SETTINGS.fourEyesMinor, tenant.currency, tenant.locale) },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:claim-settings:any");
  const submission = parseWithZod(await readForm(request), { schema: claimSettingsSchema(tenant.currency) });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await withTenant(tenant.id, (db) => saveClaimSettings(db, submission.value, { userId: user.id, ip: clientInfo(request).ip }));
  return redirect("/admin/claims/settings?saved=1");
}

export default function ClaimSettingsPage() {
  const { currency, values, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-catalogue");
  const schema = claimSettingsSchema(currency);
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...values, autoAssign: values.autoAssign ? "on" : undefined },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/claims">{t("figures.claims")}</Link> / {t("claimSettings.crumb")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("claimSettings.title")}</h1>
          <p className="muted">{t("claimSettings.intro")}</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title={t("claimSettings.saved")} /> : null}
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label={t("claimSettings.fourEyes", { currency })}
          hint={t("claimSettings.fourEyesHint", { amount: defaults.fourEyes })}
          errors={fields.fourEyes.errors}
          inputMode="decimal"
          {...getInputProps(fields.fourEyes, { type: "text" })}
        />
        <Field
          label={t("claimSettings.appealDays")}
          hint={t("claimSettings.appealDaysHint", { days: defaults.appealDays })}
          errors={fields.appealDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.appealDays, { type: "number" })}
        />
        <Field
          label={t("claimSettings.graceDays")}
          hint={t("claimSettings.graceDaysHint", { days: defaults.graceCoverDays })}
          errors={fields.graceCoverDays.errors}
          inputMode="numeric"
          {...getInputProps(fields.graceCoverDays, { type: "number" })}
        />
        <CheckboxField
          id={fields.autoAssign.id}
          name={fields.autoAssign.name}
          label={t("claimSettings.autoAssign")}
          hint={t("claimSettings.autoAssignHint")}
          defaultChecked={fields.autoAssign.initialValue === "on"}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t("claimSettings.save")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Claim settings");

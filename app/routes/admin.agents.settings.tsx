import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field, useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { networkSettingsSchema } from "~/modules/network/agent-schemas";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { DEFAULT_NETWORK_SETTINGS, networkSettings, updateNetworkSettings } from "~/modules/network/settings.server";
import { readForm } from "~/lib/forms";
import { serverT } from "~/modules/i18n/i18n.server";

/** /admin/agents/settings — how deep a sale pays, what happens to an unqualified upline's share, when months close. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "manage:agent:any");
  return json({
    title: (await serverT(tenant.language, "admin-network"))("settings.title"),
    settings: await withTenant(tenant.id, (db) => networkSettings(db)),
    defaults: DEFAULT_NETWORK_SETTINGS,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requireNetworkPermission(request, "manage:agent:any");
  const submission = parseWithZod(await readForm(request), { schema: networkSettingsSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const values = { ...submission.value, autoClose: submission.value.autoClose ?? false };
  await withTenant(tenant.id, (db) => updateNetworkSettings(db, values, { userId: user.id, ip: clientInfo(request).ip }));
  return redirect("/admin/agents/settings?saved=1");
}

export default function NetworkSettingsPage() {
  const { settings, defaults } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("admin-network");
  const errorText = useErrorText();
  const [form, fields] = useForm({
    lastResult,
    defaultValue: {
      tiers: String(settings.tiers),
      unqualifiedShare: settings.unqualifiedShare,
      closeDay: String(settings.closeDay),
      autoClose: settings.autoClose ? "on" : undefined,
    },
    constraint: getZodConstraint(networkSettingsSchema),
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: networkSettingsSchema }),
  });
  const shareErrors = fields.unqualifiedShare.errors;
  return (
    <div className="stack">
      <p className="breadcrumbs">
        <Link to="/admin/agents">{t("agents.title")}</Link> / {t("settings.title")}
      </p>
      <div className="page-head">
        <div>
          <h1>{t("settings.title")}</h1>
          <p className="muted">{t("settings.intro")}</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title={t("settings.saved")} /> : null}
      <Form method="post" className="card stack form-narrow" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label={t("settings.tiers")}
          hint={t("settings.tiersHint", { default: defaults.tiers })}
          errors={fields.tiers.errors}
          inputMode="numeric"
          {...getInputProps(fields.tiers, { type: "number" })}
        />
        <fieldset className={`field${shareErrors?.length ? " field-invalid" : ""}`} aria-describedby="share-hint">
          <legend>{t("settings.unqualified")}</legend>
          <p className="field-hint" id="share-hint">
            {t("settings.unqualifiedHint")}
          </p>
          {(["skip", "pass_up"] as const).map((value) => (
            <div className="checkbox" key={value}>
              <input
                type="radio"
                id={`share-${value}`}
                name={fields.unqualifiedShare.name}
                value={value}
                defaultChecked={fields.unqualifiedShare.initialValue === value}
              />
              <label htmlFor={`share-${value}`}>{t(`settings.share.${value}`)}</label>
            </div>
          ))}
          {shareErrors?.length ? (
            <p className="field-error" role="alert">
              {errorText(shareErrors)}
            </p>
          ) : null}
        </fieldset>
        <Field
          label={t("settings.closeDay")}
          hint={t("settings.closeDayHint", { default: defaults.closeDay })}
          errors={fields.closeDay.errors}
          inputMode="numeric"
          {...getInputProps(fields.closeDay, { type: "number" })}
        />
        <div className="checkbox-field">
          <div className="checkbox">
            <input {...getInputProps(fields.autoClose, { type: "checkbox" })} aria-describedby="auto-close-hint" />
            <label htmlFor={fields.autoClose.id}>{t("settings.autoClose")}</label>
          </div>
          <p className="field-hint" id="auto-close-hint">
            {t("settings.autoCloseHint")}
          </p>
        </div>
        <div>
          <Button type="submit" busy={busy}>
            {t("settings.save")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Network settings");

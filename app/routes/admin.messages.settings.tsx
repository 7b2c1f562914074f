import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { DEFAULT_BROADCAST_RATE, messagingSettingsSchema } from "~/modules/notifications/settings-form";
import { messagingSettings, saveMessagingSettings } from "~/modules/notifications/settings.server";

/** /admin/messages/settings — quiet hours in the agency's time zone and the broadcast send rate (decision 042). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const settings = await withTenant(tenant.id, (db) => messagingSettings(db));
  const t = await serverT(tenant.language, "admin-messages");
  return json({
    title: t("settings.title"),
    timeZone: tenant.timeZone,
    values: {
      quietStart: settings.quietStart ?? "",
      quietEnd: settings.quietEnd ?? "",
      broadcastRatePerMinute: String(settings.broadcastRatePerMinute),
    },
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:messaging:any");
  const submission = parseWithZod(await readForm(request), { schema: messagingSettingsSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  await withTenant(tenant.id, (db) => saveMessagingSettings(db, submission.value, { userId: user.id, ip: clientInfo(request).ip }));
  return redirect("/admin/messages/settings?saved=1");
}

export default function MessagingSettingsPage() {
  const { timeZone, values } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>() as SubmissionResult<string[]> | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const [form, fields] = useForm({
    lastResult,
    defaultValue: values,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: messagingSettingsSchema }),
  });
  const zone = timeZone.replace(/_/g, " ");
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("settings.title")}</h1>
          <p className="muted">{t("settings.intro")}</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title={t("settings.saved")} /> : null}
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset className="stack">
          <legend>{t("settings.quietHours", { zone })}</legend>
          <p className="muted">{t("settings.quietExplain")}</p>
          <Field
            label={t("settings.start")}
            hint={t("settings.startHint")}
            errors={fields.quietStart.errors}
            {...getInputProps(fields.quietStart, { type: "time" })}
          />
          <Field
            label={t("settings.end")}
            hint={t("settings.endHint")}
            errors={fields.quietEnd.errors}
            {...getInputProps(fields.quietEnd, { type: "time" })}
          />
        </fieldset>
        <Field
          label={t("settings.rate")}
          hint={t("settings.rateHint", { rate: DEFAULT_BROADCAST_RATE })}
          errors={fields.broadcastRatePerMinute.errors}
          inputMode="numeric"
          {...getInputProps(fields.broadcastRatePerMinute, { type: "number" })}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t("settings.save")}
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Messaging settings");

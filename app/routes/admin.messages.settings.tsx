// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { DEFAULT_BROADCAST_RATE, messagingSettingsSchema } from "~/modules/notifications/settings-form";
import { messagingSettings, saveMessagingSettings } from "~/modules/notifications/settings.server";

/** /admin/messages/settings — quiet hours in the agency's time zone and the broadcast send rate (decision 042). */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const settings = await withTenant(tenant.id, (db) => messagingSettings(db));
  return json({
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
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Messaging settings</h1>
          <p className="muted">When messages may go out, and how fast broadcasts are sent.</p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title="Messaging settings saved" /> : null}
      <Form method="post" className="card stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <fieldset className="stack">
          <legend>Quiet hours ({zone})</legend>
          <p className="muted">
            Reminders and other messages that can wait are held until quiet hours end. Codes, receipts and urgent messages still go at once,
            and in-app notifications are never held. Leave both empty for no quiet hours; a window may cross midnight (21:00 to 07:00).
          </p>
          <Field
            label="Quiet hours start"
            hint="HH:MM, e.g. 21:00"
            errors={fields.quietStart.errors}
            {...getInputProps(fields.quietStart, { type: "time" })}
          />
          <Field
            label="Quiet hours end"
            hint="HH:MM, e.g. 07:00"
            errors={fields.quietEnd.errors}
            {...getInputProps(fields.quietEnd, { type: "time" })}
          />
        </fieldset>
        <Field
          label="Broadcast messages per minute"
          hint={`How many messages of a broadcast are handed to the providers each minute. Default ${DEFAULT_BROADCAST_RATE}.`}
          errors={fields.broadcastRatePerMinute.errors}
          inputMode="numeric"
          {...getInputProps(fields.broadcastRatePerMinute, { type: "number" })}
        />
        <div>
          <Button type="submit" busy={busy}>
            Save messaging settings
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Messaging settings");

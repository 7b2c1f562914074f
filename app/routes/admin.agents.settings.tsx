// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo } from "~/modules/auth/guards.server";
import { networkSettingsSchema, UNQUALIFIED_SHARE_LABELS } from "~/modules/network/agent-schemas";
import { requireNetworkPermission } from "~/modules/network/guards.server";
import { DEFAULT_NETWORK_SETTINGS, networkSettings, updateNetworkSettings } from "~/modules/network/settings.server";
import { readForm } from "~/lib/forms";

/** /admin/agents/settings — how deep a sale pays, what happens to an unqualified upline's share, when months close. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requireNetworkPermission(request, "manage:agent:any");
  return json({ settings: await withTenant(tenant.id, (db) => networkSettings(db)), defaults: DEFAULT_NETWORK_SETTINGS });
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
        <Link to="/admin/agents">Agents</Link> / Network settings
      </p>
      <div className="page-head">
        <div>
          <h1>Network settings</h1>
          <p className="muted">
            How commissions travel up the network, and when each month is closed. Changes apply to payments from now on.
          </p>
        </div>
      </div>
      {params.get("saved") && !lastResult ? <Alert tone="success" title="Network settings saved" /> : null}
      <Form method="post" className="card stack form-narrow" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <Field
          label="Tiers paid on a sale"
          hint={`Tier 1 is the selling agent, tier 2 their sponsor, and so on, up to 10. Default ${defaults.tiers}.`}
          errors={fields.tiers.errors}
          inputMode="numeric"
          {...getInputProps(fields.tiers, { type: "number" })}
        />
        <fieldset className={`field${shareErrors?.length ? " field-invalid" : ""}`} aria-describedby="share-hint">
          <legend>When an upline does not qualify</legend>
          <p className="field-hint" id="share-hint">
            An upline who is suspended, or has not made the month&apos;s required personal sales, earns nothing from that sale. Their share
            can be dropped, or handed to the nearest upline above them who does qualify (who then earns at that tier&apos;s rate too).
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
              <label htmlFor={`share-${value}`}>{UNQUALIFIED_SHARE_LABELS[value]}</label>
            </div>
          ))}
          {shareErrors?.length ? (
            <p className="field-error" role="alert">
              {shareErrors.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <Field
          label="Close day"
          hint={`Each month's commissions are closed on this day of the next month (1–28), in the agency's time zone. Default ${defaults.closeDay}.`}
          errors={fields.closeDay.errors}
          inputMode="numeric"
          {...getInputProps(fields.closeDay, { type: "number" })}
        />
        <div className="checkbox-field">
          <div className="checkbox">
            <input {...getInputProps(fields.autoClose, { type: "checkbox" })} aria-describedby="auto-close-hint" />
            <label htmlFor={fields.autoClose.id}>Close months automatically</label>
          </div>
          <p className="field-hint" id="auto-close-hint">
            On the close day, the month closes by itself: statements and the payout file are made. Otherwise an admin closes it.
          </p>
        </div>
        <div>
          <Button type="submit" busy={busy}>
            Save network settings
          </Button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Network settings");

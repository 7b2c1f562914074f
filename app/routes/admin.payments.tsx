import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ProviderSettingField } from "~/components/admin/provider-setting-field";
import { useErrorText } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import {
  providerFormEcho,
  providerFormValues,
  providerSettingsView,
  saveProviderForm,
  translateProviderFields,
} from "~/modules/payments/provider-settings-admin.server";
import { PROVIDER_NAMES } from "~/modules/payments/providers/types";
import { paypalTakes } from "~/modules/payments/providers/paypal.server";
import { readForm } from "~/lib/forms";

const envelopeSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  mode: z.enum(["test", "live"]).optional(),
  enabled: z.literal("on").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:payments:any");
  const providers = await withTenant(tenant.id, (db) => providerSettingsView(db, tenant.id));
  const origin = new URL(request.url).origin;
  const t = await serverT(tenant.language, "admin-payments");
  return json({
    title: t("providers.title"),
    currency: tenant.currency,
    webhooks: {
      paystack: `${origin}/webhooks/paystack`,
      stripe: `${origin}/webhooks/stripe`,
      paypal: `${origin}/webhooks/paypal`,
      curlec: `${origin}/webhooks/curlec`,
    } as Record<string, string>,
    // PayPal takes a fixed list of currencies; checkout does not offer it for any other.
    paypalRefused: paypalTakes(tenant.currency) ? null : t("providers.paypalCurrency", { currency: tenant.currency }),
    providers: providers.map((p) => ({
      ...p,
      label: t(`provider.${p.provider}`),
      fields: translateProviderFields(t, p.provider, p.fields),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:payments:any");
  const formData = await readForm(request);
  const provider = envelopeSchema.shape.provider.safeParse(formData.get("provider"));
  if (!provider.success) throw new Response("Unknown provider", { status: 400 });
  const values = providerFormValues(provider.data, formData);
  const echo = providerFormEcho(provider.data, values);
  const t = await serverT(tenant.language, "admin-payments");
  // A mode or "enabled" the form never offers is refused, not read as test or off.
  const envelope = envelopeSchema.safeParse({
    provider: provider.data,
    mode: formData.get("mode") ?? undefined,
    enabled: formData.get("enabled") ?? undefined,
  });
  if (!envelope.success) {
    const bad = new Set(envelope.error.issues.map((i) => String(i.path[0])));
    const errors: Record<string, string[]> = {};
    if (bad.has("mode")) errors.mode = [t("providers.modeInvalid")];
    if (bad.has("enabled")) errors.enabled = [t("providers.enabledInvalid")];
    return json({ provider: provider.data, errors, values: echo, enabled: false, mode: "test" as const }, { status: 400 });
  }
  const { mode = "test" } = envelope.data;
  const clear = formData.getAll("clear").filter((v): v is string => typeof v === "string");
  const enabled = envelope.data.enabled === "on";
  if (provider.data === "paypal" && enabled && !paypalTakes(tenant.currency)) {
    return json(
      {
        provider: provider.data,
        errors: { form: [t("providers.paypalCurrency", { currency: tenant.currency })] },
        values: echo,
        enabled,
        mode,
      },
      { status: 400 },
    );
  }
  const result = await withTenant(tenant.id, (db) =>
    saveProviderForm(db, tenant.id, provider.data, { enabled, mode, values, clear }, { userId: user.id, ip: clientInfo(request).ip }),
  );
  if (!result.ok) return json({ provider: provider.data, errors: result.errors, values: echo, enabled, mode }, { status: 400 });
  return redirect(`/admin/payments?saved=${provider.data}#${provider.data}`);
}

export default function AdminPayments() {
  const { providers, webhooks, currency, paypalRefused } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const { t } = useTranslation("admin-payments");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("providers.title")}</h1>
          <p className="muted">{currency === "KES" ? t("providers.intro") : t("providers.introNotKes")}</p>
        </div>
      </div>
      {saved && (PROVIDER_NAMES as readonly string[]).includes(saved) ? (
        <Alert tone="success">{t("providers.saved", { provider: t(`provider.${saved}`) })}</Alert>
      ) : null}
      {providers.map((p) => (
        <ProviderCard
          key={p.provider}
          provider={p}
          webhookUrl={webhooks[p.provider] ?? null}
          note={t(`providers.note.${p.provider}`)}
          refused={p.provider === "paypal" ? paypalRefused : null}
        />
      ))}
    </div>
  );
}

type ProviderView = ReturnType<typeof useLoaderData<typeof loader>>["providers"][number];

function ProviderCard({
  provider: p,
  webhookUrl,
  note,
  refused,
}: {
  provider: ProviderView;
  webhookUrl: string | null;
  note: string;
  /** Why checkout cannot offer this provider for the agency (PayPal and the agency's currency). */
  refused: string | null;
}) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // A new page (after a save) starts the form afresh; a refused save keeps what was typed.
  const location = useLocation();
  const mine = actionData && actionData.provider === p.provider ? actionData : null;
  const errors: Record<string, string[]> = mine?.errors ?? {};
  const busy = navigation.state === "submitting" && navigation.formData?.get("provider") === p.provider;
  const id = (name: string) => `${p.provider}-${name}`;
  const enabled = mine ? mine.enabled : p.enabled;
  const mode = mine ? mine.mode : p.mode;
  const { t } = useTranslation("admin-payments");
  const errorText = useErrorText();
  return (
    <section className="card" id={p.provider} aria-labelledby={id("title")}>
      <div className="page-head">
        <div>
          <h2 id={id("title")}>{p.label}</h2>
          <p className="muted">{note}</p>
        </div>
        <span className="badges">
          {p.configured ? (
            <>
              {p.enabled ? (
                <span className="badge badge-active">{t("providers.enabled")}</span>
              ) : (
                <span className="badge">{t("providers.disabled")}</span>
              )}
              {p.mode === "live" ? (
                <span className="badge badge-queued">{t("providers.live")}</span>
              ) : (
                <span className="badge badge-pending">{t("providers.test")}</span>
              )}
            </>
          ) : (
            <span className="badge">{t("providers.notSetUp")}</span>
          )}
        </span>
      </div>
      {refused ? <Alert tone="warning">{refused}</Alert> : null}
      {webhookUrl ? (
        <div className="field">
          <label htmlFor={id("webhook")}>{t("providers.webhookUrl")}</label>
          <input id={id("webhook")} type="text" readOnly value={webhookUrl} className="copy-field" aria-describedby={id("webhook-hint")} />
          <p className="field-hint" id={id("webhook-hint")}>
            {p.provider === "stripe"
              ? t("providers.webhookStripe")
              : p.provider === "paypal"
                ? t("providers.webhookPaypal")
                : t("providers.webhookPaystack")}
          </p>
        </div>
      ) : null}
      <Form method="post" className="stack" key={location.key} aria-label={t("providers.settingsOf", { provider: p.label })}>
        <input type="hidden" name="provider" value={p.provider} />
        <FormErrors errors={errors.form} />
        <div className="checkbox">
          <input type="checkbox" id={id("enabled")} name="enabled" defaultChecked={enabled} />
          <label htmlFor={id("enabled")}>{t("providers.enabledLabel")}</label>
          {errors.enabled ? (
            <p className="field-error" id={id("enabled-error")} role="alert">
              {errorText(errors.enabled)}
            </p>
          ) : null}
        </div>
        <div className={`field${errors.mode ? " field-invalid" : ""}`}>
          <label htmlFor={id("mode")}>{t("providers.mode")}</label>
          <select
            id={id("mode")}
            name="mode"
            defaultValue={mode}
            aria-invalid={errors.mode ? true : undefined}
            aria-describedby={errors.mode ? id("mode-error") : undefined}
          >
            <option value="test">{t("providers.modeTest")}</option>
            {p.provider === "sandbox" ? null : <option value="live">{t("providers.live")}</option>}
          </select>
          {errors.mode ? (
            <p className="field-error" id={id("mode-error")} role="alert">
              {errorText(errors.mode)}
            </p>
          ) : null}
        </div>
        {p.fields.map((f) => (
          <ProviderSettingField
            key={f.name}
            field={f}
            value={mine?.values[f.name] ?? f.value}
            hint={f.hint}
            errors={errors[f.name]}
            id={id}
          />
        ))}
        <div className="actions">
          <Button type="submit" busy={busy}>
            {t("providers.save", { provider: p.label })}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Payment providers");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ProviderSettingField } from "~/components/admin/provider-setting-field";
import { withTenant } from "~/lib/db.server";
import { pageTitle } from "~/lib/meta";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import { PROVIDER_FIELDS, providerSettingsView, saveProviderForm } from "~/modules/payments/provider-settings-admin.server";
import { PROVIDER_NAMES } from "~/modules/payments/providers/types";
import { readForm } from "~/lib/forms";

const envelopeSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  mode: z.enum(["test", "live"]).catch("test"),
  enabled: z.literal("on").optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:payments:any");
  const providers = await withTenant(tenant.id, (db) => providerSettingsView(db, tenant.id));
  const origin = new URL(request.url).origin;
  return json({
    currency: tenant.currency,
    webhooks: { paystack: `${origin}/webhooks/paystack`, stripe: `${origin}/webhooks/stripe` } as Record<string, string>,
    providers,
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:payments:any");
  const formData = await readForm(request);
  const envelope = envelopeSchema.safeParse({
    provider: formData.get("provider"),
    mode: formData.get("mode"),
    enabled: formData.get("enabled") ?? undefined,
  });
  if (!envelope.success) throw new Response("Unknown provider", { status: 400 });
  const { provider, mode } = envelope.data;
  const values: Record<string, string | undefined> = {};
  for (const field of PROVIDER_FIELDS[provider]) {
    const value = formData.get(field.name);
    values[field.name] = typeof value === "string" ? value.slice(0, 4000) : undefined;
  }
  const clear = formData.getAll("clear").filter((v): v is string => typeof v === "string");
  const enabled = envelope.data.enabled === "on";
  const result = await withTenant(tenant.id, (db) =>
    saveProviderForm(db, tenant.id, provider, { enabled, mode, values, clear }, { userId: user.id, ip: clientInfo(request).ip }),
  );
  if (!result.ok) {
    // Typed values come back to their fields, except secrets: those are never sent to the browser.
    const echo: Record<string, string> = {};
    for (const field of PROVIDER_FIELDS[provider]) if (!field.secret && values[field.name]) echo[field.name] = values[field.name]!;
    return json({ provider, errors: result.errors, values: echo, enabled, mode }, { status: 400 });
  }
  return redirect(`/admin/payments?saved=${provider}#${provider}`);
}

const NOTES: Record<string, string> = {
  mpesa:
    "STK push (Lipa na M-Pesa Online). Each payment carries its own secret callback address, so there is nothing to paste into the Daraja portal. Shillings only.",
  paystack: "Card payments through Paystack's checkout page.",
  stripe: "Card payments with Stripe's Payment Element.",
  sandbox:
    "Takes no real money: a page plays the customer's phone or card (approve, decline, cancel, time out). Checkout uses it for a method no real provider serves.",
};

export default function AdminPayments() {
  const { providers, webhooks, currency } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Payment providers</h1>
          <p className="muted">
            Checkout offers M-Pesa{currency === "KES" ? "" : " (Kenyan shillings only)"} through M-Pesa Daraja, or the sandbox; and card
            through Stripe, then Paystack, then the sandbox — the first one enabled. Keys and secrets are stored encrypted and never shown
            again.
          </p>
        </div>
      </div>
      {saved && saved in PROVIDER_LABELS_VIEW ? (
        <Alert tone="success">{PROVIDER_LABELS_VIEW[saved as keyof typeof PROVIDER_LABELS_VIEW]} settings saved.</Alert>
      ) : null}
      {providers.map((p) => (
        <ProviderCard key={p.provider} provider={p} webhookUrl={webhooks[p.provider] ?? null} note={NOTES[p.provider] ?? ""} />
      ))}
    </div>
  );
}

// The labels again for the browser (settings.server's copy is server-only).
const PROVIDER_LABELS_VIEW = { mpesa: "M-Pesa (Daraja)", paystack: "Paystack", stripe: "Stripe", sandbox: "Sandbox" } as const;

type ProviderView = ReturnType<typeof useLoaderData<typeof loader>>["providers"][number];

function ProviderCard({ provider: p, webhookUrl, note }: { provider: ProviderView; webhookUrl: string | null; note: string }) {
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
              {p.enabled ? <span className="badge badge-active">Enabled</span> : <span className="badge">Disabled</span>}
              {p.mode === "live" ? <span className="badge badge-queued">Live</span> : <span className="badge badge-pending">Test</span>}
            </>
          ) : (
            <span className="badge">Not set up</span>
          )}
        </span>
      </div>
      {webhookUrl ? (
        <div className="field">
          <label htmlFor={id("webhook")}>Webhook URL</label>
          <input id={id("webhook")} type="text" readOnly value={webhookUrl} className="copy-field" aria-describedby={id("webhook-hint")} />
          <p className="field-hint" id={id("webhook-hint")}>
            {p.provider === "stripe"
              ? "Stripe dashboard → Developers → Webhooks → Add endpoint: paste this address, choose the payment_intent.succeeded, payment_intent.payment_failed, payment_intent.canceled, payment_intent.processing, charge.refunded and refund.* events, then copy the endpoint's signing secret (whsec_…) below."
              : "Paystack dashboard → Settings → API Keys & Webhooks: paste this address as the Webhook URL (for the same mode, test or live, as below)."}
          </p>
        </div>
      ) : null}
      <Form method="post" className="stack" key={location.key} aria-label={`${p.label} settings`}>
        <input type="hidden" name="provider" value={p.provider} />
        <FormErrors errors={errors.form} />
        <div className="checkbox">
          <input type="checkbox" id={id("enabled")} name="enabled" defaultChecked={enabled} />
          <label htmlFor={id("enabled")}>Enabled: offer it at checkout</label>
        </div>
        <div className={`field${errors.mode ? " field-invalid" : ""}`}>
          <label htmlFor={id("mode")}>Mode</label>
          <select
            id={id("mode")}
            name="mode"
            defaultValue={mode}
            aria-invalid={errors.mode ? true : undefined}
            aria-describedby={errors.mode ? id("mode-error") : undefined}
          >
            <option value="test">Test (no real money)</option>
            {p.provider === "sandbox" ? null : <option value="live">Live</option>}
          </select>
          {errors.mode ? (
            <p className="field-error" id={id("mode-error")} role="alert">
              {errors.mode.join(" ")}
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
            Save {p.label}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Payment providers");

// i18n-pending: text on this page is still English; translate it and remove this line (app/locales/hard-coded-text.test.ts)
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import type { MessagingProviderName } from "~db/schema";
import { Alert, FormErrors } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ProviderSettingField } from "~/components/admin/provider-setting-field";
import { Field } from "~/components/ui/field";
import { withTenant } from "~/lib/db.server";
import { readForm } from "~/lib/forms";
import { pageTitle } from "~/lib/meta";
import { lineText } from "~/lib/text";
import { clientInfo, requirePermission } from "~/modules/auth/guards.server";
import {
  messagingProvidersView,
  queueTestMessage,
  saveChannelForm,
  type ChannelSettingsView,
} from "~/modules/notifications/provider-settings-admin.server";
import { CHANNEL_PROVIDERS, PROVIDER_FIELDS } from "~/modules/notifications/providers/index.server";

const PROVIDERS = [
  "outbox",
  "resend",
  "smtp",
  "africastalking",
  "twilio",
  "meta_whatsapp",
] as const satisfies readonly MessagingProviderName[];

const envelopeSchema = z.object({
  intent: z.enum(["save", "test"]),
  channel: z.enum(["email", "sms", "whatsapp"]),
  provider: z.enum(PROVIDERS).optional(),
  mode: z.enum(["test", "live"]).catch("test"),
  enabled: z.literal("on").optional().catch(undefined),
});

const testSchema = z.object({ to: lineText("Type where to send the test.").min(1, "Type where to send the test.") });

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const origin = new URL(request.url).origin;
  const channels = await withTenant(tenant.id, (db) => messagingProvidersView(db, tenant.id, origin));
  return json({ channels });
}

export async function action({ request }: ActionFunctionArgs) {
  const { tenant, user } = await requirePermission(request, "manage:messaging:any");
  const formData = await readForm(request);
  const envelope = envelopeSchema.safeParse({
    intent: formData.get("intent"),
    channel: formData.get("channel"),
    provider: formData.get("provider") ?? undefined,
    mode: formData.get("mode"),
    enabled: formData.get("enabled") ?? undefined,
  });
  if (!envelope.success) throw new Response("Unknown channel or provider", { status: 400 });
  const { intent, channel, provider, mode } = envelope.data;
  const actor = { userId: user.id, ip: clientInfo(request).ip };

  if (intent === "test") {
    const parsed = testSchema.safeParse({ to: formData.get("to") ?? "" });
    const to = typeof formData.get("to") === "string" ? String(formData.get("to")).slice(0, 200) : "";
    if (!parsed.success)
      return json(
        { intent, channel, errors: parsed.error.flatten().fieldErrors as Record<string, string[]>, values: { to } },
        { status: 400 },
      );
    const result = await withTenant(tenant.id, (db) =>
      queueTestMessage(db, tenant.id, { channel, to: parsed.data.to, tenantName: tenant.name, locale: tenant.locale }, actor),
    );
    if (!result.ok) return json({ intent, channel, errors: result.errors, values: { to } }, { status: 400 });
    return redirect(`/admin/messages/providers?tested=${channel}&message=${result.messageId}#${channel}`);
  }

  if (!provider || !CHANNEL_PROVIDERS[channel].includes(provider)) throw new Response("Unknown provider", { status: 400 });
  const values: Record<string, string | undefined> = {};
  for (const field of PROVIDER_FIELDS[provider]) {
    const value = formData.get(field.name);
    values[field.name] = typeof value === "string" ? value.slice(0, 20_000) : undefined;
  }
  const clear = formData.getAll("clear").filter((v): v is string => typeof v === "string");
  const enabled = envelope.data.enabled === "on";
  const result = await withTenant(tenant.id, (db) =>
    saveChannelForm(db, tenant.id, channel, { provider, enabled, mode, values, clear }, actor),
  );
  if (!result.ok) {
    // Typed values come back to their fields, except secrets: those are never sent to the browser.
    const echo: Record<string, string> = {};
    for (const field of PROVIDER_FIELDS[provider]) if (!field.secret && values[field.name]) echo[field.name] = values[field.name]!;
    return json({ intent, channel, provider, errors: result.errors, values: echo, enabled, mode }, { status: 400 });
  }
  return redirect(`/admin/messages/providers?saved=${channel}#${channel}`);
}

const NOTES: Partial<Record<MessagingProviderName, string>> = {
  outbox: "Messages are kept in the message log and never delivered: right for trying things out.",
  resend: "Your own Resend account, sending from your own domain. Without a key of your own, the platform's account sends.",
  smtp: "Your own mail server (Microsoft 365, Google Workspace, your host's relay).",
  meta_whatsapp:
    "Meta's WhatsApp Business Cloud API. Each message is an approved template: create covera_<event> templates (one translation per language) in WhatsApp Manager.",
  africastalking: "Bulk SMS in Kenya and across East Africa.",
  twilio: "SMS in Malaysia and elsewhere.",
};

export default function MessagingProviders() {
  const { channels } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const tested = params.get("tested");
  const testedId = params.get("message");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Messaging providers</h1>
          <p className="muted">
            Who delivers your agency&apos;s email, SMS and WhatsApp messages. Keys and passwords are stored encrypted and never shown again.
          </p>
        </div>
      </div>
      {saved && channels.some((c) => c.channel === saved) ? <Alert tone="success">{labelOf(channels, saved)} settings saved.</Alert> : null}
      {tested && testedId && /^[0-9a-f-]{36}$/.test(testedId) ? (
        <Alert tone="success">
          Test {labelOf(channels, tested)} message queued. <Link to={`/admin/outbox/${testedId}`}>Follow it in the message log</Link>.
        </Alert>
      ) : null}
      {channels.map((c) => (
        <ChannelCard key={c.channel} channel={c} />
      ))}
    </div>
  );
}

const labelOf = (channels: { channel: string; label: string }[], channel: string) =>
  channels.find((c) => c.channel === channel)?.label ?? channel;

type ChannelView = ChannelSettingsView;

function ChannelCard({ channel: c }: { channel: ChannelView }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const location = useLocation();
  const [params] = useSearchParams();
  const mine = actionData && actionData.channel === c.channel ? actionData : null;
  const saveErrors: Record<string, string[]> = mine && mine.intent === "save" ? mine.errors : {};
  const testErrors: Record<string, string[]> = mine && mine.intent === "test" ? mine.errors : {};
  // Which provider's form: a refused save's, the one picked with the links, else the saved one.
  const picked = params.get(c.channel);
  const shown =
    (mine && "provider" in mine ? mine.provider : undefined) ?? c.providers.find((p) => p.provider === picked)?.provider ?? c.provider;
  const p = c.providers.find((x) => x.provider === shown) ?? c.providers[0]!;
  const echo: Record<string, string> = mine?.values ?? {};
  const enabled = mine && "enabled" in mine ? mine.enabled : c.enabled;
  const mode = mine && "mode" in mine ? mine.mode : c.mode;
  const id = (name: string) => `${c.channel}-${name}`;
  const busy = (intent: string) =>
    navigation.state === "submitting" && navigation.formData?.get("channel") === c.channel && navigation.formData?.get("intent") === intent;
  return (
    <section className="card stack" id={c.channel} aria-labelledby={id("title")}>
      <div className="page-head">
        <div>
          <h2 id={id("title")}>{c.label}</h2>
          <p className="muted">
            Now: {c.providers.find((x) => x.provider === c.provider)?.label}
            {c.configured && c.provider !== "outbox" ? (c.enabled ? "" : " (saved but turned off: the development outbox is used)") : ""}
          </p>
        </div>
        <span className="badges">
          {c.configured && c.enabled ? <span className="badge badge-active">On</span> : <span className="badge">Outbox</span>}
          {c.mode === "live" ? <span className="badge badge-queued">Live</span> : <span className="badge badge-pending">Test</span>}
        </span>
      </div>
      <nav aria-label={`${c.label} provider`} className="chips">
        <ul>
          {c.providers.map((x) => (
            <li key={x.provider}>
              {x.provider === p.provider ? (
                <strong aria-current="true">{x.label}</strong>
              ) : (
                <Link to={`?${c.channel}=${x.provider}#${c.channel}`}>{x.label}</Link>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <p className="muted">{NOTES[p.provider]}</p>
      {p.callbackUrl && c.provider === p.provider ? (
        <div className="field">
          <label htmlFor={id("callback")}>Callback URL</label>
          <input
            id={id("callback")}
            type="text"
            readOnly
            value={p.callbackUrl}
            className="copy-field"
            aria-describedby={id("callback-hint")}
          />
          <p className="field-hint" id={id("callback-hint")}>
            {p.provider === "meta_whatsapp"
              ? "Meta app dashboard → WhatsApp → Configuration → Webhook: paste this address and the verify token below, then subscribe to the messages field."
              : "Paste it as the delivery reports (status callback) URL in the provider's console."}
          </p>
        </div>
      ) : p.provider !== "outbox" && p.provider !== "resend" && p.provider !== "smtp" ? (
        <p className="field-hint">Save once to get the callback URL to paste into the provider&apos;s console.</p>
      ) : null}
      {p.verifyToken && c.provider === p.provider ? (
        <div className="field">
          <label htmlFor={id("verify")}>Verify token</label>
          <input id={id("verify")} type="text" readOnly value={p.verifyToken} className="copy-field" />
        </div>
      ) : null}
      <Form method="post" className="stack" key={`${location.key}-${p.provider}`} aria-label={`${c.label} provider settings`}>
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="channel" value={c.channel} />
        <input type="hidden" name="provider" value={p.provider} />
        <FormErrors errors={saveErrors.form ?? saveErrors.provider} />
        <div className="checkbox">
          <input type="checkbox" id={id("enabled")} name="enabled" defaultChecked={enabled || c.provider !== p.provider} />
          <label htmlFor={id("enabled")}>
            Use {p.label} for {c.label.toLowerCase()}
          </label>
        </div>
        <div className="field">
          <label htmlFor={id("mode")}>Mode</label>
          <select id={id("mode")} name="mode" defaultValue={mode}>
            <option value="test">Test (sandbox account or test numbers)</option>
            <option value="live">Live</option>
          </select>
        </div>
        {p.fields.map((f) => (
          <ProviderSettingField key={f.name} field={f} value={echo[f.name] ?? f.value} hint={f.hint} errors={saveErrors[f.name]} id={id} />
        ))}
        <div className="actions">
          <Button type="submit" busy={busy("save")}>
            Save {c.label.toLowerCase()} settings
          </Button>
        </div>
      </Form>
      <Form method="post" className="stack" key={`${location.key}-test`} aria-label={`Send a test ${c.label} message`}>
        <input type="hidden" name="intent" value="test" />
        <input type="hidden" name="channel" value={c.channel} />
        <Field
          id={id("to")}
          name="to"
          type={c.channel === "email" ? "email" : "tel"}
          autoComplete="off"
          label={c.channel === "email" ? "Send a test to (email address)" : "Send a test to (phone number)"}
          defaultValue={mine?.intent === "test" ? (echo.to ?? "") : ""}
          hint={
            c.channel === "whatsapp"
              ? "Sends Meta's hello_world sample template through the saved provider."
              : "Goes through the saved provider, like any message; follow it in the message log."
          }
          errors={testErrors.to}
        />
        <div className="actions">
          <Button type="submit" variant="secondary" busy={busy("test")}>
            Send a test message
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "Messaging providers");

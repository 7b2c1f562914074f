import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
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
import { serverT } from "~/modules/i18n/i18n.server";
import { translateProviderFields } from "~/modules/payments/provider-settings-admin.server";
import {
  messagingProvidersView,
  queueTestMessage,
  renewCallbackToken,
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
  intent: z.enum(["save", "test", "renew_token"]),
  channel: z.enum(["email", "sms", "whatsapp"]),
  provider: z.enum(PROVIDERS).optional(),
  mode: z.enum(["test", "live"]).catch("test"),
  enabled: z.literal("on").optional().catch(undefined),
});

const testSchema = z.object({ to: lineText("Type where to send the test.").min(1, "Type where to send the test.") });

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant } = await requirePermission(request, "manage:messaging:any");
  const origin = new URL(request.url).origin;
  const view = await withTenant(tenant.id, (db) => messagingProvidersView(db, tenant.id, origin));
  const t = await serverT(tenant.language, "admin-messages");
  // The registries' English is the source; the page shows each label in the reader's language.
  const channels = view.map((c) => ({
    ...c,
    label: t(`channel.${c.channel}`, { defaultValue: c.label }),
    providers: c.providers.map((p) => ({
      ...p,
      label: t(`providers.name.${p.provider}`, { defaultValue: p.label }),
      fields: translateProviderFields(t, p.provider, p.fields),
    })),
  }));
  return json({ title: t("providers.title"), channels });
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

  if (intent === "renew_token") {
    const renewed = await withTenant(tenant.id, (db) => renewCallbackToken(db, channel, actor));
    if (!renewed) throw new Response("Nothing is saved for this channel yet", { status: 404 });
    return redirect(`/admin/messages/providers?renewed=${channel}#${channel}`);
  }

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

export default function MessagingProviders() {
  const { channels } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const renewed = params.get("renewed");
  const tested = params.get("tested");
  const testedId = params.get("message");
  const { t } = useTranslation("admin-messages");
  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>{t("providers.title")}</h1>
          <p className="muted">{t("providers.intro")}</p>
        </div>
      </div>
      {renewed && channels.some((c) => c.channel === renewed) ? (
        <Alert tone="success">{t("providers.renewed", { channel: labelOf(channels, renewed) })}</Alert>
      ) : null}
      {saved && channels.some((c) => c.channel === saved) ? (
        <Alert tone="success">{t("providers.saved", { channel: labelOf(channels, saved) })}</Alert>
      ) : null}
      {tested && testedId && /^[0-9a-f-]{36}$/.test(testedId) ? (
        <Alert tone="success">
          {t("providers.tested", { channel: labelOf(channels, tested) })}{" "}
          <Link to={`/admin/outbox/${testedId}`}>{t("providers.follow")}</Link>.
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
  const { t } = useTranslation("admin-messages");
  return (
    <section className="card stack" id={c.channel} aria-labelledby={id("title")}>
      <div className="page-head">
        <div>
          <h2 id={id("title")}>{c.label}</h2>
          <p className="muted">
            {t("providers.now", { provider: c.providers.find((x) => x.provider === c.provider)?.label })}
            {c.configured && c.provider !== "outbox" ? (c.enabled ? "" : ` ${t("providers.turnedOff")}`) : ""}
          </p>
        </div>
        <span className="badges">
          {c.configured && c.enabled ? (
            <span className="badge badge-active">{t("providers.on")}</span>
          ) : (
            <span className="badge">{t("providers.outboxBadge")}</span>
          )}
          {c.mode === "live" ? (
            <span className="badge badge-queued">{t("providers.live")}</span>
          ) : (
            <span className="badge badge-pending">{t("providers.test")}</span>
          )}
        </span>
      </div>
      <nav aria-label={t("providers.providerOf", { channel: c.label })} className="chips">
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
      <p className="muted">{t(`providers.note.${p.provider}`)}</p>
      {p.callbackUrl && c.provider === p.provider ? (
        <div className="field">
          <label htmlFor={id("callback")}>{t("providers.callbackUrl")}</label>
          <input
            id={id("callback")}
            type="text"
            readOnly
            value={p.callbackUrl}
            className="copy-field"
            aria-describedby={id("callback-hint")}
          />
          <p className="field-hint" id={id("callback-hint")}>
            {p.provider === "meta_whatsapp" ? t("providers.callbackMeta") : t("providers.callbackOther")}
          </p>
          {p.provider === "meta_whatsapp" ? null : (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="renew_token" />
              <input type="hidden" name="channel" value={c.channel} />
              <p className="field-hint">{t("providers.renewHint")}</p>
              <Button type="submit" variant="secondary" busy={busy("renew_token")}>
                {t("providers.renewToken")}
              </Button>
            </Form>
          )}
        </div>
      ) : p.provider !== "outbox" && p.provider !== "resend" && p.provider !== "smtp" ? (
        <p className="field-hint">{t("providers.saveFirst")}</p>
      ) : null}
      {p.verifyToken && c.provider === p.provider ? (
        <div className="field">
          <label htmlFor={id("verify")}>{t("providers.verifyToken")}</label>
          <input id={id("verify")} type="text" readOnly value={p.verifyToken} className="copy-field" />
        </div>
      ) : null}
      <Form
        method="post"
        className="stack"
        key={`${location.key}-${p.provider}`}
        aria-label={t("providers.settingsOf", { channel: c.label })}
      >
        <input type="hidden" name="intent" value="save" />
        <input type="hidden" name="channel" value={c.channel} />
        <input type="hidden" name="provider" value={p.provider} />
        <FormErrors errors={saveErrors.form ?? saveErrors.provider} />
        <div className="checkbox">
          <input type="checkbox" id={id("enabled")} name="enabled" defaultChecked={enabled || c.provider !== p.provider} />
          <label htmlFor={id("enabled")}>{t("providers.use", { provider: p.label, channel: c.label.toLowerCase() })}</label>
        </div>
        <div className="field">
          <label htmlFor={id("mode")}>{t("providers.mode")}</label>
          <select id={id("mode")} name="mode" defaultValue={mode}>
            <option value="test">{t("providers.modeTest")}</option>
            <option value="live">{t("providers.live")}</option>
          </select>
        </div>
        {p.fields.map((f) => (
          <ProviderSettingField key={f.name} field={f} value={echo[f.name] ?? f.value} hint={f.hint} errors={saveErrors[f.name]} id={id} />
        ))}
        <div className="actions">
          <Button type="submit" busy={busy("save")}>
            {t("providers.save", { channel: c.label.toLowerCase() })}
          </Button>
        </div>
      </Form>
      <Form method="post" className="stack" key={`${location.key}-test`} aria-label={t("providers.testOf", { channel: c.label })}>
        <input type="hidden" name="intent" value="test" />
        <input type="hidden" name="channel" value={c.channel} />
        <Field
          id={id("to")}
          name="to"
          type={c.channel === "email" ? "email" : "tel"}
          autoComplete="off"
          label={c.channel === "email" ? t("providers.testToEmail") : t("providers.testToPhone")}
          defaultValue={mine?.intent === "test" ? (echo.to ?? "") : ""}
          hint={c.channel === "whatsapp" ? t("providers.testHintWhatsapp") : t("providers.testHint")}
          errors={testErrors.to}
        />
        <div className="actions">
          <Button type="submit" variant="secondary" busy={busy("test")}>
            {t("providers.sendTest")}
          </Button>
        </div>
      </Form>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => pageTitle(matches, data?.title ?? "Messaging providers");

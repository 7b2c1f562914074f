import type { TFunction } from "i18next";
import type { TenantDb } from "~db/client";
import type { ProviderName } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { LINE_MAX, textProblem } from "~/lib/text";
import { listProviderSettings, PROVIDER_LABELS, providerConfig, saveProviderSettings, SECRET_FIELDS } from "./settings.server";

/**
 * The tenant's payment provider settings as the back office's forms show them: non-secret values as
 * saved, secrets only as "set", and saving with field-level errors in each provider's words.
 */
/** One setting of a provider's form: payment and messaging adapters describe their settings so. */
export interface ProviderFieldDef {
  /** A key of the configuration (for messaging, `sender` is the row's sender column). */
  name: string;
  label: string;
  hint?: string;
  /** Write-only: stored encrypted, never shown again, a blank field keeps the saved value. */
  secret?: boolean;
  required?: boolean;
  multiline?: boolean;
  options?: { value: string; label: string }[];
}

/** The form of each provider, in the words of its dashboard (fields of the zod schemas in providers/types.ts). */
export const PROVIDER_FIELDS: Record<ProviderName, ProviderFieldDef[]> = {
  mpesa: [
    { name: "consumerKey", label: "Consumer key", hint: "Daraja portal → your app → Keys.", secret: true, required: true },
    { name: "consumerSecret", label: "Consumer secret", secret: true, required: true },
    {
      name: "shortcode",
      label: "Business short code",
      hint: "The paybill, or the store (head office) number for Buy Goods: 5 to 7 digits.",
      secret: false,
      required: true,
    },
    { name: "passkey", label: "Lipa na M-Pesa Online passkey", secret: true, required: true },
    {
      name: "transactionType",
      label: "Transaction type",
      secret: false,
      required: true,
      options: [
        { value: "CustomerPayBillOnline", label: "Paybill (CustomerPayBillOnline)" },
        { value: "CustomerBuyGoodsOnline", label: "Buy Goods / till (CustomerBuyGoodsOnline)" },
      ],
    },
    {
      name: "tillNumber",
      label: "Till number",
      hint: "Buy Goods only: the till that receives the money. Defaults to the short code.",
      secret: false,
      required: false,
    },
    {
      name: "initiatorName",
      label: "Initiator name",
      hint: "For refunds (reversals): the API operator's user name.",
      secret: false,
      required: false,
    },
    {
      name: "securityCredential",
      label: "Security credential",
      hint: "For refunds: the initiator password encrypted with Safaricom's certificate, as the Daraja portal issues it.",
      secret: true,
      required: false,
    },
    {
      name: "b2cShortcode",
      label: "B2C short code",
      hint: "For claim payouts (B2C): the disbursement short code the money leaves from. Defaults to the short code; uses the initiator above.",
      secret: false,
      required: false,
    },
    {
      name: "b2cCommand",
      label: "B2C payment type",
      secret: false,
      required: false,
      options: [
        { value: "BusinessPayment", label: "Business payment (BusinessPayment)" },
        { value: "PromotionPayment", label: "Promotion payment (PromotionPayment)" },
      ],
    },
  ],
  paystack: [
    {
      name: "secretKey",
      label: "Secret key",
      hint: "Settings → API keys & webhooks: sk_test_… or sk_live_…",
      secret: true,
      required: true,
    },
    { name: "publicKey", label: "Public key", hint: "pk_test_… or pk_live_…", secret: false, required: true },
  ],
  stripe: [
    {
      name: "secretKey",
      label: "Secret key",
      hint: "Developers → API keys: sk_test_… / sk_live_… (or a restricted rk_ key).",
      secret: true,
      required: true,
    },
    { name: "publishableKey", label: "Publishable key", hint: "pk_test_… or pk_live_…", secret: false, required: true },
    {
      name: "webhookSecret",
      label: "Webhook signing secret",
      hint: "Developers → Webhooks → your endpoint: whsec_…",
      secret: true,
      required: true,
    },
  ],
  sandbox: [
    {
      name: "secret",
      label: "Signing secret",
      hint: "Signs the sandbox payment page's results: any random text of at least 16 characters.",
      secret: true,
      required: true,
    },
  ],
  curlec: [
    {
      name: "keyId",
      label: "Key id",
      hint: "Curlec dashboard → Account & Settings → API keys: rzp_test_… or rzp_live_….",
      secret: false,
      required: true,
    },
    { name: "keySecret", label: "Key secret", secret: true, required: true },
    {
      name: "webhookSecret",
      label: "Webhook secret",
      hint: "The secret you typed when adding this site's webhook in the Curlec dashboard (not the key secret).",
      secret: true,
      required: true,
    },
    {
      name: "recurring",
      label: "Recurring payments (e-mandates)",
      hint: "Only once Curlec has enabled recurring payments on your account.",
      secret: false,
      required: false,
      options: [
        { value: "false", label: "Not enabled" },
        { value: "true", label: "Enabled" },
      ],
    },
  ],
  paypal: [
    { name: "clientId", label: "Client id", hint: "PayPal developer dashboard → Apps & Credentials.", secret: false, required: true },
    { name: "clientSecret", label: "Secret", secret: true, required: true },
    {
      name: "webhookId",
      label: "Webhook id",
      hint: "The id PayPal gave the webhook pointing at this site.",
      secret: false,
      required: true,
    },
  ],
};

/**
 * A provider's form in the reader's language (issue 14, decision 037): the English above stays the
 * source; each label, hint and choice is looked up as `providerFields.<provider>.<field>…` in the
 * page's namespace (admin-payments, admin-messages), falling back to the English.
 */
export function translateProviderFields<F extends ProviderFieldDef>(t: TFunction, provider: string, fields: F[]): F[] {
  // Hints quote the providers' own {{1}}-style placeholders: the text is taken as written.
  const key = (field: string, part: string) => `providerFields.${provider}.${field}.${part}`;
  const t2 = (k: string, english: string) => t(k, { defaultValue: english, skipInterpolation: true });
  return fields.map((f) => ({
    ...f,
    label: t2(key(f.name, "label"), f.label),
    hint: f.hint === undefined ? undefined : t2(key(f.name, "hint"), f.hint),
    options: f.options?.map((o) => ({ ...o, label: t2(key(f.name, `options.${o.value}`), o.label) })),
  }));
}

/** Write-only fields: settings.server's SECRET_FIELDS decides (the form's `secret` flags must agree). */
const isSecret = (field: ProviderFieldDef) => field.secret || SECRET_FIELDS.has(field.name);

export interface ProviderSettingsView {
  provider: ProviderName;
  label: string;
  enabled: boolean;
  mode: "test" | "live";
  configured: boolean;
  fields: (ProviderFieldDef & { value: string; isSet: boolean; masked: string | null })[];
}

/** Each provider with its form: non-secret values as saved, secrets only as "set" (never their value). */
export async function providerSettingsView(db: TenantDb, tenantId: string): Promise<ProviderSettingsView[]> {
  const settings = await listProviderSettings(db, tenantId);
  return settings.map((s) => ({
    provider: s.provider,
    label: PROVIDER_LABELS[s.provider],
    enabled: s.enabled,
    mode: s.mode,
    configured: s.configured,
    fields: PROVIDER_FIELDS[s.provider].map((f) => {
      const summary = s.summary[f.name];
      const secret = isSecret(f);
      return {
        ...f,
        secret,
        value: secret ? "" : (summary ?? (f.name === "transactionType" ? "CustomerPayBillOnline" : "")),
        isSet: summary !== undefined,
        masked: secret && summary !== undefined ? summary : null,
      };
    }),
  }));
}

/** The typed value of each of the provider's fields; anything but text (a file) counts as not typed. */
export function providerFormValues(provider: ProviderName, formData: FormData): Record<string, string | undefined> {
  const values: Record<string, string | undefined> = {};
  for (const field of PROVIDER_FIELDS[provider]) {
    const value = formData.get(field.name);
    // Longer than any setting can be: the schema refuses it as too long, without reading a megabyte.
    values[field.name] = typeof value === "string" ? value.slice(0, LINE_MAX + 1) : undefined;
  }
  return values;
}

/**
 * What a refused form shows again: the non-secret values as typed, when they are plain text of a
 * line. Secrets never go back to the browser, nor does text the schema refused for its characters
 * or length (NUL, line breaks, a megabyte): that field comes back empty, with its error.
 */
export function providerFormEcho(provider: ProviderName, values: Record<string, string | undefined>): Record<string, string> {
  const echo: Record<string, string> = {};
  for (const field of PROVIDER_FIELDS[provider]) {
    const value = values[field.name];
    if (isSecret(field) || !value || value.length > LINE_MAX || textProblem(value) !== null) continue;
    echo[field.name] = value;
  }
  return echo;
}

export interface ProviderForm {
  enabled: boolean;
  mode: "test" | "live";
  /** Typed values; a blank secret keeps the saved one. */
  values: Record<string, string | undefined>;
  /** Optional secrets to forget ("Remove the saved value"). */
  clear: string[];
}

/**
 * Saves one provider from its form. Secrets are write-only: a blank secret field keeps the stored
 * value, so the whole configuration handed to saveProviderSettings is the stored one with the
 * typed changes on top. Errors come back keyed by field name (`form` for the rest). Audited
 * with the names of the fields that changed, never their values.
 */
export async function saveProviderForm(
  db: TenantDb,
  tenantId: string,
  provider: ProviderName,
  form: ProviderForm,
  actor: Actor,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const stored = await providerConfig(db, tenantId, provider);
  const before = stored?.config ?? {};
  const config: Record<string, unknown> = { mode: form.mode };
  const changed: string[] = [];
  for (const field of PROVIDER_FIELDS[provider]) {
    const typed = form.values[field.name]?.trim();
    let value: unknown;
    if (isSecret(field) && form.clear.includes(field.name) && !field.required) value = undefined;
    else if (typed) value = typed;
    else if (isSecret(field)) value = before[field.name];
    else value = undefined;
    if (value !== undefined) config[field.name] = value;
    if (value !== before[field.name]) changed.push(field.name);
  }
  const result = await saveProviderSettings(db, tenantId, provider, { enabled: form.enabled, config });
  if (!result.ok) return { ok: false, errors: providerErrors(provider, config, result.errors) };
  await recordAudit(db, actor, {
    action: "payment.provider_updated",
    targetType: "payment_provider",
    targetId: provider,
    details: {
      provider,
      enabled: form.enabled,
      mode: form.mode,
      wasEnabled: stored?.enabled ?? null,
      wasMode: stored?.mode ?? null,
      changedFields: changed,
    },
  });
  return { ok: true };
}

/** saveProviderSettings' zod errors in the form's words, on the field they are about. */
function providerErrors(provider: ProviderName, config: Record<string, unknown>, raw: Record<string, string[]>): Record<string, string[]> {
  const defs = PROVIDER_FIELDS[provider];
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => (errors[key] ??= []).push(message);
  for (const [key, messages] of Object.entries(raw)) {
    const def = defs.find((f) => f.name === key);
    if (provider === "mpesa" && key === "securityCredential" && config.initiatorName === undefined) {
      add("initiatorName", "Required with a security credential (both are needed for refunds).");
    } else if (provider === "mpesa" && key === "securityCredential" && config.securityCredential === undefined) {
      add("securityCredential", "Required with an initiator name (both are needed for refunds).");
    } else if (def && config[key] === undefined) {
      add(key, "Required.");
    } else if (def || key === "mode") {
      for (const m of messages) add(key, sentence(m));
    } else {
      for (const m of messages) add("form", `${key}: ${m}`);
    }
  }
  return errors;
}

function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

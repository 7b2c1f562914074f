import { randomBytes } from "node:crypto";
import type { TenantDb } from "~db/client";
import type { PaymentMethod, TransactionProvider } from "~db/schema";
import { isProviderName, METHOD_LABELS, TRANSACTION_PROVIDER_LABELS } from "./methods";
import { decryptPii, encryptPii, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  PROVIDER_NAMES,
  providerConfigSchemas,
  paypalTakes,
  providerFor,
  type PaymentProvider,
  type ProviderDeps,
  type ProviderName,
} from "./providers/index.server";

/**
 * A tenant's payment providers (docs/architecture.md §6): enabled per tenant, test or live, with their
 * configuration encrypted as a whole (AES-256-GCM, bound to the tenant and provider). Checkout
 * offers methods, not providers: "M-Pesa" and "Card", each served by the best enabled provider.
 */
const configContext = (tenantId: string, provider: ProviderName) => `payments:${tenantId}:${provider}`;

/** Providers and "Offline (agent)": what the back office calls whoever took a payment. */
export const PROVIDER_LABELS: Record<TransactionProvider, string> = TRANSACTION_PROVIDER_LABELS;

export { METHOD_LABELS };

/** Fields never shown back once saved, only whether they are set. */
export const SECRET_FIELDS = new Set([
  "consumerKey",
  "consumerSecret",
  "passkey",
  "securityCredential",
  "secretKey",
  "webhookSecret",
  "secret",
  "keySecret",
  "clientSecret",
]);

export class ProviderNotEnabledError extends Error {
  constructor(readonly provider: ProviderName) {
    super(`The ${provider} provider is not enabled for this agency`);
    this.name = "ProviderNotEnabledError";
  }
}

/**
 * A payment an agent collected offline (cash, bank-in) has no provider: staff confirm or reject it
 * under /admin/offline-payments. Code that would ask a provider about it stops here, loudly.
 */
export class OfflinePaymentError extends Error {
  constructor(readonly transactionId: string) {
    super(
      `Transaction ${transactionId} was collected offline by an agent: no payment provider handles it (staff confirm it under Offline payments)`,
    );
    this.name = "OfflinePaymentError";
  }
}

/** The decrypted configuration of one provider, or undefined when it is not set up. */
export async function providerConfig(
  db: TenantDb,
  tenantId: string,
  provider: ProviderName,
): Promise<{ enabled: boolean; mode: "test" | "live"; config: Record<string, unknown> } | undefined> {
  const row = await db
    .selectFrom("payment_providers")
    .select(["enabled", "mode", "config_ciphertext"])
    .where("provider", "=", provider)
    .executeTakeFirst();
  if (!row) return undefined;
  const config = JSON.parse(decryptPii(row.config_ciphertext, { key: piiKeysFromEnv(), context: configContext(tenantId, provider) }));
  return { enabled: row.enabled, mode: row.mode, config };
}

/** The adapter for one of the tenant's enabled providers, with its decrypted configuration. */
export async function tenantProvider(
  db: TenantDb,
  tenantId: string,
  provider: ProviderName,
  deps: ProviderDeps = {},
): Promise<PaymentProvider> {
  const stored = await providerConfig(db, tenantId, provider);
  if (!stored?.enabled) throw new ProviderNotEnabledError(provider);
  return providerFor(provider, stored.config, deps);
}

/** The adapter of the provider that took a payment; an offline payment never reaches one (OfflinePaymentError). */
export async function transactionProvider(
  db: TenantDb,
  tenantId: string,
  tx: { id: string; provider: TransactionProvider },
  deps: ProviderDeps = {},
): Promise<PaymentProvider> {
  if (!isProviderName(tx.provider)) throw new OfflinePaymentError(tx.id);
  return tenantProvider(db, tenantId, tx.provider, deps);
}

export interface PaymentOption {
  method: PaymentMethod;
  provider: ProviderName;
  mode: "test" | "live";
  label: string;
}

/**
 * What checkout offers: M-Pesa (Kenyan shillings only), card (through Curlec too, in ringgit), FPX and e-wallets (ringgit only) and
 * PayPal, each through the first enabled provider in order of preference; the sandbox stands in
 * when nothing real is enabled.
 */
export async function paymentOptions(db: TenantDb, tenant: Pick<TenantInfo, "currency">): Promise<PaymentOption[]> {
  const rows = await db.selectFrom("payment_providers").select(["provider", "mode"]).where("enabled", "=", true).execute();
  const enabled = new Map(rows.map((r) => [r.provider, r.mode]));
  const preference: Record<PaymentMethod, ProviderName[]> = {
    mpesa: tenant.currency === "KES" ? ["mpesa", "sandbox"] : [],
    // Curlec takes cards on its own page by a Payment Link (decision 044), in ringgit; an agency that
    // also set up Stripe or Paystack keeps its cards there, as before Curlec took any.
    card: tenant.currency === "MYR" ? ["stripe", "paystack", "curlec", "sandbox"] : ["stripe", "paystack", "sandbox"],
    fpx: tenant.currency === "MYR" ? ["curlec", "sandbox"] : [],
    ewallet: tenant.currency === "MYR" ? ["curlec", "sandbox"] : [],
    // PayPal takes a fixed list of currencies (not KES): an agency in another one cannot offer it.
    paypal: paypalTakes(tenant.currency) ? ["paypal"] : [],
  };
  const options: PaymentOption[] = [];
  for (const method of ["mpesa", "card", "fpx", "ewallet", "paypal"] as const) {
    const provider = preference[method].find((p) => enabled.has(p));
    if (!provider) continue;
    const mode = enabled.get(provider)!;
    options.push({ method, provider, mode, label: provider === "sandbox" ? `${METHOD_LABELS[method]} (sandbox)` : METHOD_LABELS[method] });
  }
  return options;
}

export interface ProviderSetting {
  provider: ProviderName;
  enabled: boolean;
  mode: "test" | "live";
  configured: boolean;
  /** Non-secret fields as saved, secrets as "•••• 1a2b". */
  summary: Record<string, string>;
}

export async function listProviderSettings(db: TenantDb, tenantId: string): Promise<ProviderSetting[]> {
  const settings: ProviderSetting[] = [];
  for (const provider of PROVIDER_NAMES) {
    const stored = await providerConfig(db, tenantId, provider);
    if (!stored) {
      settings.push({ provider, enabled: false, mode: "test", configured: false, summary: {} });
      continue;
    }
    const summary: Record<string, string> = {};
    for (const [field, value] of Object.entries(stored.config)) {
      if (value === undefined || value === null) continue;
      summary[field] = SECRET_FIELDS.has(field) ? `•••• ${String(value).slice(-4)}` : String(value);
    }
    settings.push({ provider, enabled: stored.enabled, mode: stored.mode, configured: true, summary });
  }
  return settings;
}

/** Validates a provider's whole configuration with its schema and stores it encrypted. */
export async function saveProviderSettings(
  db: TenantDb,
  tenantId: string,
  provider: ProviderName,
  input: { enabled: boolean; config: unknown },
): Promise<{ ok: true } | { ok: false; errors: Record<string, string[]> }> {
  const parsed = providerConfigSchemas[provider].safeParse(input.config);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[issue.path.join(".") || "config"] ??= []).push(issue.message);
    return { ok: false, errors };
  }
  const ciphertext = encryptPii(JSON.stringify(parsed.data), { key: piiKeysFromEnv(), context: configContext(tenantId, provider) });
  await db
    .insertInto("payment_providers")
    .values({ provider, enabled: input.enabled, mode: parsed.data.mode, config_ciphertext: ciphertext })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "provider"])
        .doUpdateSet({ enabled: input.enabled, mode: parsed.data.mode, config_ciphertext: ciphertext, updated_at: new Date() }),
    )
    .execute();
  return { ok: true };
}

/** Demo and new agencies start with the sandbox, so the whole journey runs offline. Never replaces a setting. */
export async function ensureSandbox(db: TenantDb, tenantId: string): Promise<void> {
  const exists = await db.selectFrom("payment_providers").select("provider").where("provider", "=", "sandbox").executeTakeFirst();
  if (exists) return;
  await saveProviderSettings(db, tenantId, "sandbox", {
    enabled: true,
    config: { mode: "test", secret: randomBytes(24).toString("base64url") },
  });
}

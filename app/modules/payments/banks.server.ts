import type { TenantDb } from "~db/client";
import { logExchange } from "./gateway-log.server";
import type { MandateProvider, PayableBank, ProviderName } from "./providers/index.server";
import { tenantProvider } from "./settings.server";

/**
 * The FPX banks and e-wallets a provider lists right now (a bank goes offline for maintenance
 * several times a day). Asked at most every five minutes per tenant, provider and method: every
 * checkout page view would otherwise call the provider. A list that cannot be had is an empty
 * list, not an error: checkout then says no bank can be chosen now.
 */
const TTL_MS = 5 * 60_000;
const cache = new Map<string, { banks: PayableBank[]; expiresAt: number }>();

export async function payableBanks(
  db: TenantDb,
  tenantId: string,
  providerName: ProviderName,
  method: "fpx" | "ewallet",
  now: number = Date.now(),
): Promise<PayableBank[]> {
  const key = `${tenantId}:${providerName}:${method}`;
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.banks;
  const provider = (await tenantProvider(db, tenantId, providerName)) as Partial<MandateProvider>;
  if (typeof provider.listBanks !== "function") return [];
  const listed = await provider.listBanks(method);
  if (listed.exchange) await logExchange(db, { transactionId: null, provider: providerName, kind: "query", exchange: listed.exchange });
  if (!listed.ok) return hit?.banks ?? [];
  cache.set(key, { banks: listed.banks, expiresAt: now + TTL_MS });
  return listed.banks;
}

/** A bank the member may pay with now: on the provider's list and not offline. */
export async function isPayableBank(
  db: TenantDb,
  tenantId: string,
  providerName: ProviderName,
  method: "fpx" | "ewallet",
  code: string,
): Promise<boolean> {
  return (await payableBanks(db, tenantId, providerName, method)).some((b) => b.code === code && b.available);
}

/**
 * The FPX banks and e-wallets a pay form offers, for the methods the tenant takes (`paymentOptions`):
 * an empty list for a method not offered. Every page with a bank picker asks through here.
 */
export async function banksFor(
  db: TenantDb,
  tenantId: string,
  options: { method: string; provider: ProviderName }[],
): Promise<{ banks: PayableBank[]; wallets: PayableBank[] }> {
  const fpx = options.find((o) => o.method === "fpx");
  const ewallet = options.find((o) => o.method === "ewallet");
  return {
    banks: fpx ? await payableBanks(db, tenantId, fpx.provider, "fpx") : [],
    wallets: ewallet ? await payableBanks(db, tenantId, ewallet.provider, "ewallet") : [],
  };
}

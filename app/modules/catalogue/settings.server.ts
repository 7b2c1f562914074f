import type { TenantDb } from "~db/client";
import type { StorefrontSettings } from "./manifest";

/**
 * The tenant's storefront rules (levies, quote validity, bundle discounts), with safe defaults.
 * Read through the caller's transaction: a second pool connection per request would starve the
 * pool under load.
 */
export async function storefrontSettings(db: TenantDb, tenantId: string): Promise<StorefrontSettings> {
  const row = await db.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirst();
  const s = (row?.settings ?? {}) as Partial<StorefrontSettings>;
  return { levies: s.levies ?? [], quoteValidityDays: s.quoteValidityDays ?? 30, bundleDiscounts: s.bundleDiscounts ?? [] };
}

import { runtimeDb } from "~db/client";
import type { StorefrontSettings } from "./manifest";

/** The tenant's storefront rules (levies, quote validity, bundle discounts), with safe defaults. */
export async function storefrontSettings(tenantId: string): Promise<StorefrontSettings> {
  const row = await runtimeDb().selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirstOrThrow();
  const s = row.settings as Partial<StorefrontSettings>;
  return { levies: s.levies ?? [], quoteValidityDays: s.quoteValidityDays ?? 30, bundleDiscounts: s.bundleDiscounts ?? [] };
}

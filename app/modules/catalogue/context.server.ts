import type { TenantDb } from "~db/client";
import { quoteDateIn } from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { PricingContext } from "./pricing";
import { storefrontSettings } from "./settings.server";

/**
 * The context storefront prices are worked out in: the tenant's currency and levies, today in its
 * time zone; and how long a quote holds, to say so beside the quote form.
 */
export async function pricingContextFor(db: TenantDb, tenant: TenantInfo): Promise<PricingContext & { quoteValidityDays: number }> {
  const settings = await storefrontSettings(db, tenant.id);
  return {
    currency: tenant.currency,
    locale: tenant.locale,
    quoteDate: quoteDateIn(tenant.timeZone),
    levies: settings.levies,
    quoteValidityDays: settings.quoteValidityDays,
  };
}

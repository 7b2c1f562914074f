import { quoteDateIn } from "~/modules/rating";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { PricingContext } from "./pricing";

/**
 * The context storefront prices are worked out in: the tenant's currency and levies, today in its
 * time zone; and how long a quote holds, to say so beside the quote form. The levies come with the
 * request's tenant (no query); a quote that is saved reads them again in its own transaction.
 */
export function pricingContextFor(tenant: TenantInfo): PricingContext & { quoteValidityDays: number } {
  return {
    currency: tenant.currency,
    locale: tenant.locale,
    quoteDate: quoteDateIn(tenant.timeZone),
    levies: tenant.levies,
    quoteValidityDays: tenant.quoteValidityDays,
  };
}

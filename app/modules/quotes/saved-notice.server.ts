import type { TenantDb } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { SavedQuote } from "./quotes.server";

/**
 * "We saved your quote" to a signed-in customer who asked for one (issue 14, event `quote_saved`):
 * a way back to it until it expires. A customer trying options makes many quotes; they hear once a
 * day per product, and it is marketing, so they may turn it off.
 */
export async function tellQuoteSaved(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "locale" | "timeZone">,
  quote: SavedQuote,
  userId: string,
  origin: string,
): Promise<void> {
  const day = quote.createdAt.toISOString().slice(0, 10);
  const path = `/quotes/${quote.id}`;
  await notify(db, tenant.id, {
    event: "quote_saved",
    to: { userId },
    vars: {
      productName: quote.productName,
      amount: formatMoney(quote.total, quote.currency, tenant.locale),
      validUntil: formatDate(quote.validUntil, tenant.locale, tenant.timeZone),
      link: `${origin}${path}`,
    },
    link: path,
    dedupeKey: `quote_saved:${userId}:${quote.productId}:${day}`,
  });
}

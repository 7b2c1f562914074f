import { lineText } from "~/lib/text";

/**
 * Where a sale to a member lives (browser-safe): one address, /agent/members/:memberId/sell, whose
 * step follows from the order named in ?order= (or the product in ?product= before there is one).
 */
export const saleUrl = (memberId: string, orderId?: string, extra = "") =>
  `/agent/members/${memberId}/sell${orderId ? `?order=${orderId}${extra}` : ""}`;

/** A product's slug as ?product= carries it. */
export const saleProductSlug = lineText()
  .max(120)
  .regex(/^[a-z0-9][a-z0-9-]*$/);

/** What each form of the sale posts as its `intent`. */
export type SaleIntent = "quote" | "details" | "terms" | "link" | "offline";

import type { ProductCard } from "./listing.server";
import { PER_FREQUENCY } from "./listing-options";
import type { Frequency } from "~/modules/rating";

/** The catalogue's answers in the JSON API's shape (/api/v1). */

/** A product as a list item: money in minor units with its currency, links absolute. */
export function productListItem(card: ProductCard, origin: string) {
  return {
    slug: card.slug,
    name: card.name,
    summary: card.summary,
    category: card.category,
    insurer: card.insurer,
    currency: card.currency,
    startingPrice: card.startingPrice,
    startingPriceFrequency: "annual",
    instalment: card.instalment
      ? { amount: card.instalment.amount, frequency: card.instalment.frequency, per: PER_FREQUENCY[card.instalment.frequency as Frequency] }
      : null,
    rating: { average: card.reviewAverage, count: card.reviewCount },
    quoteCount: card.quoteCount,
    url: `${origin}/products/${card.slug}`,
    api: `${origin}/api/v1/products/${card.slug}`,
  };
}

/** A page link: the same query with another page, or null past either end. */
export function pageLink(request: Request, page: number, pages: number): string | null {
  if (page < 1 || page > pages) return null;
  const url = new URL(request.url);
  if (page === 1) url.searchParams.delete("page");
  else url.searchParams.set("page", String(page));
  return url.toString();
}

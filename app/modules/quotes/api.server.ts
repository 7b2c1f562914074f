import { z } from "zod";
import { FREQUENCIES, fieldErrors } from "~/modules/rating";
import type { SavedQuote } from "./quotes.server";
import { lineText } from "~/lib/text";

/**
 * The quote API's request and response shapes (/api/v1/quotes). Money in the body of a request
 * is a JSON number of minor units (or a string typed in major units, as in the form); money in a
 * response is always integer minor units with the currency beside it.
 */

export const createQuoteBody = z.object(
  {
    product: lineText("Name the product by its slug", "Name the product by its slug").regex(
      /^[a-z0-9][a-z0-9-]{0,119}$/,
      "Name the product by its slug, like motor-comprehensive",
    ),
    frequency: z.enum(FREQUENCIES, { errorMap: () => ({ message: `Use one of: ${FREQUENCIES.join(", ")}` }) }).optional(),
    inputs: z.record(z.unknown(), { invalid_type_error: "Send the quote details as a JSON object" }).default({}),
  },
  { invalid_type_error: "Send a JSON object" },
);

/** zod issues → `{ "inputs.vehicleValue": [...] }`, the API's field names. */
export function bodyErrors(error: z.ZodError): Record<string, string[]> {
  const { form, ...fields } = fieldErrors(error.issues.map((i) => ({ path: i.path, message: i.message })));
  return form ? { ...fields, body: form } : fields;
}

/** The engine's errors on `inputs` → the API's names: `inputs.persons[0].age`; form-level → `inputs`. */
export function inputErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const name = key === "frequency" ? key : key === "form" ? "inputs" : `inputs.${key}`;
    (out[name] ??= []).push(...messages);
  }
  return out;
}

export function toApiQuote(quote: SavedQuote, origin: string) {
  const { breakdown } = quote;
  return {
    id: quote.id,
    reference: quote.reference,
    product: { slug: quote.productSlug, name: quote.productName, insurer: quote.insurerName, category: quote.categoryName },
    frequency: quote.frequency,
    currency: quote.currency,
    quoteDate: breakdown.quoteDate,
    lines: breakdown.lines.map(({ code, label, amount }) => ({ code, label, amount })),
    basePremium: breakdown.basePremium,
    levies: breakdown.levies.map(({ code, label, amount }) => ({ code, label, amount })),
    totalLevies: breakdown.totalLevies,
    // Annual, paid at once: basePremium + totalLevies.
    total: breakdown.total,
    instalments: breakdown.frequencies.map((f) => ({
      frequency: f.frequency,
      label: f.label,
      instalmentsPerYear: f.instalmentsPerYear,
      amount: f.instalmentAmount,
      firstAmount: f.firstInstalmentAmount,
      annualTotal: f.annualEquivalent,
    })),
    // What the chosen frequency costs over a year.
    annualTotal: quote.total,
    inputs: quote.inputs,
    validUntil: quote.validUntil.toISOString(),
    expired: quote.expired,
    createdAt: quote.createdAt.toISOString(),
    url: `${origin}/quotes/${quote.id}`,
  };
}

import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { invalid, notFound } from "~/modules/api/problem.server";
import { FREQUENCIES, fieldErrors } from "~/modules/rating";
import { originOf } from "~/modules/tenancy/resolve.server";
import { createQuote, getQuote, type SavedQuote } from "./quotes.server";

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
    inputs: z
      .record(z.unknown(), { invalid_type_error: "Send the quote details as a JSON object" })
      .default({})
      .describe("Values for the product's declared inputs (see the product's `quote.inputs`)."),
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

const minor = (what: string) => z.number().int().describe(`${what} In minor units (cents) of \`currency\`.`);
const line = z.object({ code: answerText(), label: answerText(), amount: minor("Negative for a discount.") });

export const quoteSchema = z.object({
  id: answerText().uuid(),
  reference: answerText().describe("BWM-Q-2026-000123"),
  product: z.object({ slug: answerText(), name: answerText(), insurer: answerText(), category: answerText() }),
  frequency: z.enum(FREQUENCIES),
  currency: answerText(),
  quoteDate: answerText().describe("YYYY-MM-DD"),
  lines: z.array(line),
  basePremium: minor("Sum of the premium lines (annual)."),
  levies: z.array(line),
  totalLevies: minor("Sum of the levies."),
  total: minor("basePremium plus totalLevies: the annual total paid at once."),
  instalments: z
    .array(
      z.object({
        frequency: z.enum(FREQUENCIES),
        label: answerText(),
        instalmentsPerYear: z.number().int(),
        amount: minor("Each instalment."),
        firstAmount: minor("The first instalment, fixed duties (stamp duty) included."),
        annualTotal: minor("Everything paid over a year at this frequency."),
      }),
    )
    .describe("What each payment frequency the product offers costs."),
  annualTotal: minor("What the chosen frequency costs over a year."),
  inputs: z.record(z.unknown()).describe("The validated inputs (money in minor units)."),
  validUntil: answerText().datetime(),
  expired: z.boolean(),
  createdAt: answerText().datetime(),
  url: answerText().url().describe("The quote's page; it can be reopened by this link."),
});

const quoteAnswer = z.object({ quote: quoteSchema });

export const createQuoteEndpoint = endpoint({
  method: "POST",
  path: "/quotes",
  operationId: "createQuote",
  summary: "Price and save a quote",
  description: "Counts with the storefront's quote forms under one allowance (decision 012).",
  tags: ["Quotes"],
  auth: { scope: "quotes:write", anonymous: true },
  body: createQuoteBody,
  creates: true,
  limit: "quote",
  responses: { 201: { description: "The saved quote, with its reference and breakdown.", schema: quoteAnswer } },
  errors: [404, 409, 422],
  async handler({ request, tenant, principal, body }) {
    const result = await withTenant(tenant.id, (db) =>
      createQuote(db, tenant, {
        productSlug: body.product,
        input: body.inputs,
        frequency: body.frequency ?? null,
        userId: principal.kind === "user" ? principal.user.id : null,
      }),
    );
    if (!result.ok) {
      if (result.code === "not_found") throw notFound("Product");
      throw invalid(inputErrors(result.errors));
    }
    const quote = toApiQuote(result.quote, originOf(request));
    return { status: 201, body: { quote }, headers: { Location: quote.url, "Cache-Control": "no-store" } };
  },
});

export const getQuoteEndpoint = endpoint({
  method: "GET",
  path: "/quotes/{quoteId}",
  operationId: "getQuote",
  summary: "A saved quote, by the id its link carries",
  tags: ["Quotes"],
  auth: { scope: "quotes:write", anonymous: true },
  params: z.object({ quoteId: lineText().uuid() }),
  resource: "Quote",
  responses: { 200: { description: "The quote.", schema: quoteAnswer } },
  errors: [404],
  async handler({ request, tenant, params }) {
    const quote = await withTenant(tenant.id, (db) => getQuote(db, params.quoteId));
    if (!quote) throw notFound("Quote");
    return { body: { quote: toApiQuote(quote, originOf(request)) }, headers: { "Cache-Control": "no-store" } };
  },
});

export const quoteEndpoints = [createQuoteEndpoint, getQuoteEndpoint];

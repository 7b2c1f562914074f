import { z } from "zod";
import { CUSTOMER_REASONS } from "~/modules/cancellations/reasons";
import { lineText } from "~/lib/text";

/**
 * An agency's demo history (`tenants/<slug>/history.json`): the people who bought from it over the
 * last year and what they did, told relative to the day the history is seeded ("8 months and 3
 * days ago"), so a history seeded any day reads as the year before it. `npm run dev` plays it
 * through the app's own modules (app/modules/demo/history.server.ts); the test suite never does.
 *
 * Only the story is data here. Prices, policy numbers, instalments, commissions and statuses are
 * whatever the modules make of it: a purchase names products and a frequency, never an amount.
 */
const FREQUENCIES = ["annual", "semi_annual", "quarterly", "monthly"] as const;
const slug = lineText().regex(/^[a-z0-9][a-z0-9-]*$/, "a product slug");
const email = lineText().toLowerCase().email();

/** How long before the seeding day something happened. Cover bought up to 11 months ago is still in force. */
export const agoSchema = z
  .object({ months: z.number().int().min(0).max(11).default(0), days: z.number().int().min(0).max(31).default(0) })
  .strict();
export type Ago = z.infer<typeof agoSchema>;

/**
 * How the instalments after the first went: by default every one that fell due before the seeding
 * day was paid on time (one due that very day is left for the customer). `paidInstalments` stops
 * paying after that many (the first included): the premium schedule then puts the policy in grace,
 * or lapses it once grace has run out, as it would have.
 */
const instalments = { paidInstalments: z.number().int().min(1).optional() };

const itemSchema = z
  .object({
    product: slug,
    frequency: z.enum(FREQUENCIES).default("annual"),
    // The quote's inputs; the product's sample input when left out.
    input: z.record(z.unknown()).optional(),
  })
  .strict();

const CANCELLATION_REASON_CODES = Object.keys(CUSTOMER_REASONS) as [keyof typeof CUSTOMER_REASONS, ...(keyof typeof CUSTOMER_REASONS)[]];

export const purchaseSchema = z
  .object({
    items: z.array(itemSchema).min(1).max(4),
    ago: agoSchema,
    method: z.enum(["mpesa", "card"]).default("mpesa"),
    // The first attempt was declined (on the phone, or the card), the second went through.
    declinedFirst: z.boolean().default(false),
    // A product that needs underwriting is approved by the underwriter two days later, unless still waiting.
    awaitingUnderwriting: z.boolean().default(false),
    // Paid by card with "Save this card for future payments" ticked (the sandbox's 4242 card; decision 029).
    saveCard: z.boolean().default(false),
    // This purchase's policies pay their instalments automatically with the customer's default saved card.
    autoDebit: z.boolean().default(false),
    ...instalments,
    // The customer cancelled it on that day, for that reason (app/modules/demo/cancellations.server.ts).
    cancelled: z
      .object({ ago: agoSchema, reason: z.enum(CANCELLATION_REASON_CODES) })
      .strict()
      .optional(),
  })
  .strict();

const customerSchema = z
  .object({
    // A demo user of the manifest (signs in with its password), or a new customer who signs up.
    email,
    name: lineText().min(2),
    phone: lineText(),
    dateOfBirth: lineText(),
    address: lineText(),
    nationalId: lineText(),
    kraPin: lineText(),
    // Named on the cover that pays out to someone (life, last expense).
    beneficiary: z.object({ name: lineText(), relationship: lineText() }).strict(),
    purchases: z.array(purchaseSchema).min(1),
  })
  .strict();

/** A storefront's customers (a marketplace like Bowman). */
export const customersHistorySchema = z.object({ customers: z.array(customerSchema).default([]) }).strict();

const saleSchema = z
  .object({
    product: slug,
    frequency: z.enum(FREQUENCIES).default("annual"),
    input: z.record(z.unknown()).optional(),
    ago: agoSchema,
    // The member pays online through the agent's link (card), or the agent collects cash or a bank-in.
    payment: z.enum(["card", "cash", "bank_transfer"]).default("card"),
    // Offline money: staff confirm it this many days after the agent recorded it…
    confirmedAfterDays: z.number().int().min(0).max(5).default(1),
    // …or have not yet: it waits in the back office.
    awaitingConfirmation: z.boolean().default(false),
    ...instalments,
  })
  .strict();

const memberSchema = z
  .object({
    // The agent who registered them (a demo agent or demo user with the agent role).
    agent: email,
    email,
    name: lineText().min(2),
    phone: lineText(),
    nric: lineText(),
    address: lineText(),
    race: lineText(),
    relationshipWithAgent: lineText(),
    emergencyContact: z.object({ name: lineText(), phone: lineText(), relationship: lineText() }).strict(),
    beneficiary: z.object({ name: lineText(), relationship: lineText() }).strict(),
    registered: agoSchema,
    sales: z.array(saleSchema).default([]),
    // Cover the member bought on the storefront themselves: credited to their agent all the same.
    purchases: z.array(purchaseSchema.extend({ method: z.literal("card").default("card") })).default([]),
  })
  .strict();

/** An agent network's members, registered and sold to by its agents (KHHoldings). */
export const networkHistorySchema = z.object({ members: z.array(memberSchema).default([]) }).strict();

/**
 * Where a demo claim's story stops: what the back office, the claimant or their agent has done to
 * it by the seeding day (app/modules/demo/claims.server.ts plays each through the claims modules).
 */
export const CLAIM_STORY_ENDS = [
  "unassigned",
  "submitted",
  "agent_review",
  "under_review",
  "documents_requested",
  "assessment_complete",
  "second_approval",
  "approved",
  "settled",
  "rejected",
  "appealed",
  "withdrawn",
] as const;

const claimStorySchema = z
  .object({
    // The policyholder (a history customer or member, or a demo user); a member's agent files it for them.
    claimant: email,
    // The claimant's policy of this product the claim is made on.
    product: slug,
    type: lineText(),
    // When it was filed; the incident was `incidentDaysBefore` days earlier.
    ago: agoSchema,
    incidentDaysBefore: z.number().int().min(0).max(60).default(2),
    place: lineText(),
    description: lineText(),
    // In the policy's currency, major units; `approved` is what the assessor found payable before the excess.
    amount: z.number().positive(),
    approved: z.number().positive().optional(),
    // A hospital or clinic of the agency's directory (facilities.json), by name.
    facility: lineText().optional(),
    // Document kinds sent with the claim (a small generated PDF or photo each).
    documents: z.array(lineText()).default([]),
    // Why it was rejected (reason codes of reason-words.ts), for the claims that were.
    reasons: z.array(lineText()).default([]),
    end: z.enum(CLAIM_STORY_ENDS),
  })
  .strict();

export const historyManifestSchema = customersHistorySchema
  .merge(networkHistorySchema)
  .extend({ claims: z.array(claimStorySchema).default([]) })
  .strict();

export type HistoryManifest = z.infer<typeof historyManifestSchema>;
export type HistoryCustomer = z.infer<typeof customerSchema>;
export type HistoryPurchase = z.infer<typeof purchaseSchema>;
export type HistoryMember = z.infer<typeof memberSchema>;
export type HistorySale = z.infer<typeof saleSchema>;
export type HistoryClaim = z.infer<typeof claimStorySchema>;

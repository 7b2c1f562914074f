import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";
import { CLAIM_STATES } from "~/modules/workflows/claim";
import { isIsoDate } from "~/modules/rating/dates";

/**
 * What the claimant's forms and the claims API accept (browser-safe: the forms validate with the
 * same schemas before they are sent). Business rules that need the policy (type of its family, date
 * within its cover, its currency) are the filing module's, not these.
 */

const uuid = (message: string) => lineText(message).uuid(message);
const isoDate = (required: string) =>
  lineText(required).refine((value) => isIsoDate(value), "Enter the date as year, month and day, like 2026-03-14.");

export const policyChoiceSchema = z.object({
  policyId: uuid("Choose the policy you are claiming on."),
});

export const incidentSchema = z.object({
  claimType: lineText("Choose what happened.").max(40, "Choose what happened from the list."),
  incidentDate: isoDate("Enter the date of the incident."),
  incidentPlace: lineText("Say where it happened.").min(2, "Say where it happened.").max(200, "Use at most 200 characters."),
  description: multilineText("Tell us what happened.")
    .refine((value) => value.trim().length >= 10, "Tell us what happened in a sentence or two.")
    .refine((value) => value.length <= 5000, "Use at most 5,000 characters."),
});

/** "Not at a listed hospital or clinic" in the facility choice. */
export const NO_FACILITY = "none";

export const amountFormSchema = z.object({
  // In major units as typed ("12,500.50"); turned into minor units with the policy's currency.
  amount: lineText("Enter the amount you are claiming.").max(30, "Enter an amount such as 12,500 or 12,500.50."),
  currency: lineText("Choose the currency.").max(3, "Choose the currency."),
  facilityId: z.union([z.literal(NO_FACILITY), uuid("Choose a hospital or clinic, or say it was not at a listed one.")], {
    errorMap: () => ({ message: "Choose a hospital or clinic, or say it was not at a listed one." }),
  }),
});

export const reasonSchema = (what: string) =>
  multilineText(`Tell us why you want to ${what}.`)
    .refine((value) => value.trim().length >= 3, `Tell us why you want to ${what}.`)
    .refine((value) => value.length <= 2000, "Use at most 2,000 characters.");

export const withdrawSchema = z.object({
  reason: reasonSchema("withdraw this claim"),
  confirm: z.literal("yes", { errorMap: () => ({ message: "Tick the box to confirm you want to withdraw this claim." }) }),
  revision: z.coerce.number().int().min(0),
});

export const appealSchema = z.object({
  reason: reasonSchema("appeal this decision"),
  revision: z.coerce.number().int().min(0),
});

export const answerRequestSchema = z.object({
  requestId: uuid("Choose the request you are answering."),
  answer: multilineText()
    .refine((value) => value.length <= 2000, "Use at most 2,000 characters.")
    .optional(),
});

export const agentReviewSchema = z.object({
  note: multilineText()
    .refine((value) => value.length <= 2000, "Use at most 2,000 characters.")
    .optional(),
});

export const askDocumentsSchema = z.object({
  message: multilineText("Tell the member what you need.")
    .refine((value) => value.trim().length >= 3, "Tell the member what you need.")
    .refine((value) => value.length <= 2000, "Use at most 2,000 characters."),
  documents: z.array(lineText().regex(/^[a-z0-9_]{1,32}$/)).min(1, "Choose at least one document to ask for."),
  revision: z.coerce.number().int().min(0),
});

/** The claims list's filters (in the URL, read with readFilters). */
export const claimFiltersSchema = z.object({
  status: z.enum(CLAIM_STATES).optional(),
  policy: lineText().uuid("Not a policy of yours.").optional(),
  from: lineText().refine(isIsoDate, "Use a date like 2026-01-31.").optional(),
  to: lineText().refine(isIsoDate, "Use a date like 2026-01-31.").optional(),
});

/** POST /api/v1/claims */
export const apiFileClaimBody = z
  .object({
    policyId: uuid("policyId must be the id of one of your policies"),
    claimType: lineText("claimType is required").max(40),
    incidentDate: isoDate("incidentDate is required (YYYY-MM-DD)"),
    incidentPlace: lineText("incidentPlace is required").min(2).max(200),
    description: multilineText("description is required")
      .refine((value) => value.trim().length >= 10, "Describe what happened in a sentence or two")
      .refine((value) => value.length <= 5000, "Use at most 5,000 characters"),
    claimedMinor: z
      .number({ required_error: "claimedMinor is required", invalid_type_error: "claimedMinor must be a whole number of minor units" })
      .int("claimedMinor must be a whole number of minor units"),
    currency: lineText("currency is required").regex(/^[A-Z]{3}$/, "currency is a three-letter code such as KES"),
    facilityId: uuid("facilityId must be a facility's id").nullable().optional(),
  })
  .strict();

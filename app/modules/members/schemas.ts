import { z } from "zod";
import { emailSchema } from "~/modules/auth/schemas";
import { RELATIONSHIPS } from "~/modules/checkout/steps";
import { nricSchema } from "~/modules/pii/identifiers";
import { lineText } from "~/lib/text";
import { agentNumberSchema } from "~/modules/network/agent-schemas";
import { MEMBER_STATUS_FILTERS } from "./status";

/**
 * The member forms (an agent registers a policyholder), browser-safe: the pages validate with the
 * same rules before sending, the server parses with them again.
 */

export const RACES = [
  { value: "malay", label: "Malay" },
  { value: "chinese", label: "Chinese" },
  { value: "indian", label: "Indian" },
  { value: "bumiputera_sabah_sarawak", label: "Bumiputera Sabah/Sarawak" },
  { value: "other", label: "Other" },
] as const;

/** How the member knows the agent who registers them. */
export const AGENT_RELATIONSHIPS = [
  { value: "spouse", label: "Spouse" },
  { value: "parent", label: "Parent" },
  { value: "child", label: "Child" },
  { value: "sibling", label: "Brother or sister" },
  { value: "other_relative", label: "Other relative" },
  { value: "friend", label: "Friend" },
  { value: "colleague", label: "Colleague" },
  { value: "referral", label: "Referred to me" },
  { value: "other", label: "Other" },
] as const;

/** The emergency contact's relationship to the member: checkout's list (spouse, child, parent …). */
export const EMERGENCY_RELATIONSHIPS = RELATIONSHIPS;

export const MEMBER_STATUS_LABELS = { active: "Active", pending: "Pending", suspended: "Suspended", terminated: "Ended" } as const;

const labelOf = (list: readonly { value: string; label: string }[], value: string) => list.find((o) => o.value === value)?.label ?? value;
export const raceLabel = (value: string) => labelOf(RACES, value);
export const agentRelationshipLabel = (value: string) => labelOf(AGENT_RELATIONSHIPS, value);
export const emergencyRelationshipLabel = (value: string) => labelOf(EMERGENCY_RELATIONSHIPS, value);

const values = <T extends readonly { value: string }[]>(list: T) =>
  list.map((o) => o.value) as [T[number]["value"], ...T[number]["value"][]];

const name = (what: string) => lineText(`Enter ${what}`).min(2, `Enter ${what}`).max(120, "Use at most 120 characters");

const phone = (what: string) =>
  lineText(`Enter ${what}`).regex(/^\+?[0-9][0-9 ()-]{6,19}$/, "Enter a phone number in digits, for example +60 12-345 6789");

const choice = <T extends readonly { value: string }[]>(list: T, message: string) =>
  z.enum(values(list), { errorMap: () => ({ message }) });

/** What can be edited after registration: everything but the NRIC (an identity number does not change) and the email (their sign-in). */
export const memberEditSchema = z.object({
  name: name("the member's full name, as on their MyKad"),
  phone: phone("the member's phone number"),
  race: choice(RACES, "Choose the member's race"),
  relationshipWithAgent: choice(AGENT_RELATIONSHIPS, "Choose how the member is related to you"),
  emergencyContactName: name("the emergency contact's full name"),
  emergencyContactPhone: phone("the emergency contact's phone number"),
  emergencyContactRelationship: choice(EMERGENCY_RELATIONSHIPS, "Choose how the emergency contact is related to the member"),
});

export const memberSchema = memberEditSchema.extend({
  email: emailSchema,
  nric: nricSchema,
});

export type MemberInput = z.output<typeof memberSchema>;
export type MemberEditInput = z.output<typeof memberEditSchema>;

export const MEMBERS_PAGE_SIZE = 25;

/** The list's search box (from a shareable URL: a bad value is ignored and said, never refused; `readFilters`). */
export const memberFiltersSchema = z.object({
  q: lineText().min(1).max(100).optional(),
  status: z.enum(MEMBER_STATUS_FILTERS).optional(),
});

/** Staff's list also narrows to one agent, by agent number. */
export const adminMemberFiltersSchema = memberFiltersSchema.extend({ agent: agentNumberSchema.optional() });

// ---------------------------------------------------------------------------------------------
// Selling to a member, and payments collected offline.

export const OFFLINE_METHODS = [
  { value: "cash", label: "Cash" },
  { value: "bank_transfer", label: "Bank transfer (bank-in)" },
] as const;

/** No amount here: what is due is worked out on the server from the order's quotes. */
export const offlinePaymentSchema = z.object({
  method: choice(OFFLINE_METHODS, "Choose how the member paid you"),
  reference: lineText("Enter the receipt or bank-in slip number")
    .min(3, "Enter the receipt or bank-in slip number")
    .max(60, "Use at most 60 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ./#-]*$/, "Use letters, digits, spaces and . / # - only"),
});

export const REJECT_REASON_MAX = 500;

export const offlineDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("confirm"), transactionId: lineText().uuid() }),
  z.object({
    intent: z.literal("reject"),
    transactionId: lineText().uuid(),
    reason: lineText("Give the reason: the agent sees it")
      .min(3, "Give the reason: the agent sees it")
      .max(REJECT_REASON_MAX, `Keep the reason under ${REJECT_REASON_MAX} characters`),
  }),
]);

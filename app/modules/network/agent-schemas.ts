import { z } from "zod";
import type { AgentStatus } from "~db/schema";
import { emailSchema, newPasswordSchema } from "~/modules/auth/schemas";
import { bankAccountSchema } from "~/modules/pii/identifiers";
import { AGENT_EVENTS, type AgentEvent } from "~/modules/workflows/agent";
import { readFilters } from "~/lib/search-params";
import { lineText, multilineText, secretText } from "~/lib/text";
import { UNQUALIFIED_SHARES } from "~/modules/commissions/distribute";

/**
 * The agent network's forms, shared by the server (which decides) and the browser (which helps
 * while typing). No server code here.
 */

export const AGENT_STATUSES = ["pending", "active", "suspended", "rejected", "terminated"] as const satisfies readonly AgentStatus[];

export const AGENT_STATUS_LABELS: Record<AgentStatus, string> = {
  pending: "Pending approval",
  active: "Active",
  suspended: "Suspended",
  rejected: "Rejected",
  terminated: "Terminated",
};

/** Whether each status action needs a reason and is shown as dangerous; its words are in the admin-network translations (agentEvent). */
export const AGENT_EVENT_FORMS: Record<AgentEvent, { needsReason: boolean; danger: boolean }> = {
  approve: { needsReason: false, danger: false },
  reject: { needsReason: true, danger: true },
  suspend: { needsReason: true, danger: true },
  reinstate: { needsReason: false, danger: false },
  terminate: { needsReason: true, danger: true },
};

export const REASON_MAX = 500;

export const phoneSchema = lineText("Enter a phone number")
  .regex(/^\+?[0-9][0-9 ()-]{6,19}$/, "Enter a phone number in digits, for example +60 12-345 6789")
  .transform((value) => value.replace(/[ ()-]/g, ""));

/** What people type for a referral code: spaces and case do not matter. */
export const referralCodeSchema = lineText("Enter the referral code")
  .transform((value) => value.replace(/[\s-]/g, "").toUpperCase())
  .pipe(lineText().regex(/^[A-Z0-9]{6,12}$/, "A referral code has 6 to 12 letters and digits, like K7MX4QPA"));

export const agentNumberSchema = lineText("Enter the agent number").regex(/^[0-9]{5,6}$/, "An agent number has 5 or 6 digits");

const nameSchema = lineText("Enter the full name").min(2, "Enter the full name").max(120, "Use at most 120 characters");

export const joinSchema = z
  .object({
    name: nameSchema,
    email: emailSchema,
    phone: phoneSchema,
    password: newPasswordSchema,
    confirmPassword: secretText("Enter your password again"),
    acceptTerms: z.boolean({ required_error: "Accept the terms to join" }),
  })
  .refine((value) => value.password === value.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match" });

export const statusActionSchema = z.object({
  event: z.enum(AGENT_EVENTS),
  reason: multilineText().trim().max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters`).optional(),
});

export const moveSchema = z.object({
  // Empty: the agent becomes a root of the network.
  sponsorNumber: agentNumberSchema.optional(),
  reason: multilineText("Say why the agent moves: it is kept in the sponsor history")
    .trim()
    .min(1, "Say why the agent moves: it is kept in the sponsor history")
    .max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters`),
});

export const bankDetailsSchema = z.object({
  bankName: lineText("Enter the bank's name").min(2, "Enter the bank's name").max(80, "Use at most 80 characters"),
  accountNumber: bankAccountSchema,
  accountHolder: lineText("Enter the account holder's name as the bank has it")
    .min(2, "Enter the account holder's name as the bank has it")
    .max(120, "Use at most 120 characters"),
});

export const phoneCodeSchema = z.object({
  code: lineText("Enter the 6-digit code").regex(/^[0-9]{6}$/, "The code has 6 digits"),
});

export const createAgentSchema = z.object({
  email: emailSchema,
  // Only used when no account has this email yet (an invitation is sent).
  name: lineText().max(120, "Use at most 120 characters").optional(),
  phone: phoneSchema.optional(),
  sponsorNumber: agentNumberSchema.optional(),
  approve: z.boolean().optional(),
});

export const networkSettingsSchema = z.object({
  tiers: z.coerce
    .number({ invalid_type_error: "Enter a number of tiers from 1 to 10" })
    .int("Enter a whole number")
    .min(1, "At least 1 tier (the selling agent)")
    .max(10, "At most 10 tiers"),
  unqualifiedShare: z.enum(UNQUALIFIED_SHARES, { required_error: "Choose what happens to an unqualified upline's share" }),
  closeDay: z.coerce
    .number({ invalid_type_error: "Enter a day from 1 to 28" })
    .int("Enter a whole number")
    .min(1, "A day from 1 to 28")
    .max(28, "A day from 1 to 28"),
  autoClose: z.boolean().optional(),
});
export type NetworkSettingsInput = z.infer<typeof networkSettingsSchema>;

/** The agents list's filters: bad values are ignored and said (they come from shareable URLs). */
export const agentFiltersSchema = z.object({
  q: lineText().max(100).optional(),
  status: z.enum(AGENT_STATUSES).optional(),
});
export type AgentFilterValues = z.infer<typeof agentFiltersSchema>;

const AGENT_FILTER_KEYS = ["q", "status"] as const;

/** The agents filters of a URL: the list page and its CSV read them the same way. */
export function agentFiltersFrom(params: URLSearchParams): { filters: AgentFilterValues; ignored: string[] } {
  return readFilters(agentFiltersSchema, params);
}

/** The query string of a filter set (for the CSV link). */
export function agentFiltersQuery(filters: AgentFilterValues): string {
  const params = new URLSearchParams();
  for (const key of AGENT_FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined && value !== "") params.set(key, value);
  }
  return params.toString();
}

import { z } from "zod";
import type { ClaimStatus } from "~db/schema";
import { lineText, multilineText } from "~/lib/text";
import { parseMoneyField } from "~/modules/commissions/admin-forms";
import { OPEN_CLAIM_STATUSES } from "./labels";

/**
 * The back office's claim forms and words (issue 12 item 4), browser-safe: the workbench validates
 * with the same schemas the server parses with. Amounts are typed in major units and become minor
 * units here; every text field goes through app/lib/text.ts.
 */

/** Statuses as staff read them (the claimant's words are labels.ts's). */
export const STAFF_STATUS_LABELS: Record<ClaimStatus, string> = {
  submitted: "Submitted",
  under_review: "Under review",
  documents_requested: "Documents requested",
  assessment_complete: "Assessed",
  approved: "Approved",
  rejected: "Rejected",
  appealed: "Appealed",
  settled: "Settled",
  withdrawn: "Withdrawn",
};

/**
 * The queue's open work: the claims still being decided (labels.ts's OPEN_CLAIM_STATUSES) and the
 * approved ones waiting to be settled.
 */
export const QUEUE_STATUSES: readonly ClaimStatus[] = [...OPEN_CLAIM_STATUSES, "approved"];

/** Statuses in which a claim's documents are still being looked at (reviewed one by one). */
export const REVIEWING_STATUSES: readonly ClaimStatus[] = ["submitted", "under_review", "documents_requested", "appealed"];

/**
 * Why a claim is rejected: one or more. The codes are those of the letters (reason-words.ts, where
 * the claimant's wording of each lives); these are the staff's short labels.
 */
export const REJECTION_REASONS = {
  not_covered: "Not covered by the policy",
  excluded: "Cause excluded by the policy",
  policy_not_in_force: "Policy not in force on the day",
  waiting_period: "Within the waiting period",
  limit_reached: "Benefit limit used up",
  below_excess: "Loss below the excess",
  missing_documents: "Documents not provided",
  late_notification: "Reported too late",
  pre_existing_condition: "Pre-existing condition",
  not_medically_necessary: "Not medically necessary",
  amount_not_supported: "Amount not supported by the documents",
  duplicate_claim: "Already claimed",
  misrepresentation: "Misrepresentation or suspected fraud",
} as const;

/** Why less than claimed is payable (a partial approval). */
export const PARTIAL_REASONS = {
  excess_applied: "Excess applied",
  depreciation: "Depreciation",
  sub_limit: "A sub-limit applies",
  limit_reached: "Benefit limit reached",
  not_all_covered: "Part of the claim is not covered",
  above_customary: "Charges above customary rates",
} as const;

export type RejectionReason = keyof typeof REJECTION_REASONS;
export type PartialReason = keyof typeof PARTIAL_REASONS;

export const CLAIM_REASON_LABELS: Record<string, string> = { ...REJECTION_REASONS, ...PARTIAL_REASONS };

export function reasonLabel(code: string): string {
  return CLAIM_REASON_LABELS[code] ?? code.replace(/_/g, " ");
}

export const SLA_STATES = ["on_time", "due_soon", "breached"] as const;
export type SlaState = (typeof SLA_STATES)[number];
export const SLA_LABELS: Record<SlaState, string> = { on_time: "On time", due_soon: "Due soon", breached: "Breached" };

const NOTE_MAX = 4000;
const MESSAGE_MAX = 2000;

const revision = z
  .number({ required_error: "Reload the page and try again.", invalid_type_error: "Reload the page and try again." })
  .int()
  .min(0);
const uuid = lineText("Choose one.").uuid("Choose one from the list.");
const code = lineText().regex(/^[a-z][a-z0-9_]{0,39}$/, "Choose one from the list.");

export const startReviewSchema = z.object({ intent: z.literal("start_review"), revision });

export const assignSchema = z.object({ intent: z.literal("assign"), revision, assessorId: uuid });
export const autoAssignSchema = z.object({ intent: z.literal("auto_assign"), revision });

export const noteSchema = z.object({
  intent: z.literal("note"),
  body: multilineText("Write the note.").trim().min(1, "Write the note.").max(NOTE_MAX, `Use at most ${NOTE_MAX} characters.`),
});

export const reviewDocumentSchema = z
  .object({
    intent: z.literal("review_document"),
    documentId: uuid,
    verdict: z.enum(["verified", "rejected"], { errorMap: () => ({ message: "Choose verified or rejected." }) }),
    note: multilineText().trim().max(1000, "Use at most 1,000 characters.").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.verdict === "rejected" && !v.note)
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say what is wrong with the document: the claimant reads it." });
  });

/** A document asked for by name, beyond the claim type's list: its code is its label in snake case. */
export function documentCode(label: string): string {
  const slug = label
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  return /^[a-z]/.test(slug) ? slug : `doc_${slug}`.slice(0, 40);
}

/**
 * Asking the claimant for more: a message, and the documents (ticked from the claim type's list,
 * and/or named one per line).
 */
export function requestDocumentsSchema(known: readonly { code: string; label: string }[]) {
  return z
    .object({
      intent: z.literal("request_documents"),
      revision,
      // Checked with the documents below, so an empty request is told everything it lacks at once.
      message: multilineText().trim().max(MESSAGE_MAX, `Use at most ${MESSAGE_MAX} characters.`).default(""),
      documents: z.array(code).max(30).default([]),
      otherDocuments: multilineText().max(1000, "Use at most 1,000 characters.").optional(),
    })
    .transform((v, ctx) => {
      const asked = new Map<string, string>();
      for (const c of v.documents) {
        const found = known.find((k) => k.code === c);
        if (!found) ctx.addIssue({ code: "custom", path: ["documents"], message: "Choose documents from the list." });
        else asked.set(found.code, found.label);
      }
      for (const line of (v.otherDocuments ?? "").split(/\r?\n/)) {
        const label = line.trim();
        if (!label) continue;
        if (label.length > 120)
          ctx.addIssue({ code: "custom", path: ["otherDocuments"], message: "Name each document in at most 120 characters." });
        else if (!/[a-z0-9]/i.test(label))
          ctx.addIssue({ code: "custom", path: ["otherDocuments"], message: "Name each document in words, one per line." });
        else asked.set(documentCode(label), label);
      }
      if (!v.message) ctx.addIssue({ code: "custom", path: ["message"], message: "Write what you need and why." });
      if (asked.size === 0) ctx.addIssue({ code: "custom", path: ["documents"], message: "Choose or name at least one document." });
      return { message: v.message, revision: v.revision, documents: [...asked].map(([c, label]) => ({ code: c, label })) };
    });
}

export interface AssessmentInput {
  revision: number;
  recommendation: "approve" | "reject";
  /** approve: what the loss is worth, the excess and what is paid (approved − excess > 0); reject: null. */
  approvedMinor: number | null;
  excessMinor: number | null;
  payableMinor: number | null;
  reasonCodes: string[];
  notes: string | null;
}

/**
 * The assessment: approve (the amount, less the excess, with a reason when less than claimed is
 * payable) or reject (with the reasons). What the benefit left allows is checked on the server.
 */
export function assessmentSchema(currency: string, claimedMinor: number) {
  return z
    .object({
      intent: z.literal("assess"),
      revision,
      recommendation: z.enum(["approve", "reject"], { errorMap: () => ({ message: "Choose approve or reject." }) }),
      approvedAmount: lineText().max(40).optional(),
      excess: lineText().max(40).optional(),
      reasonCodes: z.array(code).max(20).default([]),
      notes: multilineText().trim().max(NOTE_MAX, `Use at most ${NOTE_MAX} characters.`).optional(),
    })
    .transform((v, ctx): AssessmentInput => {
      const common = { revision: v.revision, reasonCodes: v.reasonCodes, notes: v.notes ? v.notes : null };
      if (v.recommendation === "reject") {
        if (v.reasonCodes.length === 0) ctx.addIssue({ code: "custom", path: ["reasonCodes"], message: "Choose at least one reason." });
        if (v.reasonCodes.some((c) => !Object.hasOwn(REJECTION_REASONS, c)))
          ctx.addIssue({ code: "custom", path: ["reasonCodes"], message: "Choose reasons for a rejection from the list." });
        return { ...common, recommendation: "reject", approvedMinor: null, excessMinor: null, payableMinor: null };
      }
      const approved = money(v.approvedAmount, currency, "The approved amount", ctx, "approvedAmount");
      const excess = v.excess ? money(v.excess, currency, "The excess", ctx, "excess") : 0;
      if (approved !== null) {
        if (approved <= 0)
          ctx.addIssue({ code: "custom", path: ["approvedAmount"], message: "Approve more than zero, or recommend a rejection." });
        else if (approved > claimedMinor)
          ctx.addIssue({ code: "custom", path: ["approvedAmount"], message: "This is more than was claimed." });
      }
      if (approved !== null && excess !== null && approved > 0 && excess >= approved)
        ctx.addIssue({
          code: "custom",
          path: ["excess"],
          message: "Nothing would be payable after this excess: recommend a rejection (below the excess) instead.",
        });
      const payable = approved !== null && excess !== null ? approved - excess : null;
      if (v.reasonCodes.some((c) => !Object.hasOwn(PARTIAL_REASONS, c)))
        ctx.addIssue({ code: "custom", path: ["reasonCodes"], message: "Choose reasons for a partial approval from the list." });
      else if (payable !== null && payable < claimedMinor && v.reasonCodes.length === 0)
        ctx.addIssue({ code: "custom", path: ["reasonCodes"], message: "Say why less than claimed is payable." });
      return { ...common, recommendation: "approve", approvedMinor: approved, excessMinor: excess, payableMinor: payable };
    });
}

function money(text: string | undefined, currency: string, what: string, ctx: z.RefinementCtx, path: string): number | null {
  if (!text) {
    ctx.addIssue({ code: "custom", path: [path], message: `Enter ${what.toLowerCase().replace(/^the /, "the ")} (${currency}).` });
    return null;
  }
  const parsed = parseMoneyField(text, currency, what);
  if (parsed.ok) return parsed.minor;
  ctx.addIssue({ code: "custom", path: [path], message: parsed.message });
  return null;
}

export const approveSchema = z.object({
  intent: z.literal("approve"),
  revision,
  note: multilineText().trim().max(MESSAGE_MAX, `Use at most ${MESSAGE_MAX} characters.`).optional(),
});

export const rejectSchema = z.object({
  intent: z.literal("reject"),
  revision,
  reasonCodes: z
    .array(code)
    .min(1, "Choose at least one reason.")
    .max(20)
    .refine((codes) => codes.every((c) => Object.hasOwn(REJECTION_REASONS, c)), "Choose reasons from the list."),
  note: multilineText("Write to the claimant why the claim is rejected.")
    .trim()
    .min(1, "Write to the claimant why the claim is rejected.")
    .max(MESSAGE_MAX, `Use at most ${MESSAGE_MAX} characters.`),
});

/** The tenant's claim rules as the settings form sends them (the four-eyes amount in major units). */
export function claimSettingsSchema(currency: string) {
  const days = (max: number, what: string) =>
    z
      .number({ required_error: `Enter ${what} (0 to ${max}).`, invalid_type_error: `Enter ${what} as a whole number (0 to ${max}).` })
      .int(`Enter ${what} as a whole number (0 to ${max}).`)
      .min(0, `Enter ${what} as a whole number (0 to ${max}).`)
      .max(max, `At most ${max} days.`);
  return z
    .object({
      fourEyes: lineText(`Enter the amount above which two people must approve (${currency}).`)
        .max(40)
        .transform((text, ctx) => {
          const parsed = parseMoneyField(text, currency, "The four-eyes amount");
          if (parsed.ok) return parsed.minor;
          ctx.addIssue({ code: "custom", message: parsed.message });
          return z.NEVER;
        }),
      appealDays: days(365, "the days to appeal"),
      graceCoverDays: days(90, "the days of cover in grace"),
      autoAssign: z.boolean().default(false),
    })
    .transform((v) => ({
      fourEyesMinor: v.fourEyes,
      appealDays: v.appealDays,
      graceCoverDays: v.graceCoverDays,
      autoAssign: v.autoAssign,
    }));
}

/** A span of time as staff read it on a queue: "45 min", "5 h", "48 h", "3 d 4 h" (SLAs are set in hours). */
export function spanText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 72) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} d ${rest} h` : `${days} d`;
}

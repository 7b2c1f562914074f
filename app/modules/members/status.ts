import { z } from "zod";
import type { MemberStatus } from "~db/schema";
import { lineText, multilineText } from "~/lib/text";
import { MEMBER_EVENTS, type MemberEvent } from "~/modules/workflows/member";

/**
 * A member's status changes (decision 035), browser-safe: the reasons offered for each action, what
 * each action does in words, and the form's schema. The server parses with the same schema.
 */

export const MEMBER_STATUS_FILTERS = ["active", "suspended", "terminated", "pending"] as const satisfies readonly MemberStatus[];

/** The reasons offered per action; "other" needs the text. The member is told the reason. */
export const MEMBER_REASONS: Record<MemberEvent, readonly { value: string; label: string }[]> = {
  activate: [
    { value: "verified", label: "Details verified" },
    { value: "other", label: "Other" },
  ],
  suspend: [
    { value: "unpaid", label: "Premiums unpaid" },
    { value: "investigation", label: "Under investigation" },
    { value: "verification", label: "Identity or documents to be verified" },
    { value: "member_request", label: "The member asked for it" },
    { value: "other", label: "Other" },
  ],
  reinstate: [
    { value: "resolved", label: "The matter is resolved" },
    { value: "paid", label: "Arrears paid" },
    { value: "verified", label: "Identity or documents verified" },
    { value: "mistake", label: "Suspended by mistake" },
    { value: "other", label: "Other" },
  ],
  terminate: [
    { value: "member_request", label: "The member asked to leave" },
    { value: "deceased", label: "The member has died" },
    { value: "fraud", label: "Fraud or misrepresentation" },
    { value: "moved_agency", label: "Moved to another agency" },
    { value: "other", label: "Other" },
  ],
};

export const MEMBER_EVENT_LABELS: Record<MemberEvent, { label: string; done: string; danger: boolean; explain: string }> = {
  activate: { label: "Activate", done: "activated", danger: false, explain: "The member becomes active." },
  suspend: {
    label: "Suspend",
    done: "suspended",
    danger: true,
    explain:
      "No new policy can be sold to the member and no new claim filed until they are reinstated. Their policies stay in force: instalments still fall due and claims already filed go on.",
  },
  reinstate: {
    label: "Reinstate",
    done: "reinstated",
    danger: false,
    explain: "The member is active again: new policies and claims are possible, including for incidents while suspended.",
  },
  terminate: {
    label: "Terminate",
    done: "terminated",
    danger: true,
    explain:
      "For good: the member can no longer sign in (unless they also work for the agency), nothing new can be sold or claimed. Policies are NOT cancelled: staff cancel each one separately.",
  },
};

export const MEMBER_REASON_MAX = 500;

const events = MEMBER_EVENTS as unknown as [MemberEvent, ...MemberEvent[]];

/** The status form: the action, a reason from the list, and text (required for "other"). */
export const memberStatusSchema = z
  .object({
    event: z.enum(events, { errorMap: () => ({ message: "Choose an action" }) }),
    reasonCode: lineText("Choose a reason").max(40),
    reasonText: multilineText().trim().max(MEMBER_REASON_MAX, `Keep the reason under ${MEMBER_REASON_MAX} characters`).optional(),
  })
  .superRefine((value, ctx) => {
    if (!MEMBER_REASONS[value.event].some((r) => r.value === value.reasonCode))
      ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "Choose a reason from the list" });
    else if (value.reasonCode === "other" && !value.reasonText)
      ctx.addIssue({ code: "custom", path: ["reasonText"], message: "Say what the reason is" });
  });

export type MemberStatusInput = z.output<typeof memberStatusSchema>;

/** The reason as the member, the timeline and the audit read it: the list's words, then the text. */
export function reasonWords(event: MemberEvent, code: string, text?: string | null): string {
  const label = MEMBER_REASONS[event].find((r) => r.value === code)?.label ?? code;
  const detail = text?.trim();
  if (!detail) return label;
  return code === "other" ? detail : `${label}: ${detail}`;
}

/** Why a member cannot buy or claim now (null when they can), in words for the agent, staff or the member. */
export function memberStandingMessage(status: MemberStatus, doing: "sell" | "claim"): string | null {
  const what = doing === "sell" ? "sold a new policy" : "file a new claim";
  switch (status) {
    case "active":
      return null;
    case "pending":
      return doing === "sell"
        ? "This member is not active yet, so they cannot be sold a new policy."
        : "The membership is not active yet, so no new claim can be filed.";
    case "suspended":
      return doing === "sell"
        ? `This member is suspended: they cannot be ${what} until the agency reinstates them.`
        : "The membership is suspended: no new claim can be filed until the agency reinstates it. Claims already filed go on.";
    case "terminated":
      return doing === "sell"
        ? `This member's membership has ended: they cannot be ${what}.`
        : "The membership has ended: no new claim can be filed. Contact the agency.";
  }
}

import { z } from "zod";
import { multilineText } from "~/lib/text";

/** The underwriting decision forms, shared by the server and the browser (no server code here). */
export const DECLINE_REASON_MAX = 500;

const reasonRequired = "Give the reason for declining: the customer is told it.";

export const declineFormSchema = z.object({
  reason: multilineText(reasonRequired)
    .trim()
    .min(1, reasonRequired)
    .max(DECLINE_REASON_MAX, `Keep the reason under ${DECLINE_REASON_MAX} characters.`),
});

const noteRequired = "Say why you refer it: the next person reads it.";

/** Referring a case to the next stage of the underwriting workflow (a senior's review, say). */
export const referFormSchema = z.object({
  note: multilineText(noteRequired)
    .trim()
    .min(1, noteRequired)
    .max(DECLINE_REASON_MAX, `Keep the note under ${DECLINE_REASON_MAX} characters.`),
});

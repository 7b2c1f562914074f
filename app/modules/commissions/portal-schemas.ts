import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";

/** The agent portal's dispute forms (browser-safe: validated on the server and, with JavaScript, as you type). */
export const DISPUTE_TEXT_MAX = 4000;

export const openDisputeSchema = z.object({
  entryId: lineText("Choose the commission entry to dispute").uuid("Choose the commission entry to dispute"),
  reason: multilineText("Say what is wrong with this commission")
    .trim()
    .min(5, "Say what is wrong with this commission (at least a few words)")
    .max(DISPUTE_TEXT_MAX, `Keep it under ${DISPUTE_TEXT_MAX.toLocaleString("en")} characters`),
});

export const disputeReplySchema = z.object({
  body: multilineText("Write a message")
    .trim()
    .min(1, "Write a message")
    .max(DISPUTE_TEXT_MAX, `Keep a message under ${DISPUTE_TEXT_MAX.toLocaleString("en")} characters`),
});

import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";

/**
 * The back office's payment forms, shared by the server and the browser (no server code here).
 * Presence and length only: the refund amount is parsed exactly, and checked against what is left
 * to refund, on the server (transaction-detail.server.ts checkRefund).
 */
export const REFUND_REASON_MAX = 500;

export const refundFormSchema = z.object({
  amount: lineText().max(40, "Enter an amount such as 1500 or 1,500.50.").optional(),
  reason: multilineText().trim().max(REFUND_REASON_MAX, `Keep the reason under ${REFUND_REASON_MAX} characters.`).optional(),
});

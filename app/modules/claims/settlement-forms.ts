import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { bankAccountSchema } from "~/modules/pii/identifiers";
import type { SettlementMethodName, SettlementState } from "~/modules/workflows/settlement";

/**
 * The settlement page's forms (browser-safe: the page validates with the same schemas). One form
 * per thing staff do, told apart by `intent`.
 */
export const SETTLEMENT_INTENTS = [
  "pay_mpesa",
  "pay_sandbox",
  "pay_bank",
  "record_manual",
  "confirm_paid",
  "mark_failed",
  "cancel",
] as const;
export type SettlementIntent = (typeof SETTLEMENT_INTENTS)[number];

const reference = lineText("Enter the payment's reference.")
  .min(1, "Enter the payment's reference.")
  .max(100, "Use at most 100 characters.");
const reason = multilineText("Say why.")
  .refine((v) => v.trim() !== "", "Say why.")
  .refine((v) => v.length <= 1000, "Use at most 1,000 characters.");

export const payMpesaSchema = z.object({
  phone: lineText("Enter the M-Pesa number to pay.").transform((value, ctx) => {
    const phone = normaliseKenyanPhone(value);
    if (!phone.ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: phone.message });
      return z.NEVER;
    }
    return phone.phone;
  }),
});

export const payBankSchema = z.object({
  payeeName: lineText("Enter the account holder's name.")
    .min(1, "Enter the account holder's name.")
    .max(140, "Use at most 140 characters."),
  bank: lineText("Enter the bank and branch.").min(2, "Enter the bank and branch.").max(140, "Use at most 140 characters."),
  account: bankAccountSchema,
});

export const recordManualSchema = z.object({ reference, note: multilineText().max(1000, "Use at most 1,000 characters.").optional() });
export const confirmPaidSchema = z.object({ reference });
export const reasonSchema = z.object({ reason });

export const SETTLEMENT_STATUS_LABELS: Record<SettlementState, string> = {
  pending: "Waiting to be paid",
  processing: "Being paid",
  paid: "Paid",
  failed: "Payment failed",
  cancelled: "Cancelled",
};

export const SETTLEMENT_METHOD_LABELS: Record<SettlementMethodName, string> = {
  mpesa_b2c: "M-Pesa (B2C)",
  bank_transfer: "Bank transfer",
  manual: "Paid elsewhere (cheque, EFT)",
  sandbox: "Sandbox",
};

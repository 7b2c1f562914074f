import { z } from "zod";
import type { BankFileFormat } from "~db/schema";
import { lineText } from "~/lib/text";
import { normaliseNric, nricProblem } from "~/modules/pii/identifiers";

/** The bulk-payment formats an agency can choose (migration 0029). No server code here: the form uses it too. */
export const BANK_FILE_FORMATS = ["maybank2u_biz", "cimb_bizchannel"] as const satisfies readonly BankFileFormat[];

/** The bank-file part of the network settings: all three or none (no file until the agency says which bank). */
export const bankFileSettingsSchema = z
  .object({
    intent: z.literal("bankFile"),
    bankFileFormat: z.enum(BANK_FILE_FORMATS).optional(),
    payerName: lineText().max(40, "At most 40 characters: the bank's field is that wide").optional(),
    payerAccount: lineText()
      .transform((v) => v.replace(/[\s-]/g, ""))
      .refine((v) => /^\d{10,16}$/.test(v), "An account number of 10 to 16 digits (spaces and dashes are fine)")
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.bankFileFormat) return;
    if (!v.payerName) ctx.addIssue({ code: "custom", path: ["payerName"], message: "Enter the name the bank file pays from" });
    if (!v.payerAccount) ctx.addIssue({ code: "custom", path: ["payerAccount"], message: "Enter the account the bank debits" });
  });
export type BankFileSettingsInput = z.infer<typeof bankFileSettingsSchema>;

/** How an agent may ask to be paid by DuitNow instead of their account number ("none": by account). */
export const DUITNOW_CHOICES = ["none", "mobile", "nric"] as const;

/** "012-345 6789", "+60 12 345 6789", "60123456789" → "60123456789" (PayNet's form of a mobile proxy), or null. */
export function duitNowMobile(raw: string): string | null {
  const digits = raw.replace(/[\s\-()]/g, "").replace(/^\+/, "");
  const national = digits.startsWith("60") ? digits.slice(1) : digits;
  return /^01\d{8,9}$/.test(national) ? `6${national}` : null;
}

/** The agent's DuitNow choice on their profile; the number is checked here and again when the file is written. */
export const duitNowSchema = z
  .object({
    proxyType: z.enum(DUITNOW_CHOICES, { required_error: "Choose how DuitNow pays you" }),
    proxy: lineText().max(20, "Use at most 20 characters").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.proxyType === "none") return;
    const issue = (message: string) => ctx.addIssue({ code: "custom", path: ["proxy"], message });
    if (!v.proxy) return issue("Enter the number registered with DuitNow");
    if (v.proxyType === "mobile" && !duitNowMobile(v.proxy)) return issue("Enter a Malaysian mobile number, like 012-345 6789");
    if (v.proxyType === "nric") {
      const problem = nricProblem(normaliseNric(v.proxy));
      if (problem) issue(problem);
    }
  });

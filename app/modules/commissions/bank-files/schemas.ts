import { z } from "zod";
import type { BankFileFormat } from "~db/schema";
import { lineText } from "~/lib/text";

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

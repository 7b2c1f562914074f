import { z } from "zod";
import { lineText, multilineText } from "~/lib/text";

/**
 * The change-of-cover form's own fields (browser-safe). The rating inputs beside them are checked
 * by the product's rating declaration (`priceChange`), not here.
 */
export const changeFormSchema = z.object({
  intent: z.enum(["price", "confirm"]).default("price"),
  effectiveDate: lineText("Enter the date the change takes effect.").regex(
    /^\d{4}-\d{2}-\d{2}$/,
    "Enter the date the change takes effect, like 2026-12-31.",
  ),
  /** The additional (+) or returned (−) premium the customer saw: confirming a different one shows the new price first. */
  quotedDeltaMinor: z.coerce.number().int().optional(),
  reason: multilineText().max(500, "Keep the reason under 500 characters.").optional(),
});
export type ChangeForm = z.infer<typeof changeFormSchema>;

/** The form's own keys, left out when the rest is read as rating inputs. */
export const CHANGE_FORM_KEYS = ["intent", "effectiveDate", "quotedDeltaMinor", "reason"] as const;

/** Reversal of the latest change, and withdrawal of a change waiting for payment: a reason is required. */
export const reasonSchema = z.object({
  reason: multilineText("Give a reason: the customer sees it on the policy's history.")
    .trim()
    .min(1, "Give a reason: the customer sees it on the policy's history.")
    .max(500, "Keep the reason under 500 characters."),
});

/** Reinstating a lapsed policy: why, and the money received for its arrears (when any are owed). */
export const reinstateFormSchema = z.object({
  reason: multilineText("Give a reason for reinstating the policy.")
    .trim()
    .min(1, "Give a reason for reinstating the policy.")
    .max(500, "Keep the reason under 500 characters."),
  method: z.enum(["cash", "bank_transfer"], { invalid_type_error: "Choose how the arrears were received" }).optional(),
  reference: lineText().max(80, "Keep the reference under 80 characters.").optional(),
});

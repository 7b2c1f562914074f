import { z } from "zod";
import { lineText, secretText } from "~/lib/text";
import { emailSchema } from "~/modules/auth/schemas";
import { phoneCodeSchema, phoneSchema } from "~/modules/network/agent-schemas";
import { identifierSchema } from "~/modules/pii/identifiers";

/** The profile page's forms (browser-safe: the page validates with them too). */

export const nameSchema = z.object({
  name: lineText("Enter your full name").min(2, "Enter your full name").max(120, "Use at most 120 characters"),
});

export const sendPhoneCodeSchema = z.object({ phone: phoneSchema });
export { phoneCodeSchema };

export const emailChangeSchema = z.object({
  newEmail: emailSchema,
  password: secretText("Enter your current password"),
});

/** Every number is re-entered in full to change it; an empty box keeps the stored one. */
export const identifiersSchema = z
  .object({
    national_id: identifierSchema("national_id").optional(),
    kra_pin: identifierSchema("kra_pin").optional(),
    nric: identifierSchema("nric").optional(),
  })
  .refine((v) => Boolean(v.national_id || v.kra_pin || v.nric), { message: "Enter the number you want to change." });

export const emailChangeTokenSchema = z.object({
  token: lineText("This link is not complete.").regex(/^[A-Za-z0-9_-]{20,100}$/, "This link is not complete."),
  action: z.enum(["confirm", "cancel"]),
});

import { z } from "zod";
import { lineText, secretText } from "~/lib/text";

/**
 * The forms of two-factor sign-in (decision 033), shared by the account page, the console's and
 * the sign-in step. Browser-safe: nothing here imports server code.
 */

/** A six-digit code from the app, or a recovery code (`xxxx-xxxx-xxxx-xxxx`), as typed. */
const code = (required: string) => lineText(required).min(1, required).max(64, "That is not a code: enter the 6 digits your app shows.");

export const signInCodeSchema = z.object({ code: code("Enter the code from your authenticator app, or a recovery code") });

export const twoFactorFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({ intent: z.literal("confirm"), code: code("Enter the 6-digit code your app shows") }),
  z.object({
    intent: z.literal("disable"),
    code: code("Enter a code from your app, or a recovery code"),
    password: secretText("Enter your password"),
  }),
  z.object({ intent: z.literal("regenerate"), code: code("Enter the 6-digit code your app shows") }),
]);

export type TwoFactorIntent = z.infer<typeof twoFactorFormSchema>["intent"];

/** Tenant and platform settings: one tick box. */
export const requireTwoFactorSchema = z.object({ required: z.literal("on").optional() });

/** What a two-factor form's action answers: errors by field (`form` for the page), or the recovery codes to show once. */
export interface TwoFactorReply {
  intent: TwoFactorIntent;
  errors?: Record<string, string[]>;
  recoveryCodes?: string[];
}

const INTENTS: readonly string[] = twoFactorFormSchema.options.map((option) => option.shape.intent.value);

/** Parses a posted two-factor form; a bad one comes back as the reply to show, never a throw. */
export function parseTwoFactorForm(
  form: FormData,
): { ok: true; data: z.infer<typeof twoFactorFormSchema> } | { ok: false; reply: TwoFactorReply } {
  const parsed = twoFactorFormSchema.safeParse(Object.fromEntries(form));
  if (parsed.success) return { ok: true, data: parsed.data };
  const sent = form.get("intent");
  const intent = (typeof sent === "string" && INTENTS.includes(sent) ? sent : "start") as TwoFactorIntent;
  const flat = parsed.error.flatten();
  const { intent: badIntent, ...fieldErrors } = flat.fieldErrors as Record<string, string[] | undefined>;
  const formErrors = [...flat.formErrors, ...(badIntent ? ["That form is out of date. Reload the page and try again."] : [])];
  const errors: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fieldErrors)) if (messages?.length) errors[key] = messages;
  if (formErrors.length) errors.form = formErrors;
  return { ok: false, reply: { intent, errors } };
}

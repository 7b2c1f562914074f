import { z } from "zod";
import { lineText } from "~/lib/text";

/** The forms of /account/payment-methods (decision 029): browser-safe, shared by the page and its action. */
const id = (message: string) => lineText(message).uuid(message);

export const makeDefaultSchema = z.object({ intent: z.literal("default"), methodId: id("Choose a saved card.") });

export const autoDebitSchema = z.object({
  intent: z.literal("autodebit"),
  policyId: id("Choose a policy."),
  // "" is off.
  methodId: z.union([z.literal(""), id("Choose one of your saved cards, or Off.")]),
});

export const paymentMethodsActionSchema = z.discriminatedUnion("intent", [makeDefaultSchema, autoDebitSchema]);

import { z } from "zod";
import { lineText, secretText } from "~/lib/text";

/** The words a person types to confirm closing their account (browser-safe: the form checks them too). */
export const CLOSE_CONFIRMATION = "close my account";

export const closeAccountSchema = z.object({
  password: secretText("Enter your password"),
  confirmation: lineText(`Type “${CLOSE_CONFIRMATION}” to confirm`).refine(
    (value) => value.trim().toLowerCase() === CLOSE_CONFIRMATION,
    `Type “${CLOSE_CONFIRMATION}” exactly, to confirm`,
  ),
});

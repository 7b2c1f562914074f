import { z } from "zod";
import { lineText, secretText } from "~/lib/text";

/**
 * Form schemas shared by the server (which decides) and the browser (which only helps while
 * typing). Nothing here may import server code: a route component uses these in the client
 * bundle, where `*.server.ts` modules are empty.
 */

export const emailSchema = lineText("Enter your email")
  .toLowerCase()
  .max(254, "Use at most 254 characters")
  .email("Enter a valid email, like name@example.com");

/** Password rules from the agencies' plans: 8+ characters, a number and a special character. */
export const newPasswordSchema = secretText("Enter a password")
  .min(8, "Use at least 8 characters")
  .max(200, "Use at most 200 characters")
  .regex(/\d/, "Include at least one number")
  .regex(/[^A-Za-z0-9]/, "Include at least one special character, such as ! or #");

export const PASSWORD_RULES_HINT = "At least 8 characters, with a number and a special character such as ! or #.";

export const signInSchema = z.object({
  email: lineText("Enter your email").toLowerCase().email("Enter a valid email"),
  password: secretText("Enter your password"),
  // A target that is not one line of text is dropped (the default page), never a refused sign-in.
  redirectTo: lineText().optional().catch(undefined),
});

import { z } from "zod";

/**
 * Form schemas shared by the server (which decides) and the browser (which only helps while
 * typing). Nothing here may import server code: a route component uses these in the client
 * bundle, where `*.server.ts` modules are empty.
 */

export const emailSchema = z
  .string({ required_error: "Enter your email" })
  .trim()
  .toLowerCase()
  .max(254, "Use at most 254 characters")
  .email("Enter a valid email, like name@example.com");

/** Password rules from the agencies' plans: 8+ characters, a number and a special character. */
export const newPasswordSchema = z
  .string({ required_error: "Enter a password" })
  .min(8, "Use at least 8 characters")
  .max(200, "Use at most 200 characters")
  .regex(/\d/, "Include at least one number")
  .regex(/[^A-Za-z0-9]/, "Include at least one special character, such as ! or #");

export const PASSWORD_RULES_HINT = "At least 8 characters, with a number and a special character such as ! or #.";

export const signInSchema = z.object({
  email: z.string({ required_error: "Enter your email" }).trim().toLowerCase().email("Enter a valid email"),
  password: z.string({ required_error: "Enter your password" }),
  redirectTo: z.string().optional(),
});

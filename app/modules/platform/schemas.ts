import { z } from "zod";
import { newPasswordSchema } from "~/modules/auth/schemas";
import { SLUG_PATTERN, localeSchema, timeZoneSchema } from "~/modules/tenancy/manifest";
import { lineText, multilineText, secretText } from "~/lib/text";

/**
 * The operator console's form schemas, shared by the server (which decides) and the browser
 * (which only helps while typing). Nothing here may import server code: route components use these
 * in the client bundle, where `*.server.ts` modules are empty.
 */

// Hosts the platform itself uses can never be an agency's slug.
export const RESERVED_SLUGS = new Set(["www", "api", "admin", "console", "app", "platform", "covera", "mail", "static", "assets"]);

/** The choices the onboarding form offers; the schema accepts any real code, zone or locale. */
export const CURRENCY_CHOICES = ["KES", "MYR", "USD", "UGX", "TZS", "NGN", "GHS", "ZAR", "SGD", "IDR", "PHP", "GBP", "EUR"] as const;
export const LOCALE_CHOICES = ["en-KE", "sw-KE", "en-MY", "ms-MY", "en-SG", "en-NG", "en-ZA", "en-GB", "en-US"] as const;
export const TIME_ZONE_CHOICES = [
  "Africa/Nairobi",
  "Africa/Kampala",
  "Africa/Dar_es_Salaam",
  "Africa/Lagos",
  "Africa/Accra",
  "Africa/Johannesburg",
  "Asia/Kuala_Lumpur",
  "Asia/Singapore",
  "Asia/Jakarta",
  "Asia/Manila",
  "Europe/London",
  "Europe/Berlin",
  "America/New_York",
] as const;

function isCurrencyCode(code: string): boolean {
  // The ISO 4217 list as this runtime knows it; the fixed list keeps older runtimes working.
  const known: readonly string[] =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : (CURRENCY_CHOICES as readonly string[]);
  return known.includes(code);
}

const requiredText = (message: string) => lineText(message);

export const onboardingSchema = z.object({
  slug: requiredText("Choose the agency's web address")
    .toLowerCase()
    .regex(SLUG_PATTERN, "Use 3–40 lowercase letters, digits or dashes, starting with a letter and not ending with a dash")
    .refine((s) => !RESERVED_SLUGS.has(s), "This address is reserved for Covera; choose another"),
  name: requiredText("Enter the agency's name").min(2, "Use at least 2 characters").max(120, "Use at most 120 characters"),
  currency: requiredText("Choose a currency")
    .toUpperCase()
    .refine((c) => /^[A-Z]{3}$/.test(c) && isCurrencyCode(c), "Choose a currency by its ISO 4217 code, like KES"),
  locale: lineText("Choose a language and region").pipe(localeSchema),
  timeZone: lineText("Choose a time zone").pipe(timeZoneSchema),
  // Checkboxes: a ticked box posts "on" (conform makes it true), an unticked one posts nothing.
  // So the default must be false, or unticking a box would change nothing.
  marketplace: z.boolean().default(false),
  agentNetwork: z.boolean().default(false),
  adminName: requiredText("Enter the first administrator's name")
    .min(2, "Use at least 2 characters")
    .max(120, "Use at most 120 characters"),
  adminEmail: requiredText("Enter the first administrator's email")
    .toLowerCase()
    .max(254, "Use at most 254 characters")
    .email("Enter a valid email, like name@example.com"),
});
export type Onboarding = z.infer<typeof onboardingSchema>;

const colour = (label: string) =>
  lineText(`Choose the ${label} colour`).regex(/^#[0-9a-fA-F]{6}$/, `Use a colour like #0a4d68 for the ${label} colour`);

export const BRAND_COLOURS = [
  { key: "primary", label: "Primary", hint: "Header and main buttons" },
  { key: "primaryContrast", label: "Text on primary", hint: "Readable on the primary colour" },
  { key: "accent", label: "Accent", hint: "Highlights and focus rings" },
  { key: "surface", label: "Page background", hint: "Behind the cards" },
  { key: "text", label: "Body text", hint: "Readable on the page background" },
] as const;

export const brandingFormSchema = z.object({
  name: requiredText("Enter the agency's name").min(2, "Use at least 2 characters").max(120, "Use at most 120 characters"),
  tagline: lineText().max(160, "Use at most 160 characters").optional(),
  logoUrl: lineText()
    .max(500, "Use at most 500 characters")
    .refine(
      (v) => (v.startsWith("/") && !v.startsWith("//")) || /^https:\/\/[^\s]+$/.test(v),
      "Use a path like /tenants/acme/logo.svg or an https:// address",
    )
    .optional(),
  primary: colour("primary"),
  primaryContrast: colour("text on primary"),
  accent: colour("accent"),
  surface: colour("page background"),
  text: colour("body text"),
  contactEmail: lineText().toLowerCase().email("Enter a valid email, like help@agency.com").optional(),
  contactPhone: lineText().max(40, "Use at most 40 characters").optional(),
  contactAddress: multilineText().trim().max(200, "Use at most 200 characters").optional(),
});
export type BrandingForm = z.infer<typeof brandingFormSchema>;

export const suspendSchema = z.object({
  reason: multilineText("Say why the agency is suspended; the audit logs keep it")
    .trim()
    .max(500, "Use at most 500 characters")
    .superRefine((reason, ctx) => {
      if (reason.length === 0) ctx.addIssue({ code: "custom", message: "Say why the agency is suspended; the audit logs keep it" });
      else if (reason.length < 3) ctx.addIssue({ code: "custom", message: "Use at least 3 characters" });
    }),
});

/** Operators change their own password: the current one, and a new one typed twice. */
export const operatorPasswordSchema = z
  .object({
    currentPassword: secretText("Enter your current password"),
    newPassword: newPasswordSchema,
    confirmPassword: secretText("Type the new password again"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two passwords do not match" })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one",
  });

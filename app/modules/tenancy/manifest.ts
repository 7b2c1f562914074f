import { z } from "zod";
import { LANGUAGES } from "~/lib/languages";
import { lineText, secretText } from "~/lib/text";

/**
 * One schema for every agency's manifest (`tenants/<slug>/manifest.json`). The catalogue, rating
 * and commission sections are the agency's data; later capabilities validate their own parts.
 */
const hexColour = lineText().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #0a4d68");

export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
export const ROLES = ["customer", "agent", "staff", "assessor", "claims_manager", "underwriter", "admin"] as const;

export const currencySchema = lineText().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code like KES");
export const localeSchema = lineText().refine(isLocale, "must be a locale like en-KE");
export const timeZoneSchema = lineText().refine(isTimeZone, "must be an IANA time zone like Africa/Nairobi");

export const brandingSchema = z.object({
  logoUrl: lineText().optional(),
  tagline: lineText().max(160).optional(),
  colors: z.object({
    primary: hexColour,
    primaryContrast: hexColour,
    accent: hexColour,
    surface: hexColour,
    text: hexColour,
  }),
});

export const contactSchema = z.object({
  email: lineText().email().optional(),
  phone: lineText().optional(),
  whatsapp: lineText().optional(),
  address: lineText().optional(),
  licence: lineText().optional(),
});

export const featuresSchema = z.object({
  marketplace: z.boolean(),
  agentNetwork: z.boolean(),
});

export const manifestSchema = z.object({
  slug: lineText().regex(SLUG_PATTERN, "lowercase letters, digits and dashes"),
  name: lineText().min(2).max(120),
  currency: currencySchema,
  locale: localeSchema,
  timeZone: timeZoneSchema,
  // The languages the tenant offers and a visitor's default (issue 14).
  languages: z.array(z.enum(LANGUAGES)).min(1).default(["en"]),
  defaultLanguage: z.enum(LANGUAGES).default("en"),
  domains: z.array(lineText().toLowerCase()).default([]),
  features: featuresSchema,
  branding: brandingSchema,
  contact: contactSchema,
  // Prefixes for people-facing numbers, e.g. BWM → BWM-POL-2026-000123.
  numbering: z.object({ prefix: lineText().regex(/^[A-Z]{2,5}$/) }),
  demoUsers: z
    .array(z.object({ email: lineText().email(), name: lineText(), password: secretText(), roles: z.array(z.enum(ROLES)).min(1) }))
    .default([]),
  // Filled by later capabilities (catalogue, rating rules, commission rules, templates).
  catalogue: z.unknown().optional(),
  rating: z.unknown().optional(),
  commissions: z.unknown().optional(),
  templates: z.unknown().optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** The default language must be one the tenant offers. */
export const checkedManifestSchema = manifestSchema.refine((m) => m.languages.includes(m.defaultLanguage), {
  message: "defaultLanguage must be one of languages",
  path: ["defaultLanguage"],
});

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1 && /^[a-z]{2}-[A-Z]{2}$/.test(value);
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.includes("/");
  } catch {
    return false;
  }
}

import type { Language } from "~db/schema";

/**
 * The languages Covera speaks (issue 14): English everywhere, Swahili for Bowman's Kenya,
 * Malay for KHHoldings' Malaysia. A tenant offers some of them; a person picks one of those.
 */
export const LANGUAGES = ["en", "sw", "ms"] as const satisfies readonly Language[];

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", sw: "Kiswahili", ms: "Bahasa Melayu" };

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The Intl locale for a person's language in a tenant's country: numbers, money and dates
 * follow the language and the country ("sw" in "en-KE" → "sw-KE", "ms" in "en-MY" → "ms-MY").
 */
export function intlLocale(language: Language, tenantLocale: string): string {
  const region = tenantLocale.split("-")[1];
  return region ? `${language}-${region}` : language;
}

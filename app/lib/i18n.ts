import type { InitOptions } from "i18next";
import { LANGUAGES } from "./languages";

/**
 * The i18next options shared by the server render and the browser (decision 037). English is the
 * fallback, `common` (the shell) the default namespace; values are escaped by React, not i18next.
 */
export const i18nOptions = {
  supportedLngs: [...LANGUAGES],
  fallbackLng: "en",
  defaultNS: "common",
  fallbackNS: "common",
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
} satisfies InitOptions;

/** The URL of a language's translations, every namespace at once; `v` changes whenever any translation does. */
export const translationsUrl = (language: string, version: string) => `/locales/${language}?v=${version}`;

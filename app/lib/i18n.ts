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

/**
 * Form errors speak the person's language (issue 14, decision 037): a schema or module keeps
 * writing its message in English, and that English sentence is the key of the `validation`
 * namespace (key and namespace separators off, so a sentence may hold "." and ":"). It is
 * translated where it is shown (`useErrorText` in ui/field.tsx, for server and browser errors
 * alike) or with `serverT(language, "validation")` for a message sent without a page. A sentence
 * not in the namespace shows as written: add it to en/sw/ms validation.json to translate it.
 */
export const VALIDATION_NS = "validation";
export const SENTENCE_KEY = { ns: VALIDATION_NS, keySeparator: false, nsSeparator: false } as const;

/**
 * A sentence with values inside ("At most KES 500.00 is left to refund.") is found by the key that
 * names them ("At most {{amount}} is left to refund."), so a module keeps writing plain English and
 * still reaches the person in their language. Patterns are built once per key.
 */
const patterns = new Map<string, { regex: RegExp; names: string[] }>();
function patternOf(key: string) {
  let pattern = patterns.get(key);
  if (!pattern) {
    const names: string[] = [];
    const source = key
      .split(/(\{\{\s*\w+\s*\}\})/)
      .map((part) => {
        const name = /^\{\{\s*(\w+)\s*\}\}$/.exec(part)?.[1];
        if (name) {
          names.push(name);
          return "(.+?)";
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("");
    pattern = { regex: new RegExp(`^${source}$`, "s"), names };
    patterns.set(key, pattern);
  }
  return pattern;
}

export function matchSentence(keys: Iterable<string>, message: string): { key: string; values: Record<string, string> } | null {
  for (const key of keys) {
    if (!key.includes("{{")) continue;
    const { regex, names } = patternOf(key);
    const match = regex.exec(message);
    if (match) return { key, values: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
  }
  return null;
}

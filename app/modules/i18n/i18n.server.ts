import { createHash } from "node:crypto";
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { createCookie } from "@remix-run/node";
import { LanguageDetector } from "remix-i18next/server";
import type { Language } from "~db/schema";
import { i18nOptions, matchSentence, SENTENCE_KEY, VALIDATION_NS } from "~/lib/i18n";
import { isLanguage } from "~/lib/languages";
import { NAMESPACES, resources, type Namespace } from "~/locales";

/**
 * Languages on the server (issue 14, decision 037). A request's language is the visitor's choice
 * (the `lng` cookie, written by the switcher and at sign-in from the account), else the best match
 * of Accept-Language, else the tenant's default; always one the tenant offers.
 */
export const languageCookie = createCookie("lng", { path: "/", maxAge: 31_536_000, sameSite: "lax" });

export async function resolveLanguage(request: Request, tenant: { languages: Language[]; defaultLanguage: Language }): Promise<Language> {
  const detector = new LanguageDetector({
    supportedLanguages: tenant.languages,
    fallbackLanguage: tenant.defaultLanguage,
    cookie: languageCookie,
    order: ["cookie", "header"],
  });
  const found = await detector.detect(request);
  return isLanguage(found) && tenant.languages.includes(found) ? found : tenant.defaultLanguage;
}

/** Remembers a choice for a year: the switcher and sign-in (from the account's language) set it. */
export async function languageCookieHeader(language: Language, secure: boolean): Promise<string> {
  return languageCookie.serialize(language, { secure });
}

/** Changes whenever a translation does: the browser caches a language's bundle under it for good. */
export const translationsVersion = createHash("sha256").update(JSON.stringify(resources)).digest("hex").slice(0, 12);

/** One language's every namespace, as the browser loads it (/locales/<language>). */
export function translationsOf(language: Language) {
  return resources[language];
}

/** An i18next instance for one server render, with every translation in memory. */
export async function renderI18n(language: Language): Promise<I18n> {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nOptions, lng: language, ns: NAMESPACES, resources });
  return instance;
}

const shared = createInstance();
const ready = shared.init({ ...i18nOptions, lng: "en", ns: NAMESPACES, resources });

/** `t` for server code that speaks to a person: loader messages, emails, PDFs. */
export async function serverT(language: Language, namespace: Namespace = "common"): Promise<TFunction> {
  await ready;
  return shared.getFixedT(language, namespace);
}

/**
 * A module's English sentence in the reader's language, for a message shown without a form field
 * (an alert, a notice): the sentence is its own key in `validation`, and one with values inside is
 * found by the key that names them (`matchSentence`). A sentence not listed stays as written.
 */
export async function sentenceIn(language: Language, message: string): Promise<string> {
  const t = await serverT(language, VALIDATION_NS);
  const sentences = resources[language].validation as Record<string, string>;
  if (message in sentences) return t(message, SENTENCE_KEY);
  const found = matchSentence(Object.keys(sentences), message);
  return found ? t(found.key, { ...SENTENCE_KEY, ...found.values }) : message;
}

import type { Language } from "~db/schema";
import enAccount from "./en/account.json";
import enAgent from "./en/agent.json";
import enClaims from "./en/claims.json";
import enCommon from "./en/common.json";
import enDocuments from "./en/documents.json";
import msAccount from "./ms/account.json";
import msAgent from "./ms/agent.json";
import msClaims from "./ms/claims.json";
import msCommon from "./ms/common.json";
import msDocuments from "./ms/documents.json";
import swAccount from "./sw/account.json";
import swAgent from "./sw/agent.json";
import swClaims from "./sw/claims.json";
import swCommon from "./sw/common.json";
import swDocuments from "./sw/documents.json";

/**
 * Every translation, by language and namespace (issue 14, decision 037). One namespace per area of
 * the product (a file each, so areas are translated side by side); the browser loads a language's
 * namespaces as one cached bundle. English is the source: every key exists there first;
 * `tests/integration/translations.test.ts` fails when a language a demo tenant offers lacks one.
 * Add a namespace here in all three languages at once.
 */
export const resources = {
  en: { common: enCommon, account: enAccount, agent: enAgent, claims: enClaims, documents: enDocuments },
  sw: { common: swCommon, account: swAccount, agent: swAgent, claims: swClaims, documents: swDocuments },
  ms: { common: msCommon, account: msAccount, agent: msAgent, claims: msClaims, documents: msDocuments },
} satisfies Record<Language, Record<string, unknown>>;

export type Namespace = keyof (typeof resources)["en"];
export const NAMESPACES = Object.keys(resources.en) as Namespace[];

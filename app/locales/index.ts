import type { Language } from "~db/schema";
import enCommon from "./en/common.json";
import enNotifications from "./en/notifications.json";
import msCommon from "./ms/common.json";
import msNotifications from "./ms/notifications.json";
import swCommon from "./sw/common.json";
import swNotifications from "./sw/notifications.json";

/**
 * Every translation, by language and namespace (issue 14, decision 037). One namespace per area of
 * the product (a file each, so areas are translated side by side); the browser loads a language's
 * namespaces as one cached bundle. English is the source: every key exists there first;
 * `tests/integration/translations.test.ts` fails when a language a demo tenant offers lacks one.
 * Add a namespace here in all three languages at once.
 */
export const resources = {
  en: { common: enCommon, notifications: enNotifications },
  sw: { common: swCommon, notifications: swNotifications },
  ms: { common: msCommon, notifications: msNotifications },
} satisfies Record<Language, Record<string, unknown>>;

export type Namespace = keyof (typeof resources)["en"];
export const NAMESPACES = Object.keys(resources.en) as Namespace[];

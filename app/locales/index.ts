import type { Language } from "~db/schema";
import enAuth from "./en/auth.json";
import enCommon from "./en/common.json";
import msAuth from "./ms/auth.json";
import msCommon from "./ms/common.json";
import swAuth from "./sw/auth.json";
import swCommon from "./sw/common.json";
import enValidation from "./en/validation.json";
import enStorefront from "./en/storefront.json";
import enCheckout from "./en/checkout.json";
import swCheckout from "./sw/checkout.json";
import msCheckout from "./ms/checkout.json";
import swStorefront from "./sw/storefront.json";
import msStorefront from "./ms/storefront.json";
import swValidation from "./sw/validation.json";
import msValidation from "./ms/validation.json";
import enNotifications from "./en/notifications.json";
import swNotifications from "./sw/notifications.json";
import msNotifications from "./ms/notifications.json";

/**
 * Every translation, by language and namespace (issue 14, decision 037). One namespace per area of
 * the product (a file each, so areas are translated side by side); the browser loads a language's
 * namespaces as one cached bundle. English is the source: every key exists there first;
 * `tests/integration/translations.test.ts` fails when a language a demo tenant offers lacks one.
 * Add a namespace here in all three languages at once.
 */
export const resources = {
  en: {
    common: enCommon,
    auth: enAuth,
    validation: enValidation,
    storefront: enStorefront,
    checkout: enCheckout,
    notifications: enNotifications,
  },
  sw: {
    common: swCommon,
    auth: swAuth,
    validation: swValidation,
    storefront: swStorefront,
    checkout: swCheckout,
    notifications: swNotifications,
  },
  ms: {
    common: msCommon,
    auth: msAuth,
    validation: msValidation,
    storefront: msStorefront,
    checkout: msCheckout,
    notifications: msNotifications,
  },
} satisfies Record<Language, Record<string, unknown>>;

export type Namespace = keyof (typeof resources)["en"];
export const NAMESPACES = Object.keys(resources.en) as Namespace[];

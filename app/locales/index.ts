import type { Language } from "~db/schema";
import enCommon from "./en/common.json";
import enAccount from "./en/account.json";
import enAdmin from "./en/admin.json";
import enAdminCatalogue from "./en/admin-catalogue.json";
import enAdminClaims from "./en/admin-claims.json";
import enAdminMessages from "./en/admin-messages.json";
import enAdminNetwork from "./en/admin-network.json";
import enAdminPayments from "./en/admin-payments.json";
import enAgent from "./en/agent.json";
import enAuth from "./en/auth.json";
import enCheckout from "./en/checkout.json";
import enClaims from "./en/claims.json";
import enDocuments from "./en/documents.json";
import enFacilities from "./en/facilities.json";
import enNotifications from "./en/notifications.json";
import enPolicy from "./en/policy.json";
import enStorefront from "./en/storefront.json";
import enValidation from "./en/validation.json";
import swCommon from "./sw/common.json";
import swAccount from "./sw/account.json";
import swAdmin from "./sw/admin.json";
import swAdminCatalogue from "./sw/admin-catalogue.json";
import swAdminClaims from "./sw/admin-claims.json";
import swAdminMessages from "./sw/admin-messages.json";
import swAdminNetwork from "./sw/admin-network.json";
import swAdminPayments from "./sw/admin-payments.json";
import swAgent from "./sw/agent.json";
import swAuth from "./sw/auth.json";
import swCheckout from "./sw/checkout.json";
import swClaims from "./sw/claims.json";
import swDocuments from "./sw/documents.json";
import swFacilities from "./sw/facilities.json";
import swNotifications from "./sw/notifications.json";
import swPolicy from "./sw/policy.json";
import swStorefront from "./sw/storefront.json";
import swValidation from "./sw/validation.json";
import msCommon from "./ms/common.json";
import msAccount from "./ms/account.json";
import msAdmin from "./ms/admin.json";
import msAdminCatalogue from "./ms/admin-catalogue.json";
import msAdminClaims from "./ms/admin-claims.json";
import msAdminMessages from "./ms/admin-messages.json";
import msAdminNetwork from "./ms/admin-network.json";
import msAdminPayments from "./ms/admin-payments.json";
import msAgent from "./ms/agent.json";
import msAuth from "./ms/auth.json";
import msCheckout from "./ms/checkout.json";
import msClaims from "./ms/claims.json";
import msDocuments from "./ms/documents.json";
import msFacilities from "./ms/facilities.json";
import msNotifications from "./ms/notifications.json";
import msPolicy from "./ms/policy.json";
import msStorefront from "./ms/storefront.json";
import msValidation from "./ms/validation.json";

/**
 * Every translation, by language and namespace (issue 14, decision 037). One namespace per area of
 * the product (a file each, so areas are translated side by side); the browser loads a language's
 * namespaces as one cached bundle. English is the source: every key exists there first;
 * `app/locales/translations.test.ts` fails when a language a demo tenant offers lacks one.
 * Add a namespace here in all three languages at once.
 */
export const resources = {
  en: {
    common: enCommon,
    account: enAccount,
    admin: enAdmin,
    "admin-catalogue": enAdminCatalogue,
    "admin-claims": enAdminClaims,
    "admin-messages": enAdminMessages,
    "admin-network": enAdminNetwork,
    "admin-payments": enAdminPayments,
    agent: enAgent,
    auth: enAuth,
    checkout: enCheckout,
    claims: enClaims,
    documents: enDocuments,
    facilities: enFacilities,
    notifications: enNotifications,
    policy: enPolicy,
    storefront: enStorefront,
    validation: enValidation,
  },
  sw: {
    common: swCommon,
    account: swAccount,
    admin: swAdmin,
    "admin-catalogue": swAdminCatalogue,
    "admin-claims": swAdminClaims,
    "admin-messages": swAdminMessages,
    "admin-network": swAdminNetwork,
    "admin-payments": swAdminPayments,
    agent: swAgent,
    auth: swAuth,
    checkout: swCheckout,
    claims: swClaims,
    documents: swDocuments,
    facilities: swFacilities,
    notifications: swNotifications,
    policy: swPolicy,
    storefront: swStorefront,
    validation: swValidation,
  },
  ms: {
    common: msCommon,
    account: msAccount,
    admin: msAdmin,
    "admin-catalogue": msAdminCatalogue,
    "admin-claims": msAdminClaims,
    "admin-messages": msAdminMessages,
    "admin-network": msAdminNetwork,
    "admin-payments": msAdminPayments,
    agent: msAgent,
    auth: msAuth,
    checkout: msCheckout,
    claims: msClaims,
    documents: msDocuments,
    facilities: msFacilities,
    notifications: msNotifications,
    policy: msPolicy,
    storefront: msStorefront,
    validation: msValidation,
  },
} satisfies Record<Language, Record<string, unknown>>;

export type Namespace = keyof (typeof resources)["en"];
export const NAMESPACES = Object.keys(resources.en) as Namespace[];

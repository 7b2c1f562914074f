import { compose, type Brand, type Template } from "./templates.server";

/** The customer's data-protection requests (decision 034). No topic: always sent. */

export function dataExportReadyTemplate(brand: Brand, input: { name: string; link: string; expiresOn: string }): Template {
  return compose(brand, "data_export_ready", `Your ${brand.tenantName} data is ready to download`, [
    `Hello ${input.name},`,
    `The copy of your data you asked for is ready: everything ${brand.tenantName} holds about you, in a ZIP file with your documents.`,
    { label: "Download my data", href: input.link },
    `The link works when you are signed in to your account, until ${input.expiresOn}. After that the file is deleted; you can ask for a new one at any time.`,
    "If you did not ask for this, sign in and change your password.",
  ]);
}

export function dataExportFailedTemplate(brand: Brand, input: { name: string; link: string }): Template {
  return compose(brand, "data_export_failed", `We could not prepare your ${brand.tenantName} data`, [
    `Hello ${input.name},`,
    "Something went wrong while we were preparing the copy of your data. Nothing about your account has changed.",
    { label: "Try again", href: input.link },
  ]);
}

export function accountClosedTemplate(brand: Brand, input: { name: string }): Template {
  return compose(brand, "account_closed", `Your ${brand.tenantName} account is closed`, [
    `Hello ${input.name},`,
    `As you asked, your ${brand.tenantName} account is closed: you have been signed out everywhere and your personal details have been removed.`,
    "We keep the records of your policies and payments for as long as the law requires, and nothing else.",
    "If you did not ask for this, please contact us straight away.",
  ]);
}

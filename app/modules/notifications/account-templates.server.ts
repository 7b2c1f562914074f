import { compose, type Brand, type Template } from "./templates.server";

/**
 * The customer's own account changes (issue 13 item 6): security messages, so they carry no topic
 * and always go, whatever the notification preferences say (decision 032).
 */

/** To the new address: the change happens only when this link is opened. */
export function emailChangeConfirmTemplate(brand: Brand, input: { name: string; newEmail: string; link: string; hours: number }): Template {
  return compose(brand, "email_change_confirm", `Confirm your new email for ${brand.tenantName}`, [
    `Hello ${input.name},`,
    `You asked to sign in to ${brand.tenantName} with ${input.newEmail} from now on. Confirm this address to make the change.`,
    { label: "Confirm my new email", href: input.link },
    `This link works once, for ${input.hours} hours. If you did not ask for this, ignore this email: nothing changes.`,
  ]);
}

/** To the old address: a notice, with a way to stop a change its owner did not ask for. */
export function emailChangeNoticeTemplate(brand: Brand, input: { name: string; newEmail: string; cancelLink: string }): Template {
  return compose(brand, "email_change_notice", `Your ${brand.tenantName} sign-in email is being changed`, [
    `Hello ${input.name},`,
    `Someone signed in to your ${brand.tenantName} account asked to change its email address to ${input.newEmail}. Nothing changes until the new address is confirmed.`,
    "If this was you, there is nothing to do here.",
    { label: "This wasn't me: cancel the change", href: input.cancelLink },
    "If it was not you, cancel the change, then change your password from your account's security page.",
  ]);
}

/** To the old address once the change is done. */
export function emailChangedTemplate(brand: Brand, input: { name: string; newEmail: string }): Template {
  return compose(brand, "email_changed", `Your ${brand.tenantName} sign-in email has changed`, [
    `Hello ${input.name},`,
    `Your ${brand.tenantName} account now signs in with ${input.newEmail}. We will write to you there from now on.`,
    "If you did not make this change, contact us at once.",
  ]);
}

export function phoneCodeText(brand: Brand, input: { code: string; minutes: number }): string {
  return `${input.code} is your ${brand.tenantName} code to confirm your new phone number. It expires in ${input.minutes} minutes. Do not share it.`;
}

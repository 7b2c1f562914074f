import { compose, type Brand, type Template } from "./templates.server";

/**
 * Security notices about two-factor sign-in (decision 033). They carry no topic: a person cannot
 * turn them off, because they are how someone learns that their account is being changed.
 */
const NOT_YOU = "If this was not you, change your password now and contact the agency: someone may have your password.";

export function twoFactorOnTemplate(brand: Brand, input: { name: string; link: string }): Template {
  return compose(brand, "two_factor_on", `Two-factor sign-in is on for your ${brand.tenantName} account`, [
    `Hello ${input.name},`,
    "Two-factor sign-in was turned on for your account: from now on, signing in asks for a code from your authenticator app after your password.",
    "Keep your recovery codes somewhere safe: each one signs you in once if you lose your phone.",
    { label: "Your two-factor settings", href: input.link },
    NOT_YOU,
  ]);
}

export function twoFactorOffTemplate(brand: Brand, input: { name: string; link: string }): Template {
  return compose(brand, "two_factor_off", `Two-factor sign-in was turned off for your ${brand.tenantName} account`, [
    `Hello ${input.name},`,
    "Two-factor sign-in was turned off for your account: signing in now needs only your password.",
    { label: "Turn it on again", href: input.link },
    NOT_YOU,
  ]);
}

export function recoveryCodeUsedTemplate(brand: Brand, input: { name: string; codesLeft: number; link: string }): Template {
  const left =
    input.codesLeft === 0
      ? "You have no recovery codes left: make new ones now, or you may be locked out if you lose your phone."
      : `You have ${input.codesLeft} recovery code${input.codesLeft === 1 ? "" : "s"} left.`;
  return compose(brand, "two_factor_recovery_code_used", `A recovery code was used to sign in to ${brand.tenantName}`, [
    `Hello ${input.name},`,
    "Someone signed in to your account with one of your recovery codes instead of a code from your authenticator app. That code will not work again.",
    left,
    { label: "Your two-factor settings", href: input.link },
    NOT_YOU,
  ]);
}

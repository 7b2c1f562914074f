import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import type { MessageChannel } from "~db/schema";

/**
 * Addresses are normalised once, when a message is queued (issue 14): emails lower-cased, phone
 * numbers to E.164 by libphonenumber-js in the tenant's country. An address that cannot be
 * delivered fails the message at once, with a reason a person can act on.
 */
export type AddressCheck = { ok: true; address: string } | { ok: false; reason: string };

export function normaliseAddress(channel: MessageChannel, to: string, country: CountryCode | undefined): AddressCheck {
  const value = to.trim();
  if (channel === "in_app") return { ok: true, address: value };
  if (channel === "email") {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
      ? { ok: true, address: value.toLowerCase() }
      : { ok: false, reason: `“${value}” is not an email address` };
  }
  return normalisePhone(value, country);
}

export function normalisePhone(value: string, country: CountryCode | undefined): AddressCheck {
  const phone = parsePhoneNumberFromString(value, country);
  if (!phone) return { ok: false, reason: `“${value}” is not a phone number` };
  if (!phone.isValid()) return { ok: false, reason: `${phone.number} is not a valid ${phone.country ?? "phone"} number` };
  const type = phone.getType();
  if (type && !["MOBILE", "FIXED_LINE_OR_MOBILE", "PERSONAL_NUMBER"].includes(type)) {
    return { ok: false, reason: `${phone.number} is not a mobile number, so it cannot receive text messages` };
  }
  return { ok: true, address: phone.number };
}

/** The country of a tenant's locale ("en-KE" → "KE"), for numbers written without +. */
export function countryOfLocale(locale: string): CountryCode | undefined {
  const region = locale.split("-")[1]?.toUpperCase();
  return region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined;
}

/**
 * Kenyan mobile numbers in the form M-Pesa wants (2547XXXXXXXX / 2541XXXXXXXX). Pure and
 * browser-safe, so checkout forms can validate with it before anything is sent.
 *
 * Accepted (spaces, dashes, dots and brackets are ignored):
 *   07XXXXXXXX, 01XXXXXXXX, 7XXXXXXXX, 1XXXXXXXX, 2547XXXXXXXX, 2541XXXXXXXX, +2547…, +2541…
 * Anything else is refused with a message the customer can act on: landlines (020…), other
 * countries, numbers of the wrong length, letters.
 */
export type PhoneResult = { ok: true; phone: string } | { ok: false; message: string };

const INVALID = "Enter a Kenyan mobile number, like 0712 345 678 or +254 712 345 678.";

export function normaliseKenyanPhone(input: string): PhoneResult {
  const compact = input.trim().replace(/[\s\-.()]/g, "");
  if (compact === "") return { ok: false, message: "Enter the M-Pesa phone number to pay from." };
  if (!/^\+?\d+$/.test(compact)) return { ok: false, message: INVALID };

  let national: string;
  if (compact.startsWith("+")) {
    if (!compact.startsWith("+254")) return { ok: false, message: "M-Pesa payments need a Kenyan (+254) mobile number." };
    national = compact.slice(4);
  } else if (compact.startsWith("254") && compact.length === 12) {
    national = compact.slice(3);
  } else if (compact.startsWith("0") && compact.length === 10) {
    national = compact.slice(1);
  } else {
    national = compact;
  }
  // Mobile numbers are 9 digits after the country code, starting 7 or 1 (Safaricom's 011x range).
  if (!/^[71]\d{8}$/.test(national)) return { ok: false, message: INVALID };
  return { ok: true, phone: `254${national}` };
}

/** 254712345678 → +254 712 345 678, for messages to the customer. */
export function formatKenyanPhone(phone: string): string {
  return /^254\d{9}$/.test(phone) ? `+254 ${phone.slice(3, 6)} ${phone.slice(6, 9)} ${phone.slice(9)}` : phone;
}

import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { env } from "~/lib/env.server";

/**
 * The one-time codes that prove a phone number (an agent's, a customer's new one): 6 digits by SMS,
 * of which only a keyed hash is stored (HMAC with the server's secret over the row's id and the
 * code: a database dump alone cannot try the million codes). A code lives 10 minutes and survives 5
 * wrong tries; a new one may be asked for once a minute, at most 5 times an hour. Each caller keeps
 * its codes in its own table; the rules and their words are here once.
 */
export const PHONE_CODE_MINUTES = 10;
export const PHONE_CODE_ATTEMPTS = 5;
export const PHONE_RESEND_SECONDS = 60;
export const PHONE_CODES_PER_HOUR = 5;

/** Separates the hashes of codes kept for different purposes, so one table's row can't answer for another's. */
export type PhoneCodePurpose = "phone-code" | "account-phone-code";

const hashCode = (purpose: PhoneCodePurpose, codeId: string, code: string) =>
  createHmac("sha256", `${purpose}:${env().SESSION_SECRET}`).update(`${codeId}:${code}`).digest("hex");

/** Why no new code may be sent now, given the codes sent in the last hour (newest first); null if one may. */
export function phoneCodeRefusal(recent: { created_at: Date }[], now: Date): string | null {
  if (recent[0] && recent[0].created_at.getTime() > now.getTime() - PHONE_RESEND_SECONDS * 1000) {
    return "We sent a code less than a minute ago. Wait a minute before asking for another.";
  }
  if (recent.length >= PHONE_CODES_PER_HOUR) return "Too many codes asked for in the last hour. Try again later.";
  return null;
}

/** A new code: its row id, the code to send, and what is stored. */
export function newPhoneCode(purpose: PhoneCodePurpose, now: Date) {
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  return { id, code, codeHash: hashCode(purpose, id, code), expiresAt: new Date(now.getTime() + PHONE_CODE_MINUTES * 60_000) };
}

export type PhoneCodeCheck = { ok: true } | { ok: false; message: string; countAttempt: boolean };

/**
 * Checks a code against the newest row. A wrong code is to be counted (`countAttempt`: the caller
 * adds one to the row's attempts, and the count is kept).
 */
export function checkPhoneCode(
  purpose: PhoneCodePurpose,
  row: { id: string; code_hash: string; attempts: number; expires_at: Date; used_at: Date | null } | undefined,
  code: string,
  now: Date,
): PhoneCodeCheck {
  if (!row || row.used_at) return { ok: false, message: "Ask for a code first.", countAttempt: false };
  if (row.expires_at <= now) return { ok: false, message: "This code has expired. Ask for a new one.", countAttempt: false };
  if (row.attempts >= PHONE_CODE_ATTEMPTS)
    return { ok: false, message: "Too many wrong tries for this code. Ask for a new one.", countAttempt: false };
  const expected = Buffer.from(row.code_hash, "hex");
  const given = Buffer.from(hashCode(purpose, row.id, code), "hex");
  if (timingSafeEqual(expected, given)) return { ok: true };
  const left = PHONE_CODE_ATTEMPTS - (row.attempts + 1);
  return {
    ok: false,
    countAttempt: true,
    message:
      left > 0
        ? `That code is not right. ${left} ${left === 1 ? "try" : "tries"} left.`
        : "That code is not right, and it cannot be used any more. Ask for a new one.",
  };
}

import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226), as every authenticator app computes
 * them: HMAC-SHA-1, six digits, 30-second steps. Written over node:crypto rather than taken from a
 * library: it is forty lines, and the RFC's own vectors test it (decision 033).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** A phone's clock a step behind or ahead still works: one step either side of now. */
export const TOTP_WINDOW_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new RangeError("Not base32");
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226's HOTP: the dynamically truncated HMAC of the counter, as `digits` decimal digits. */
export function hotp(secret: Buffer, counter: number, digits = TOTP_DIGITS, algorithm: "sha1" | "sha256" | "sha512" = "sha1"): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The 30-second step an instant falls in (RFC 6238's T, with T0 = 0). */
export function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totp(secret: Buffer, now: Date, digits = TOTP_DIGITS): string {
  return hotp(secret, timeStep(now), digits);
}

/**
 * The step a code belongs to, within one step of now, or null. A step at or before `lastUsedStep`
 * never matches: each code signs in once, so one seen over a shoulder or replayed is worthless.
 */
export function matchTotp(secret: Buffer, code: string, now: Date, lastUsedStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = timeStep(now);
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    // Both sides are six ASCII digits: comparing them leaks nothing worth a constant-time compare.
    if (hotp(secret, step) === code) return step;
  }
  return null;
}

/** 160 random bits, the length RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): Buffer {
  return randomBytes(20);
}

/** What the authenticator app scans: the Key Uri Format every app reads. */
export function otpauthUri(input: { issuer: string; account: string; secret: Buffer }): string {
  const label = encodeURIComponent(`${input.issuer}:${input.account}`);
  const params = new URLSearchParams({
    secret: base32Encode(input.secret),
    issuer: input.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}

/** The secret as a person types it into an app by hand: base32 in groups of four. */
export function groupedSecret(secret: Buffer): string {
  return base32Encode(secret)
    .match(/.{1,4}/g)!
    .join(" ");
}

/** Ten codes of 80 random bits each, shown as `xxxx-xxxx-xxxx-xxxx` (base32, lower case). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => base32Encode(randomBytes(10)).toLowerCase().match(/.{4}/g)!.join("-"));
}

/** Spaces, dashes and letter case do not matter when a recovery code is typed back. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

/**
 * Stored hash of a recovery code. 80 random bits cannot be guessed from a fast hash, so (as with
 * session ids) a plain SHA-256 is enough and lets a code be found by its hash.
 */
export function recoveryCodeHash(code: string): string {
  return createHash("sha256")
    .update(`recovery:${normaliseRecoveryCode(code)}`)
    .digest("hex");
}

/** A six-digit code (authenticator) or anything longer (a recovery code): what the person typed. */
export function isTotpCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s/g, ""));
}

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Hex HMAC of the raw body, as Paystack (SHA-512) and the sandbox (SHA-256) sign webhooks. */
export function hmacHex(algorithm: "sha256" | "sha512", key: string, payload: string): string {
  return createHmac(algorithm, key).update(payload, "utf8").digest("hex");
}

/**
 * Constant-time string comparison. Both sides are hashed first so that neither the content nor
 * the length of the expected value leaks through timing.
 */
export function safeEqual(received: string, expected: string): boolean {
  const a = createHash("sha256").update(received, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b) && received.length === expected.length;
}

/**
 * A fresh, unguessable token for one attempt's callback URL (M-Pesa callbacks are not signed):
 * 32 random bytes, base64url. Store it with the attempt; pass it back as `callbackToken.expected`.
 */
export function newCallbackToken(): string {
  return randomBytes(32).toString("base64url");
}

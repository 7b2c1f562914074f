import { createHash, randomBytes } from "node:crypto";

/** A random, URL-safe secret (256 bits). Only its hash is ever stored. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** How long each one-time token lives. */
export const TOKEN_LIFETIME_MINUTES = {
  verify_email: 48 * 60,
  reset_password: 60,
  invite: 7 * 24 * 60,
} as const;

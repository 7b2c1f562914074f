import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

/** Password rules from the agencies' plans: 8+ characters, a number and a special character. */
export const newPasswordSchema = z
  .string({ required_error: "Enter a password" })
  .min(8, "Use at least 8 characters")
  .max(200, "Use at most 200 characters")
  .regex(/\d/, "Include at least one number")
  .regex(/[^A-Za-z0-9]/, "Include at least one special character, such as ! or #");

/** How many previous passwords a new one may not repeat (the current one included). */
export const PASSWORD_HISTORY_DEPTH = 5;

// Argon2id with OWASP's recommended minimum (19 MiB, 2 passes): slow for an attacker, ~30 ms here.
const options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check so response times do not reveal which emails exist.
    dummyHash ??= hash("covera-timing-equaliser", options);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when `password` matches any of the given (most recent) hashes. */
export async function isReused(password: string, recentHashes: string[]): Promise<boolean> {
  for (const previous of recentHashes.slice(0, PASSWORD_HISTORY_DEPTH)) {
    if (await verifyPassword(previous, password)) return true;
  }
  return false;
}

let dummyHash: Promise<string> | undefined;

import { hash, verify } from "@node-rs/argon2";

// The rules live with the other form schemas so route components can use them in the browser too.
export { newPasswordSchema } from "./schemas";

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

import { afterFailedAttempt, isLocked, minutesLeft, type LockState } from "./lockout";
import { verifyPassword } from "./password.server";

/** The part of an account (tenant user or platform operator) that signing in looks at. */
export interface Credentials {
  password_hash: string | null;
  status?: "active" | "suspended";
}

export type CredentialOutcome =
  | { result: "ok" }
  | { result: "invalid"; next: LockState; lockedNow: boolean }
  | { result: "locked"; minutesLeft: number }
  | { result: "suspended" };

/**
 * Checks a password against an account and its lock state for this client (decision 012: the
 * lockout counts per account and client network, so a stranger's failures lock only the stranger
 * out) and says what to write back. The same rules serve tenant accounts and platform operators;
 * each caller stores the new lock state and writes the audit.
 */
export async function checkCredentials(
  account: Credentials | undefined,
  lock: LockState,
  password: string,
  now: Date,
): Promise<CredentialOutcome> {
  if (account && isLocked(lock, now)) return { result: "locked", minutesLeft: minutesLeft(lock, now) };
  const matches = await verifyPassword(account?.password_hash, password);
  if (!account || !matches) {
    const next = afterFailedAttempt(lock, now);
    return { result: "invalid", next: { failedCount: next.failedCount, lockedUntil: next.lockedUntil }, lockedNow: next.locked };
  }
  if (account.status === "suspended") return { result: "suspended" };
  return { result: "ok" };
}

/** `canReset`: tenant accounts can reset a password by email; platform operators cannot. */
export function signInErrorMessage(outcome: Exclude<CredentialOutcome, { result: "ok" }>, canReset = true): string {
  switch (outcome.result) {
    case "invalid":
      return outcome.lockedNow
        ? `Too many failed attempts. This account is locked for 15 minutes${canReset ? "; you can reset your password instead" : ""}.`
        : "That email and password do not match an account here.";
    case "locked":
      return `Too many failed attempts. Try again in ${outcome.minutesLeft} minute${outcome.minutesLeft === 1 ? "" : "s"}${canReset ? ", or reset your password" : ""}.`;
    case "suspended":
      return "This account is suspended. Please contact the agency.";
  }
}

/**
 * Five failed sign-ins lock an account for fifteen minutes (the agencies' plans): counted per
 * account and client network (decision 012), so only the client that failed is locked out.
 */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
/** Failures older than this are forgotten (the sweep job deletes them). */
export const FAILURES_KEPT_HOURS = 24;

export interface LockState {
  failedCount: number;
  lockedUntil: Date | null;
}

export const NO_FAILURES: LockState = { failedCount: 0, lockedUntil: null };

export function isLocked(state: LockState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failed attempt; `locked` is true when this attempt caused a lockout. */
export function afterFailedAttempt(state: LockState, now: Date): LockState & { locked: boolean } {
  // A lock that has run out starts a fresh count.
  const previous = state.lockedUntil && !isLocked(state, now) ? 0 : state.failedCount;
  const failedCount = previous + 1;
  if (failedCount >= MAX_FAILED_ATTEMPTS) {
    return { failedCount: 0, lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000), locked: true };
  }
  return { failedCount, lockedUntil: null, locked: false };
}

export function minutesLeft(state: LockState, now: Date): number {
  if (!state.lockedUntil) return 0;
  return Math.max(1, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 60_000));
}

import { decryptPii, encryptPii, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { qrPngDataUrl } from "~/modules/documents/qr.server";
import { afterFailedAttempt, isLocked, minutesLeft, type LockState } from "./lockout";
import {
  groupedSecret,
  isTotpCode,
  matchTotp,
  newRecoveryCodes,
  newTotpSecret,
  otpauthUri,
  recoveryCodeHash,
} from "./two-factor-totp.server";

/**
 * Two-factor sign-in (decision 033), the same for a tenant's accounts and for platform operators:
 * the rules live here once, over a `FactorStore` that says where one account's factor is kept
 * (tenant rows under RLS, or platform rows, decision 002).
 */

export interface StoredFactor {
  secretCiphertext: string;
  enabledAt: Date | null;
  lastUsedStep: number | null;
}

export interface FactorStore {
  /** What the secret is encrypted against: a ciphertext copied to another account decrypts nowhere. */
  context: string;
  /** The account's factor, locked for the rest of the transaction (two quick submits wait for each other). */
  read(): Promise<StoredFactor | undefined>;
  /** A new secret waiting for its first code; never over an enabled one. */
  savePending(ciphertext: string, now: Date): Promise<void>;
  enable(step: number, now: Date): Promise<void>;
  useStep(step: number, now: Date): Promise<void>;
  /** The factor and every recovery code go. */
  remove(): Promise<void>;
  replaceCodes(hashes: string[], now: Date): Promise<void>;
  /** Marks an unused code used in the statement that finds it, so it works exactly once. */
  spendCode(hash: string, now: Date): Promise<boolean>;
  codesLeft(): Promise<number>;
}

/** When this few recovery codes are left, the person is told to make new ones. */
export const FEW_RECOVERY_CODES = 3;

export type FactorErrors = Record<string, string[]>;
const fail = (field: string, message: string) => ({ ok: false as const, errors: { [field]: [message] } as FactorErrors });

const WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now, or one of your recovery codes.";

function seal(store: FactorStore, secret: Buffer): string {
  return encryptPii(secret.toString("base64"), { key: piiKeysFromEnv(), context: store.context });
}
function unseal(store: FactorStore, factor: StoredFactor): Buffer {
  return Buffer.from(decryptPii(factor.secretCiphertext, { key: piiKeysFromEnv(), context: store.context }), "base64");
}

/** Whether signing in as this account needs a code after the password. */
export async function twoFactorOn(store: FactorStore): Promise<boolean> {
  return Boolean((await store.read())?.enabledAt);
}

export async function factorStatus(store: FactorStore): Promise<{ enabled: boolean; pending: boolean; codesLeft: number }> {
  const factor = await store.read();
  const enabled = Boolean(factor?.enabledAt);
  return { enabled, pending: Boolean(factor && !enabled), codesLeft: enabled ? await store.codesLeft() : 0 };
}

/** Starts (or starts again) setting up an app: a fresh secret, kept until its first code confirms it. */
export async function startEnrolment(store: FactorStore, now = new Date()) {
  const factor = await store.read();
  if (factor?.enabledAt) return fail("form", "Two-factor sign-in is already on.");
  await store.savePending(seal(store, newTotpSecret()), now);
  return { ok: true as const };
}

/** What the setup page shows: the pending secret as a QR code and as text to type. */
export async function enrolmentPicture(store: FactorStore, label: { issuer: string; account: string }) {
  const factor = await store.read();
  if (!factor || factor.enabledAt) return null;
  const secret = unseal(store, factor);
  const uri = otpauthUri({ ...label, secret });
  return { qr: await qrPngDataUrl(uri), secret: groupedSecret(secret), uri };
}

/** The first code from the app turns two-factor sign-in on; the recovery codes are returned once. */
export async function confirmEnrolment(store: FactorStore, code: string, now = new Date()) {
  const factor = await store.read();
  if (!factor) return fail("form", "Start again: scan a new code with your app.");
  if (factor.enabledAt) return fail("form", "Two-factor sign-in is already on.");
  const step = matchTotp(unseal(store, factor), code.replace(/\s/g, ""), now, null);
  if (step === null) return fail("code", "That code is not right. Check the app shows this account, and enter the code it shows now.");
  await store.enable(step, now);
  return { ok: true as const, recoveryCodes: await replaceRecoveryCodes(store, now) };
}

async function replaceRecoveryCodes(store: FactorStore, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await store.replaceCodes(codes.map(recoveryCodeHash), now);
  return codes;
}

export type SecondFactor = { ok: true; via: "app" | "recovery_code"; codesLeft: number } | { ok: false };

/**
 * Checks a code typed at sign-in (or to turn two-factor off): six digits are the app's code, each
 * usable once; anything else is tried as a recovery code, which is then spent.
 */
export async function checkSecondFactor(store: FactorStore, input: string, now = new Date()): Promise<SecondFactor> {
  const factor = await store.read();
  if (!factor?.enabledAt) return { ok: false };
  if (isTotpCode(input)) {
    const step = matchTotp(unseal(store, factor), input.replace(/\s/g, ""), now, factor.lastUsedStep);
    if (step === null) return { ok: false };
    await store.useStep(step, now);
    return { ok: true, via: "app", codesLeft: await store.codesLeft() };
  }
  if (!(await store.spendCode(recoveryCodeHash(input), now))) return { ok: false };
  return { ok: true, via: "recovery_code", codesLeft: await store.codesLeft() };
}

/** Turning it off needs a code (or a recovery code); the caller has checked the password. */
export async function disableFactor(store: FactorStore, code: string, now = new Date()) {
  const checked = await checkSecondFactor(store, code, now);
  if (!checked.ok) return fail("code", WRONG_CODE);
  await store.remove();
  return { ok: true as const, via: checked.via };
}

/** New recovery codes (the old ones stop working), after a current code from the app. */
export async function regenerateRecoveryCodes(store: FactorStore, code: string, now = new Date()) {
  const factor = await store.read();
  if (!factor?.enabledAt) return fail("form", "Two-factor sign-in is off.");
  if (!isTotpCode(code)) return fail("code", "Enter the 6-digit code your app shows now.");
  const checked = await checkSecondFactor(store, code, now);
  if (!checked.ok) return fail("code", "That code is not right. Enter the 6-digit code your app shows now.");
  return { ok: true as const, recoveryCodes: await replaceRecoveryCodes(store, now) };
}

/** How an account's lockout is read and written: per account and client network (decision 012). */
export interface LockStore {
  state(): Promise<LockState>;
  save(state: LockState, now: Date): Promise<void>;
  forget(): Promise<void>;
}

export type SignInCheck =
  | { result: "ok"; via: "app" | "recovery_code"; codesLeft: number }
  | { result: "invalid"; lockedNow: boolean; lockedUntil: Date | null }
  | { result: "locked"; minutesLeft: number };

/**
 * The second step of signing in, under the same lockout as passwords: five wrong codes lock the
 * account for this client for fifteen minutes, and a locked account's right code does not count.
 */
export async function signInWithSecondFactor(store: FactorStore, lock: LockStore, input: string, now = new Date()): Promise<SignInCheck> {
  const state = await lock.state();
  if (isLocked(state, now)) return { result: "locked", minutesLeft: minutesLeft(state, now) };
  const checked = await checkSecondFactor(store, input, now);
  if (checked.ok) {
    await lock.forget();
    return { result: "ok", via: checked.via, codesLeft: checked.codesLeft };
  }
  const next = afterFailedAttempt(state, now);
  await lock.save({ failedCount: next.failedCount, lockedUntil: next.lockedUntil }, now);
  return { result: "invalid", lockedNow: next.locked, lockedUntil: next.lockedUntil };
}

export function secondFactorMessage(check: Exclude<SignInCheck, { result: "ok" }>): string {
  if (check.result === "locked") {
    return `Too many wrong codes. Try again in ${check.minutesLeft} minute${check.minutesLeft === 1 ? "" : "s"}.`;
  }
  return check.lockedNow ? "Too many wrong codes. This account is locked for 15 minutes." : WRONG_CODE;
}

/** What an account's two-factor page shows: on or off, the setup picture while setting up, codes left. */
export async function settingsOf(store: FactorStore, label: { issuer: string; account: string }) {
  const status = await factorStatus(store);
  return {
    enabled: status.enabled,
    codesLeft: status.codesLeft,
    setup: status.pending ? await enrolmentPicture(store, label) : null,
  };
}

/** The page's notices from its query string: after a recovery-code sign-in, after turning it off. */
export function noticesOf(request: Request, mustEnrol: boolean) {
  const params = new URL(request.url).searchParams;
  const left = params.get("codes-left");
  return {
    required: mustEnrol,
    codesLeftNotice: left !== null && /^\d{1,2}$/.test(left) ? Number(left) : null,
    turnedOff: params.get("off") === "1",
  };
}

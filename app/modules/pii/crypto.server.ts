import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { env } from "~/lib/env.server";
import type { IdentifierKind } from "./identifiers";

/**
 * Personal identifiers at rest (docs/architecture.md §3).
 *
 * - `encryptPii` → `<key version>.<iv>.<ciphertext+tag>` (base64url parts), AES-256-GCM with a random
 *   12-byte IV and the context (`"<tenantId>:<kind>"`) as additional authenticated data, so a value
 *   copied to another tenant, another field or another row kind does not decrypt.
 * - `blindIndex` → HMAC-SHA256 hex of the normalised value under a key derived (HKDF) from the master
 *   key, bound to the same context: equal for the same identifier in the same tenant and kind, so
 *   `unique (tenant_id, kind, blind_index)` enforces uniqueness and lookups work without plaintext.
 * - Keys rotate through a keyring: new values use `current`, old versions still decrypt.
 *
 * Pure functions over explicit keys; `piiKeysFromEnv()` is the one place that reads the environment.
 */

export type PiiKeyring = {
  /** The version new values are encrypted (and blind-indexed) with, e.g. "v1". */
  current: string;
  /** Every version that may still appear in stored values: 32-byte AES-256 keys. */
  keys: Record<string, Buffer>;
};

export type PiiCryptoOptions = {
  key: PiiKeyring;
  /** What the value belongs to, e.g. piiContext(tenantId, "nric"). Must match on decrypt. */
  context: string;
};

export type PiiCryptoErrorCode =
  /** Not a `<version>.<iv>.<ciphertext>` string. */
  | "malformed"
  /** Encrypted with a key version the keyring does not hold (a key was dropped too early). */
  | "unknown_key"
  /** Tampered with, truncated, or decrypted with the wrong context or key. */
  | "authentication_failed"
  /** The keyring or a key in it is not usable. */
  | "bad_key";

export class PiiCryptoError extends Error {
  override readonly name = "PiiCryptoError";
  constructor(
    readonly code: PiiCryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const BLIND_INDEX_INFO = "covera blind index";

/** The context string for one kind of identifier in one tenant: `"<tenantId>:<kind>"`. */
export function piiContext(tenantId: string, kind: IdentifierKind): string {
  return `${tenantId}:${kind}`;
}

// ---------------------------------------------------------------------------------------------
// Encryption

export function encryptPii(plaintext: string, { key, context }: PiiCryptoOptions): string {
  assertContext(context);
  const version = key.current;
  const secret = keyFor(key, version);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${version}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function decryptPii(value: string, { key, context }: PiiCryptoOptions): string {
  assertContext(context);
  const { version, iv, body } = parseEncrypted(value);
  const secret = key.keys[version];
  if (!secret) throw new PiiCryptoError("unknown_key", `No key "${version}" in the keyring to decrypt this value.`);
  checkKey(version, secret);
  try {
    const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (_error) {
    throw new PiiCryptoError("authentication_failed", "The encrypted value was altered, or belongs to another tenant or field.");
  }
}

/** The key version a stored value was encrypted with, or null when it is not an encrypted value. */
export function piiKeyVersion(value: string): string | null {
  try {
    return parseEncrypted(value).version;
  } catch (_error) {
    return null;
  }
}

/** True when a stored value was written with an older key and should be re-encrypted (decrypt → encrypt). */
export function needsReencryption(value: string, key: PiiKeyring): boolean {
  return piiKeyVersion(value) !== key.current;
}

function parseEncrypted(value: string): { version: string; iv: Buffer; body: Buffer } {
  const parts = value.split(".");
  const [version, ivText, bodyText] = parts;
  if (parts.length !== 3 || !version || !ivText || !bodyText || !VERSION_PATTERN.test(version)) {
    throw new PiiCryptoError("malformed", "Not an encrypted value.");
  }
  const iv = strictBase64url(ivText);
  const body = strictBase64url(bodyText);
  if (!iv || !body || iv.length !== IV_BYTES || body.length < TAG_BYTES) {
    throw new PiiCryptoError("malformed", "Not an encrypted value.");
  }
  return { version, iv, body };
}

/** Decodes base64url only when it is the canonical encoding, so no character can change unnoticed. */
function strictBase64url(text: string): Buffer | null {
  if (!BASE64URL_PATTERN.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

// ---------------------------------------------------------------------------------------------
// Blind index

const indexKeys = new WeakMap<Buffer, Buffer>();

function indexKeyFor(master: Buffer): Buffer {
  let derived = indexKeys.get(master);
  if (!derived) {
    derived = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), BLIND_INDEX_INFO, KEY_BYTES));
    indexKeys.set(master, derived);
  }
  return derived;
}

function blindIndexWith(master: Buffer, normalised: string, context: string): string {
  const contextBytes = Buffer.from(context, "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(contextBytes.length);
  // Length-prefixed context, then the value: no (context, value) pair can collide with another.
  return createHmac("sha256", indexKeyFor(master)).update(length).update(contextBytes).update(normalised, "utf8").digest("hex");
}

/**
 * The blind index of a NORMALISED identifier (identifiers.ts) under the current key: 64 hex characters.
 * Store it beside the ciphertext; look up and enforce uniqueness by it.
 */
export function blindIndex(normalised: string, { key, context }: PiiCryptoOptions): string {
  assertContext(context);
  return blindIndexWith(keyFor(key, key.current), normalised, context);
}

/**
 * The blind index under every key in the keyring, current first. While a rotation is re-indexing
 * stored rows, look up with `blind_index = any(...)` so rows not yet re-indexed are still found.
 */
export function blindIndexCandidates(normalised: string, { key, context }: PiiCryptoOptions): string[] {
  assertContext(context);
  const versions = [key.current, ...Object.keys(key.keys).filter((v) => v !== key.current)];
  return versions.map((version) => blindIndexWith(keyFor(key, version), normalised, context));
}

// ---------------------------------------------------------------------------------------------
// Keys

function assertContext(context: string) {
  if (typeof context !== "string" || context.length === 0) throw new PiiCryptoError("bad_key", "A context is required.");
}

function checkKey(version: string, key: Buffer) {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new PiiCryptoError("bad_key", `Key "${version}" must be ${KEY_BYTES} bytes.`);
  }
}

function keyFor(keyring: PiiKeyring, version: string): Buffer {
  const key = keyring.keys[version];
  if (!key) throw new PiiCryptoError("bad_key", `The keyring has no key "${version}".`);
  checkKey(version, key);
  return key;
}

/** A 32-byte key from base64 (standard or url-safe, padding optional), or a PiiCryptoError. */
export function decodeKey(text: string, name = "ENCRYPTION_KEY"): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new PiiCryptoError("bad_key", `${name} is not base64.`);
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_BYTES) {
    throw new PiiCryptoError("bad_key", `${name} must be ${KEY_BYTES} bytes, base64 (openssl rand -base64 32); it is ${key.length}.`);
  }
  return key;
}

/**
 * Builds a keyring from the environment's strings:
 * - `currentKey`: ENCRYPTION_KEY (base64, 32 bytes), version `currentVersion` (default "v1");
 * - `oldKeys`: ENCRYPTION_KEYS_OLD, `"v0:<base64>,v-1:<base64>"` — retired keys that only decrypt.
 */
export function parsePiiKeyring({
  currentKey,
  currentVersion = "v1",
  oldKeys,
}: {
  currentKey: string;
  currentVersion?: string;
  oldKeys?: string;
}): PiiKeyring {
  if (!VERSION_PATTERN.test(currentVersion)) throw new PiiCryptoError("bad_key", `Key version "${currentVersion}" is not valid.`);
  const keys: Record<string, Buffer> = { [currentVersion]: decodeKey(currentKey) };
  for (const entry of (oldKeys ?? "").split(",")) {
    if (!entry.trim()) continue;
    const colon = entry.indexOf(":");
    const version = entry.slice(0, colon).trim();
    if (colon < 0 || !VERSION_PATTERN.test(version)) {
      throw new PiiCryptoError("bad_key", 'ENCRYPTION_KEYS_OLD entries look like "v0:<base64 key>", separated by commas.');
    }
    if (version in keys) throw new PiiCryptoError("bad_key", `Key version "${version}" appears twice.`);
    keys[version] = decodeKey(entry.slice(colon + 1), `ENCRYPTION_KEYS_OLD ${version}`);
  }
  return { current: currentVersion, keys };
}

let fromEnv: PiiKeyring | undefined;

/**
 * The keyring for this process: ENCRYPTION_KEY (a fixed development key outside production, see
 * env.server.ts), ENCRYPTION_KEY_VERSION and ENCRYPTION_KEYS_OLD.
 */
export function piiKeysFromEnv(): PiiKeyring {
  if (fromEnv) return fromEnv;
  const e = env();
  fromEnv = parsePiiKeyring({ currentKey: e.ENCRYPTION_KEY, currentVersion: e.ENCRYPTION_KEY_VERSION, oldKeys: e.ENCRYPTION_KEYS_OLD });
  return fromEnv;
}

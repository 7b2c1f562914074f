import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { filenameOfKey, safeFilename, tenantOfKey } from "./storage.server";

/**
 * Short-lived download links (docs/architecture.md §6): `/files/<token>`, where
 * token = base64url(JSON payload) + "." + base64url(HMAC-SHA256(payload part)).
 *
 * The HMAC key is derived (HKDF-SHA256, info "covera signed links") from ENCRYPTION_KEY, so it is
 * never the encryption key itself. Links are signed with the current key and verify under every key
 * in the keyring (ENCRYPTION_KEYS_OLD), so a key rotation does not break links already sent.
 *
 * A link is bound to a tenant (it never opens on another tenant's host) and, unless `userId` is
 * null, to a signed-in user. A null user makes a bearer link: anyone holding it may download until it
 * expires (e.g. the certificate link in the policyholder's e-mail) — sign those sparingly.
 */

export type SignDownloadInput = {
  tenantId: string;
  /** A key from `fileKey()`; it must belong to `tenantId`. */
  fileKey: string;
  /** The only user who may open the link, or null for anyone who holds it. */
  userId: string | null;
  /** Default 300 (five minutes); at most 30 days. */
  expiresInSeconds?: number;
  /** The name the browser saves the file as (Content-Disposition). Default: the key's filename. */
  filename?: string;
  now?: Date;
  /** Master keys; default the process keyring (ENCRYPTION_KEY). */
  keys?: SigningKeys;
};

export type VerifyDownloadContext = {
  /** The tenant of the request's host. */
  tenantId: string;
  /** The signed-in user, or null. */
  userId: string | null;
  now?: Date;
  keys?: SigningKeys;
};

export type VerifyDownloadResult =
  | { ok: true; fileKey: string; filename: string }
  | { ok: false; reason: "expired" | "bad_signature" | "wrong_tenant" | "wrong_user" | "malformed" };

/** Master keys: `current` signs, all verify (32-byte keys, as in the PII keyring). */
export type SigningKeys = { current: string; keys: Record<string, Buffer> };

type Payload = {
  /** format version */
  v: 1;
  /** tenant id */
  t: string;
  /** file key */
  k: string;
  /** user id, or null for a bearer link */
  u: string | null;
  /** download filename */
  f: string;
  /** expiry, Unix seconds */
  e: number;
};

const HKDF_INFO = "covera signed links";
const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAC_BYTES = 32;

export const DOWNLOAD_PATH_PREFIX = "/files/";

/** Signs a download link: returns the URL path `/files/<token>`. */
export function signDownload(input: SignDownloadInput): string {
  const ttl = input.expiresInSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
    throw new RangeError(`expiresInSeconds must be a whole number of seconds between 1 and ${MAX_TTL_SECONDS}.`);
  }
  if (!input.tenantId || tenantOfKey(input.fileKey) !== input.tenantId) {
    throw new Error("Refusing to sign a link to a file of another tenant.");
  }
  if (input.userId === "") throw new Error("userId must be a user id or null.");
  const now = (input.now ?? new Date()).getTime();
  const payload: Payload = {
    v: 1,
    t: input.tenantId,
    k: input.fileKey,
    u: input.userId,
    f: displayFilename(input.filename ?? filenameOfKey(input.fileKey)),
    e: Math.floor(now / 1000) + ttl,
  };
  return `${DOWNLOAD_PATH_PREFIX}${signToken(HKDF_INFO, payload, input.keys)}`;
}

/**
 * Checks a token (the part after `/files/`) for this request. The signature is checked (in constant
 * time) before anything in the payload is trusted; then expiry, tenant and user.
 */
export function verifyDownload(token: string, context: VerifyDownloadContext): VerifyDownloadResult {
  const opened = verifyToken(HKDF_INFO, token, context.keys);
  if (!opened.ok) return opened;
  const payload = parsePayload(opened.payload);
  if (!payload) return { ok: false, reason: "malformed" };
  const now = (context.now ?? new Date()).getTime();
  if (now >= payload.e * 1000) return { ok: false, reason: "expired" };
  if (payload.t !== context.tenantId || tenantOfKey(payload.k) !== context.tenantId) return { ok: false, reason: "wrong_tenant" };
  if (payload.u !== null && payload.u !== context.userId) return { ok: false, reason: "wrong_user" };
  return { ok: true, fileKey: payload.k, filename: payload.f };
}

/**
 * Signs any small payload for a purpose of its own, in the download links' format: the HMAC key is
 * derived from the keyring with `purpose` as the HKDF info, so a token made for one purpose never
 * verifies for another. Other signed links (the email unsubscribe link) use this, not a scheme of
 * their own; the payload should carry its own expiry, checked by the caller.
 */
export function signToken(purpose: string, payload: object, keys: SigningKeys = keysFromEnv()): string {
  const body = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  const mac = macFor(masterKey(keys, keys.current), body, purpose).toString("base64url");
  return `${body}.${mac}`;
}

/**
 * Checks a token of `signToken` for a purpose: the signature (in constant time, under every key of
 * the keyring) before anything in the payload is read. The payload is returned unparsed-for-shape.
 */
export function verifyToken(
  purpose: string,
  token: string,
  keys: SigningKeys = keysFromEnv(),
): { ok: true; payload: unknown } | { ok: false; reason: "malformed" | "bad_signature" } {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  const [body, macText] = parts;
  if (parts.length !== 2 || !body || !macText) return { ok: false, reason: "malformed" };
  const mac = strictBase64url(macText);
  if (!strictBase64url(body) || !mac) return { ok: false, reason: "malformed" };

  let valid = false;
  for (const version of Object.keys(keys.keys)) {
    const expected = macFor(masterKey(keys, version), body, purpose);
    // Compare against every key (no early exit), lengths first: the MAC length is public.
    if (mac.length === expected.length && timingSafeEqual(mac, expected)) valid = true;
  }
  if (!valid) return { ok: false, reason: "bad_signature" };
  try {
    return { ok: true, payload: JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown };
  } catch (_error) {
    return { ok: false, reason: "malformed" };
  }
}

/**
 * A Content-Disposition header for a download: an ASCII `filename` and an RFC 5987 `filename*`.
 * `inline` lets the browser show PDFs and images; `attachment` always saves.
 */
export function contentDisposition(filename: string, type: "attachment" | "inline" = "attachment"): string {
  const display = displayFilename(filename);
  const encoded = encodeURIComponent(display).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${safeFilename(display)}"; filename*=UTF-8''${encoded}`;
}

/** A filename fit for a header: the last path segment, no control characters or quotes, at most 150 characters. */
function displayFilename(filename: string): string {
  const cleaned = (filename.split(/[/\\]/).pop() ?? "")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, "")
    // Lone surrogates would make encodeURIComponent throw.
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .trim();
  return Array.from(cleaned).slice(0, 150).join("") || "file";
}

// ---------------------------------------------------------------------------------------------

function parsePayload(value: unknown): Payload | null {
  if (typeof value !== "object" || value === null) return null;
  const p = value as Record<string, unknown>;
  if (
    p.v !== 1 ||
    typeof p.t !== "string" ||
    typeof p.k !== "string" ||
    !(p.u === null || typeof p.u === "string") ||
    typeof p.f !== "string" ||
    typeof p.e !== "number" ||
    !Number.isFinite(p.e)
  ) {
    return null;
  }
  return { v: 1, t: p.t, k: p.k, u: p.u, f: p.f, e: p.e };
}

const derived = new WeakMap<Buffer, Map<string, Buffer>>();

function masterKey(keys: SigningKeys, version: string): Buffer {
  const master = keys.keys[version];
  if (!master || master.length !== 32) throw new Error(`No usable 32-byte key "${version}" to sign links with.`);
  return master;
}

function macFor(master: Buffer, body: string, purpose: string): Buffer {
  let byPurpose = derived.get(master);
  if (!byPurpose) derived.set(master, (byPurpose = new Map()));
  let key = byPurpose.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), purpose, MAC_BYTES));
    byPurpose.set(purpose, key);
  }
  return createHmac("sha256", key).update(body, "utf8").digest();
}

/** Decodes base64url only when it is the canonical encoding, so no character can change unnoticed. */
function strictBase64url(text: string): Buffer | null {
  if (!BASE64URL_PATTERN.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

function keysFromEnv(): SigningKeys {
  return piiKeysFromEnv();
}

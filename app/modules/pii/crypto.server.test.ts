import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  blindIndex,
  blindIndexCandidates,
  decodeKey,
  decryptPii,
  encryptPii,
  needsReencryption,
  parsePiiKeyring,
  piiContext,
  PiiCryptoError,
  piiKeysFromEnv,
  piiKeyVersion,
  type PiiKeyring,
} from "./crypto.server";

const TENANT_A = "0b7e0f7e-aaaa-4c3b-9a7e-0d1a2b3c4d5e";
const TENANT_B = "0b7e0f7e-bbbb-4c3b-9a7e-0d1a2b3c4d5e";
const NRIC = "850412101234";

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const ring: PiiKeyring = { current: "v1", keys: { v1: keyA } };
const ctx = piiContext(TENANT_A, "nric");

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PiiCryptoError);
    return (error as PiiCryptoError).code;
  }
  return undefined;
}

/** Flips one bit of the decoded byte at `index` in part `part` (1 = IV, 2 = ciphertext+tag). */
function flip(value: string, part: 1 | 2, index: number): string {
  const parts = value.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[index] = bytes[index]! ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("encryptPii / decryptPii", () => {
  it("round-trips, including empty and non-ASCII text", () => {
    for (const text of [NRIC, "", "Wanjiru Kamau — 12345678", "李小龍 🚗"]) {
      const sealed = encryptPii(text, { key: ring, context: ctx });
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain(text || "\u0000");
      expect(decryptPii(sealed, { key: ring, context: ctx })).toBe(text);
    }
  });

  it("uses a random IV: the same plaintext encrypts differently every time", () => {
    const seen = new Set(Array.from({ length: 20 }, () => encryptPii(NRIC, { key: ring, context: ctx })));
    expect(seen.size).toBe(20);
    const ivs = new Set([...seen].map((s) => s.split(".")[1]));
    expect(ivs.size).toBe(20);
  });

  it("detects tampering with any byte of the IV, ciphertext or tag", () => {
    const sealed = encryptPii(NRIC, { key: ring, context: ctx });
    const bodyLength = Buffer.from(sealed.split(".")[2]!, "base64url").length;
    expect(bodyLength).toBe(NRIC.length + 16);
    for (let i = 0; i < 12; i++)
      expect(codeOf(() => decryptPii(flip(sealed, 1, i), { key: ring, context: ctx }))).toBe("authentication_failed");
    for (let i = 0; i < bodyLength; i++) {
      expect(codeOf(() => decryptPii(flip(sealed, 2, i), { key: ring, context: ctx }))).toBe("authentication_failed");
    }
  });

  it("rejects a changed last character even when it only touches base64 padding bits", () => {
    const sealed = encryptPii("1234567", { key: ring, context: ctx }); // 23 bytes: the last char has spare bits
    const last = sealed.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const neighbour = alphabet[(alphabet.indexOf(last) ^ 1) % 64]!;
    expect(codeOf(() => decryptPii(sealed.slice(0, -1) + neighbour, { key: ring, context: ctx }))).toBe("malformed");
  });

  it("rejects truncated and malformed values", () => {
    const sealed = encryptPii(NRIC, { key: ring, context: ctx });
    const [v, iv, body] = sealed.split(".") as [string, string, string];
    const shortTag = Buffer.from(body, "base64url").subarray(0, -1).toString("base64url");
    expect(codeOf(() => decryptPii(`${v}.${iv}.${shortTag}`, { key: ring, context: ctx }))).toBe("authentication_failed");
    for (const bad of [
      "",
      NRIC,
      "v1..",
      `v1.${iv}`,
      `v1.${iv}.${body}.x`,
      `v1.${iv}.AAAA`,
      `v1.${iv.slice(2)}.${body}`,
      `v1.${iv}.${body}=`,
      `v 1.${iv}.${body}`,
    ]) {
      expect(codeOf(() => decryptPii(bad, { key: ring, context: ctx }))).toBe("malformed");
    }
  });

  it("fails with another tenant's or another field's context (AAD)", () => {
    const sealed = encryptPii(NRIC, { key: ring, context: ctx });
    for (const other of [piiContext(TENANT_B, "nric"), piiContext(TENANT_A, "bank_account"), `${ctx} `]) {
      expect(codeOf(() => decryptPii(sealed, { key: ring, context: other }))).toBe("authentication_failed");
    }
    expect(codeOf(() => decryptPii(sealed, { key: ring, context: "" }))).toBe("bad_key");
  });

  it("fails with the wrong key under the same version name", () => {
    const sealed = encryptPii(NRIC, { key: ring, context: ctx });
    expect(codeOf(() => decryptPii(sealed, { key: { current: "v1", keys: { v1: keyB } }, context: ctx }))).toBe("authentication_failed");
  });

  it("rotates: old values still decrypt, new values use the current key, re-encryption moves them over", () => {
    const before = encryptPii(NRIC, { key: ring, context: ctx });
    const rotated: PiiKeyring = { current: "v2", keys: { v2: keyB, v1: keyA } };
    expect(decryptPii(before, { key: rotated, context: ctx })).toBe(NRIC);

    const after = encryptPii(NRIC, { key: rotated, context: ctx });
    expect(piiKeyVersion(after)).toBe("v2");
    expect(codeOf(() => decryptPii(after, { key: ring, context: ctx }))).toBe("unknown_key");
    expect(decryptPii(after, { key: { current: "v2", keys: { v2: keyB } }, context: ctx })).toBe(NRIC);

    expect(needsReencryption(before, rotated)).toBe(true);
    expect(needsReencryption(after, rotated)).toBe(false);
    const moved = encryptPii(decryptPii(before, { key: rotated, context: ctx }), { key: rotated, context: ctx });
    expect(needsReencryption(moved, rotated)).toBe(false);

    // Once v1 is retired, values still under it cannot be read: re-encrypt everything first.
    expect(codeOf(() => decryptPii(before, { key: { current: "v2", keys: { v2: keyB } }, context: ctx }))).toBe("unknown_key");
  });

  it("refuses keys that are not 32 bytes", () => {
    const short: PiiKeyring = { current: "v1", keys: { v1: Buffer.alloc(16, 1) } };
    expect(codeOf(() => encryptPii(NRIC, { key: short, context: ctx }))).toBe("bad_key");
    expect(codeOf(() => encryptPii(NRIC, { key: { current: "v9", keys: { v1: keyA } }, context: ctx }))).toBe("bad_key");
  });

  it("reports the key version of stored values, and null for anything else", () => {
    expect(piiKeyVersion(encryptPii(NRIC, { key: ring, context: ctx }))).toBe("v1");
    expect(piiKeyVersion(NRIC)).toBeNull();
    expect(needsReencryption(NRIC, ring)).toBe(true);
  });
});

describe("blindIndex", () => {
  it("is deterministic per key and context, 64 hex characters", () => {
    const a = blindIndex(NRIC, { key: ring, context: ctx });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(blindIndex(NRIC, { key: ring, context: ctx })).toBe(a);
    expect(blindIndex(NRIC, { key: { current: "v1", keys: { v1: Buffer.from(keyA) } }, context: ctx })).toBe(a);
    expect(a).not.toContain(NRIC);
  });

  it("differs across tenants, kinds, values and keys", () => {
    const a = blindIndex(NRIC, { key: ring, context: ctx });
    const others = [
      blindIndex(NRIC, { key: ring, context: piiContext(TENANT_B, "nric") }),
      blindIndex(NRIC, { key: ring, context: piiContext(TENANT_A, "bank_account") }),
      blindIndex("850412101235", { key: ring, context: ctx }),
      blindIndex(NRIC, { key: { current: "v1", keys: { v1: keyB } }, context: ctx }),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
  });

  it("does not let the context/value boundary shift produce the same index", () => {
    expect(blindIndex("1234", { key: ring, context: "t:nric5" })).not.toBe(blindIndex("51234", { key: ring, context: "t:nric" }));
  });

  it("uses a derived key, not the master key itself", async () => {
    const { createHmac } = await import("node:crypto");
    const a = blindIndex(NRIC, { key: ring, context: ctx });
    expect(createHmac("sha256", keyA).update(`${ctx}${NRIC}`).digest("hex")).not.toBe(a);
    expect(createHmac("sha256", keyA).update(NRIC).digest("hex")).not.toBe(a);
  });

  it("lists the index under every key, current first, for lookups during a rotation", () => {
    const rotated: PiiKeyring = { current: "v2", keys: { v1: keyA, v2: keyB } };
    const candidates = blindIndexCandidates(NRIC, { key: rotated, context: ctx });
    expect(candidates).toEqual([blindIndex(NRIC, { key: rotated, context: ctx }), blindIndex(NRIC, { key: ring, context: ctx })]);
  });
});

describe("keyring from the environment", () => {
  const b64 = (key: Buffer) => key.toString("base64");

  it("parses ENCRYPTION_KEY alone as v1", () => {
    const parsed = parsePiiKeyring({ currentKey: b64(keyA) });
    expect(parsed.current).toBe("v1");
    expect(Object.keys(parsed.keys)).toEqual(["v1"]);
    expect(parsed.keys.v1!.equals(keyA)).toBe(true);
  });

  it("parses a rotated key with old keys, which still decrypt", () => {
    const sealed = encryptPii(NRIC, { key: ring, context: ctx });
    const parsed = parsePiiKeyring({
      currentKey: b64(keyB),
      currentVersion: "v2",
      oldKeys: ` v1:${b64(keyA)} , v0:${randomBytes(32).toString("base64url")},`,
    });
    expect(parsed.current).toBe("v2");
    expect(Object.keys(parsed.keys).sort()).toEqual(["v0", "v1", "v2"]);
    expect(decryptPii(sealed, { key: parsed, context: ctx })).toBe(NRIC);
    expect(piiKeyVersion(encryptPii(NRIC, { key: parsed, context: ctx }))).toBe("v2");
  });

  it("refuses bad keys and bad lists with a clear message", () => {
    expect(codeOf(() => decodeKey(b64(Buffer.alloc(16))))).toBe("bad_key");
    expect(codeOf(() => decodeKey("not base64 at all!"))).toBe("bad_key");
    expect(codeOf(() => parsePiiKeyring({ currentKey: b64(keyA), oldKeys: b64(keyB) }))).toBe("bad_key");
    expect(codeOf(() => parsePiiKeyring({ currentKey: b64(keyA), oldKeys: `v1:${b64(keyB)}` }))).toBe("bad_key");
    expect(codeOf(() => parsePiiKeyring({ currentKey: b64(keyA), currentVersion: "v.1" }))).toBe("bad_key");
    expect(() => decodeKey(b64(Buffer.alloc(31)))).toThrow(/32 bytes/);
  });

  it("piiKeysFromEnv gives a working keyring (the development key in tests)", () => {
    const keys = piiKeysFromEnv();
    expect(keys.current).toBe("v1");
    expect(keys.keys.v1).toHaveLength(32);
    expect(piiKeysFromEnv()).toBe(keys);
    expect(decryptPii(encryptPii(NRIC, { key: keys, context: ctx }), { key: keys, context: ctx })).toBe(NRIC);
  });
});

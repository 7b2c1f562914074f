import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentDisposition, signDownload, verifyDownload, type SigningKeys } from "./signed-links.server";
import { fileKey } from "./storage.server";

const BOWMAN = "5d4c3b2a-0000-4000-8000-000000000001";
const KHHOLDINGS = "5d4c3b2a-0000-4000-8000-000000000002";
const AMINA = "8a1f0c2e-1111-4000-8000-0000000000a1";
const JOSEPH = "8a1f0c2e-2222-4000-8000-0000000000b2";
const NOW = new Date("2026-05-01T09:00:00Z");
const keys: SigningKeys = { current: "v1", keys: { v1: randomBytes(32) } };

const key = fileKey(BOWMAN, "documents", "Certificate BWM-POL-000042.pdf", NOW);

function tokenOf(link: string): string {
  expect(link.startsWith("/files/")).toBe(true);
  return link.slice("/files/".length);
}

function sign(overrides: Partial<Parameters<typeof signDownload>[0]> = {}) {
  return tokenOf(signDownload({ tenantId: BOWMAN, fileKey: key, userId: AMINA, now: NOW, keys, ...overrides }));
}

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe("signed download links", () => {
  it("verifies for the same tenant and user, with the key and filename", () => {
    const token = sign({ filename: "Certificate BWM-POL-000042.pdf" });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: AMINA, now: at(10), keys })).toEqual({
      ok: true,
      fileKey: key,
      filename: "Certificate BWM-POL-000042.pdf",
    });
    // Without a filename, the key's own filename.
    expect(verifyDownload(sign(), { tenantId: BOWMAN, userId: AMINA, now: NOW, keys })).toMatchObject({
      ok: true,
      filename: "Certificate_BWM-POL-000042.pdf",
    });
  });

  it("expires after expiresInSeconds (default 300)", () => {
    const token = sign();
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: AMINA, now: at(299), keys }).ok).toBe(true);
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: AMINA, now: at(300), keys })).toEqual({ ok: false, reason: "expired" });
    const day = sign({ expiresInSeconds: 86_400 });
    expect(verifyDownload(day, { tenantId: BOWMAN, userId: AMINA, now: at(86_399), keys }).ok).toBe(true);
    expect(verifyDownload(day, { tenantId: BOWMAN, userId: AMINA, now: at(86_401), keys })).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects a tampered payload", () => {
    const [body, mac] = sign().split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    for (const change of [
      { e: (payload.e as number) + 86_400 },
      { u: JOSEPH },
      { u: null },
      { k: `${BOWMAN}/documents/2026/05/other.pdf` },
    ]) {
      const forged = Buffer.from(JSON.stringify({ ...payload, ...change })).toString("base64url");
      expect(verifyDownload(`${forged}.${mac}`, { tenantId: BOWMAN, userId: JOSEPH, now: NOW, keys })).toEqual({
        ok: false,
        reason: "bad_signature",
      });
    }
  });

  it("rejects a tampered or foreign signature", () => {
    const [body, mac] = sign().split(".") as [string, string];
    const flipped = Buffer.from(mac, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const context = { tenantId: BOWMAN, userId: AMINA, now: NOW, keys };
    expect(verifyDownload(`${body}.${flipped.toString("base64url")}`, context)).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyDownload(`${body}.${mac.slice(0, 20)}`, context)).toEqual({ ok: false, reason: "bad_signature" });
    const otherKeys: SigningKeys = { current: "v1", keys: { v1: randomBytes(32) } };
    expect(verifyDownload(`${body}.${mac}`, { ...context, keys: otherKeys })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("rejects malformed tokens", () => {
    const context = { tenantId: BOWMAN, userId: AMINA, now: NOW, keys };
    const token = sign();
    for (const bad of ["", "abc", `${token}.x`, token.replace(".", "+"), `${token}=`, "a".repeat(5000), "e30.AAAA"]) {
      const result = verifyDownload(bad, context);
      expect(result.ok).toBe(false);
      expect(["malformed", "bad_signature"]).toContain(!result.ok && result.reason);
    }
    expect(verifyDownload("abc", context)).toEqual({ ok: false, reason: "malformed" });
  });

  it("never opens on another tenant (a Bowman link on KHHoldings)", () => {
    expect(verifyDownload(sign(), { tenantId: KHHOLDINGS, userId: AMINA, now: NOW, keys })).toEqual({ ok: false, reason: "wrong_tenant" });
    expect(verifyDownload(sign({ userId: null }), { tenantId: KHHOLDINGS, userId: null, now: NOW, keys })).toEqual({
      ok: false,
      reason: "wrong_tenant",
    });
    // Nor will it sign a link to another tenant's file.
    expect(() => signDownload({ tenantId: KHHOLDINGS, fileKey: key, userId: AMINA, keys })).toThrow(/another tenant/);
    expect(() => signDownload({ tenantId: "abc", fileKey: "abcd", userId: AMINA, keys })).toThrow(/another tenant/);
  });

  it("needs the same signed-in user for a user-bound link", () => {
    const token = sign();
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: JOSEPH, now: NOW, keys })).toEqual({ ok: false, reason: "wrong_user" });
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: null, now: NOW, keys })).toEqual({ ok: false, reason: "wrong_user" });
  });

  it("opens a public link (userId null) for anyone holding it, until it expires", () => {
    const token = sign({ userId: null, expiresInSeconds: 7 * 86_400 });
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: null, now: at(3600), keys }).ok).toBe(true);
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: JOSEPH, now: at(3600), keys }).ok).toBe(true);
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: null, now: at(7 * 86_400), keys })).toEqual({ ok: false, reason: "expired" });
  });

  it("still verifies links signed before a key rotation", () => {
    const token = sign();
    const rotated: SigningKeys = { current: "v2", keys: { v2: randomBytes(32), v1: keys.keys.v1 as Buffer } };
    expect(verifyDownload(token, { tenantId: BOWMAN, userId: AMINA, now: NOW, keys: rotated }).ok).toBe(true);
  });

  it("uses ENCRYPTION_KEY from the environment by default", () => {
    const link = signDownload({ tenantId: BOWMAN, fileKey: key, userId: null });
    expect(verifyDownload(tokenOf(link), { tenantId: BOWMAN, userId: null })).toMatchObject({ ok: true, fileKey: key });
    expect(verifyDownload(tokenOf(link), { tenantId: BOWMAN, userId: null, keys }).ok).toBe(false);
  });

  it("refuses odd lifetimes", () => {
    expect(() => sign({ expiresInSeconds: 0 })).toThrow(RangeError);
    expect(() => sign({ expiresInSeconds: 1.5 })).toThrow(RangeError);
    expect(() => sign({ expiresInSeconds: 31 * 86_400 })).toThrow(RangeError);
  });

  it("builds a Content-Disposition header with an ASCII fallback and the UTF-8 name", () => {
    expect(contentDisposition("Cérificat d'assurance.pdf")).toBe(
      `attachment; filename="Cerificat_d_assurance.pdf"; filename*=UTF-8''C%C3%A9rificat%20d%27assurance.pdf`,
    );
    expect(contentDisposition('a"b\r\nc.pdf', "inline")).toBe(`inline; filename="abc.pdf"; filename*=UTF-8''abc.pdf`);
  });
});

import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newRecoveryCodes,
  normaliseRecoveryCode,
  otpauthUri,
  recoveryCodeHash,
  timeStep,
  totp,
} from "./two-factor-totp.server";

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SEED = Buffer.from("12345678901234567890", "ascii");
const at = (seconds: number) => new Date(seconds * 1000);

describe("TOTP against RFC 6238's test vectors (SHA-1)", () => {
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("at %i s the eight-digit code is %s", (seconds, code) => {
    expect(totp(RFC_SEED, at(seconds), 8)).toBe(code);
  });

  it("gives the vectors' last six digits as the six-digit code apps show", () => {
    expect(totp(RFC_SEED, at(59))).toBe("287082");
    expect(totp(RFC_SEED, at(1111111109))).toBe("081804");
  });

  it("matches RFC 4226's HOTP vectors at counters 0 and 9", () => {
    expect(hotp(RFC_SEED, 0)).toBe("755224");
    expect(hotp(RFC_SEED, 9)).toBe("520489");
  });
});

describe("matching a code", () => {
  const now = at(1111111111);
  const step = timeStep(now);

  it("takes the code of this step and of one step either side, not two", () => {
    for (const offset of [-1, 0, 1]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + offset), now, null)).toBe(step + offset);
    for (const offset of [-2, 2]) expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + offset), now, null)).toBeNull();
  });

  it("refuses a code whose step was already used, or an earlier one (replay)", () => {
    const code = hotp(RFC_SEED, step);
    expect(matchTotp(RFC_SEED, code, now, step)).toBeNull();
    expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step - 1), now, step)).toBeNull();
    // The next step's code is still good after this one was used.
    expect(matchTotp(RFC_SEED, hotp(RFC_SEED, step + 1), now, step)).toBe(step + 1);
  });

  it("refuses anything that is not six digits", () => {
    expect(matchTotp(RFC_SEED, "", now, null)).toBeNull();
    expect(matchTotp(RFC_SEED, "12345", now, null)).toBeNull();
    expect(matchTotp(RFC_SEED, "abcdef", now, null)).toBeNull();
  });
});

describe("secrets and recovery codes", () => {
  it("round-trips base32 (RFC 4648's vector) and ignores spaces and letter case", () => {
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Decode("mzxw 6ytb oi").toString()).toBe("foobar");
    expect(() => base32Decode("1!")).toThrow(RangeError);
  });

  it("writes the otpauth URI apps scan", () => {
    const uri = otpauthUri({ issuer: "Bowman Insurance", account: "amina@example.com", secret: Buffer.from("foobar") });
    expect(uri).toBe(
      "otpauth://totp/Bowman%20Insurance%3Aamina%40example.com?secret=MZXW6YTBOI&issuer=Bowman+Insurance&algorithm=SHA1&digits=6&period=30",
    );
  });

  it("makes ten different codes, and a typed code hashes the same with any spacing or case", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const code = codes[0]!;
    expect(recoveryCodeHash(` ${code.toUpperCase().replace(/-/g, " ")} `)).toBe(recoveryCodeHash(code));
    expect(normaliseRecoveryCode("AbCd-EfGh")).toBe("abcdefgh");
  });
});

import { z } from "zod";
import { lineText } from "~/lib/text";

/**
 * Personal identifiers (docs/architecture.md §3): how each kind is typed in, checked, stored and shown.
 * Browser-safe (no node imports) so forms validate with the same rules the server applies.
 *
 * The normalised form is the one that is encrypted and blind-indexed (crypto.server.ts), so two
 * spellings of the same number ("850412-10-1234", "850412101234") are the same identifier.
 * Normalisers never throw and are idempotent; validators take a normalised value.
 */

export const IDENTIFIER_KINDS = ["national_id", "kra_pin", "nric", "bank_account"] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** Full-width digits and letters to ASCII, Unicode dashes to "-", then trimmed. */
function clean(raw: string): string {
  return raw
    .normalize("NFKC")
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, "-")
    .trim();
}

const withoutSpaces = (raw: string) => clean(raw).replace(/\s+/g, "");
const withoutSpacesOrDashes = (raw: string) => clean(raw).replace(/[\s-]+/g, "");

// ---------------------------------------------------------------------------------------------
// Kenyan national ID: 7 or 8 digits.

export function normaliseNationalId(raw: string): string {
  return withoutSpaces(raw);
}

export function nationalIdProblem(value: string): string | null {
  if (value === "") return "Enter the national ID number.";
  if (!/^\d+$/.test(value)) return "A national ID number has only digits.";
  if (value.length < 7 || value.length > 8) return "A national ID number has 7 or 8 digits.";
  return null;
}

// ---------------------------------------------------------------------------------------------
// KRA PIN: A (individual) or P (non-individual), nine digits, a check letter: A123456789Z.

export function normaliseKraPin(raw: string): string {
  return withoutSpacesOrDashes(raw).toUpperCase();
}

export function kraPinProblem(value: string): string | null {
  if (value === "") return "Enter the KRA PIN.";
  if (!/^[AP]\d{9}[A-Z]$/.test(value)) {
    return "A KRA PIN looks like A123456789Z: the letter A or P, nine digits, then a letter.";
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Malaysian NRIC / MyKad: YYMMDD-PB-###G, 12 digits.

/** Place-of-birth codes issued by JPN: states 01–16 and 21–59, countries and regions 60–99. */
const NRIC_PLACE_OF_BIRTH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [1, 16],
  [21, 59],
  [60, 68],
  [71, 72],
  [74, 79],
  [82, 93],
  [98, 99],
];

export function isValidNricPlaceOfBirth(code: string): boolean {
  if (!/^\d{2}$/.test(code)) return false;
  const n = Number(code);
  return NRIC_PLACE_OF_BIRTH_RANGES.some(([from, to]) => n >= from && n <= to);
}

/**
 * YYMMDD is a real date in 19YY or 20YY (the century is not recorded, so either counts):
 * 29 February is accepted whenever YY is divisible by 4 (2000 was a leap year).
 */
export function isValidNricDate(yymmdd: string): boolean {
  if (!/^\d{6}$/.test(yymmdd)) return false;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  const daysInMonth = [31, yy % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1] ?? 0;
  return dd <= daysInMonth;
}

/** "850412-10-1234", "850412 10 1234" and "850412101234" all become "850412101234". */
export function normaliseNric(raw: string): string {
  return withoutSpacesOrDashes(raw);
}

export function nricProblem(value: string): string | null {
  if (value === "") return "Enter the MyKad (NRIC) number.";
  if (!/^\d{12}$/.test(value)) return "A MyKad number has 12 digits, like 850412-10-1234.";
  if (!isValidNricDate(value.slice(0, 6))) return "The first six digits of a MyKad number are a date of birth (YYMMDD).";
  if (!isValidNricPlaceOfBirth(value.slice(6, 8))) return "Digits 7 and 8 of a MyKad number are not a valid place-of-birth code.";
  return null;
}

/** 850412101234 → 850412-10-1234 (anything that is not 12 digits is returned as it is). */
export function formatNric(value: string): string {
  const v = normaliseNric(value);
  return /^\d{12}$/.test(v) ? `${v.slice(0, 6)}-${v.slice(6, 8)}-${v.slice(8)}` : v;
}

// ---------------------------------------------------------------------------------------------
// Bank account numbers (Kenyan and Malaysian banks): 6–20 digits, typed with spaces or dashes.

export function normaliseBankAccount(raw: string): string {
  return withoutSpacesOrDashes(raw);
}

export function bankAccountProblem(value: string): string | null {
  if (value === "") return "Enter the bank account number.";
  if (!/^\d+$/.test(value)) return "A bank account number has only digits (spaces and dashes are fine).";
  if (value.length < 6 || value.length > 20) return "A bank account number has 6 to 20 digits.";
  return null;
}

// ---------------------------------------------------------------------------------------------
// By kind.

const RULES: Record<IdentifierKind, { label: string; normalise: (raw: string) => string; problem: (v: string) => string | null }> = {
  national_id: { label: "national ID number", normalise: normaliseNationalId, problem: nationalIdProblem },
  kra_pin: { label: "KRA PIN", normalise: normaliseKraPin, problem: kraPinProblem },
  nric: { label: "MyKad (NRIC) number", normalise: normaliseNric, problem: nricProblem },
  bank_account: { label: "bank account number", normalise: normaliseBankAccount, problem: bankAccountProblem },
};

export function normaliseIdentifier(kind: IdentifierKind, raw: string): string {
  return RULES[kind].normalise(raw);
}

/** A friendly message saying what is wrong with a normalised value, or null when it is valid. */
export function identifierProblem(kind: IdentifierKind, normalised: string): string | null {
  return RULES[kind].problem(normalised);
}

export function isValidIdentifier(kind: IdentifierKind, normalised: string): boolean {
  return identifierProblem(kind, normalised) === null;
}

/** How a stored (normalised) value is written out in full, e.g. on the owner's own form. */
export function formatIdentifier(kind: IdentifierKind, normalised: string): string {
  return kind === "nric" ? formatNric(normalised) : normaliseIdentifier(kind, normalised);
}

// ---------------------------------------------------------------------------------------------
// Masking: what every page, e-mail, PDF and log shows. At most the last four characters, and
// nothing at all for a value too short for four characters to be safe to show.

const REVEAL = 4;
const MIN_LENGTH_TO_REVEAL = 6;

function tail(value: string): string | null {
  return value.length >= MIN_LENGTH_TO_REVEAL ? value.slice(-REVEAL) : null;
}

/**
 * nric → "******-**-1234", national_id → "****5678", kra_pin → "*******789Z", bank_account → "•••• 4321".
 * The masks have a fixed shape, so they do not give away the length either (except the KRA PIN and
 * NRIC, whose length is fixed anyway).
 */
export function maskIdentifier(kind: IdentifierKind, normalised: string): string {
  const last = tail(normaliseIdentifier(kind, normalised));
  switch (kind) {
    case "nric":
      return `******-**-${last ?? "****"}`;
    case "national_id":
      return `****${last ?? "****"}`;
    case "kra_pin":
      return `*******${last ?? "****"}`;
    case "bank_account":
      return last ? `•••• ${last}` : "••••";
  }
}

// ---------------------------------------------------------------------------------------------
// Zod schemas: a form field's raw string in, the normalised value out, a friendly message when not
// valid. Use `.optional()` at the call site for optional fields.

export function identifierSchema(kind: IdentifierKind) {
  const { label, normalise, problem } = RULES[kind];
  return lineText(`Enter the ${label}.`, `Enter the ${label}.`)
    .transform(normalise)
    .superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    });
}

export const nationalIdSchema = identifierSchema("national_id");
export const kraPinSchema = identifierSchema("kra_pin");
export const nricSchema = identifierSchema("nric");
export const bankAccountSchema = identifierSchema("bank_account");

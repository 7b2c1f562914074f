import { z } from "zod";
import { emailSchema } from "~/modules/auth/schemas";
import { normaliseKenyanPhone } from "~/modules/payments/providers/phone";
import { identifierSchema, type IdentifierKind } from "~/modules/pii/identifiers";
import { FREQUENCIES } from "~/modules/rating";
import { BENEFICIARY_ROWS, RELATIONSHIPS } from "./steps";
import { lineText } from "~/lib/text";

/**
 * The checkout forms' schemas. Browser-safe: the pages validate with the same rules before
 * sending, the server parses with them again. No amount is ever a field: prices come from quotes.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whole years between two YYYY-MM-DD dates. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** "50", "33.33", "12,5 %" → basis points (5000, 3333, 1250); null when it is not a share. */
export function parseShareBp(raw: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(raw.trim());
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return bp >= 1 && bp <= 10_000 ? bp : null;
}

export function formatShare(bp: number): string {
  return bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2);
}

const beneficiaryRow = z
  .object({
    name: lineText().max(120, "Use at most 120 characters").optional(),
    relationship: lineText().optional(),
    share: lineText().optional(),
  })
  .optional();

/** Rows left entirely empty are not beneficiaries; the rest must be complete and add up to 100%. */
export const beneficiariesSchema = z
  .array(beneficiaryRow)
  .max(BENEFICIARY_ROWS, `Name at most ${BENEFICIARY_ROWS} beneficiaries.`)
  .default([])
  .superRefine((rows, ctx) => {
    let total = 0;
    let filled = 0;
    let badShare = false;
    rows.forEach((row, i) => {
      if (!row || (!row.name && !row.relationship && !row.share)) return;
      filled += 1;
      if (!row.name || row.name.length < 2)
        ctx.addIssue({ code: "custom", path: [i, "name"], message: "Enter the beneficiary's full name" });
      if (!RELATIONSHIPS.some((r) => r.value === row.relationship))
        ctx.addIssue({ code: "custom", path: [i, "relationship"], message: "Choose how they are related to you" });
      const bp = row.share ? parseShareBp(row.share) : null;
      if (bp === null) {
        badShare = true;
        ctx.addIssue({ code: "custom", path: [i, "share"], message: "Enter a share between 0.01 and 100 (%)" });
      } else total += bp;
    });
    if (filled === 0) ctx.addIssue({ code: "custom", path: [], message: "Name at least one beneficiary." });
    else if (total !== 10_000 && !badShare)
      ctx.addIssue({ code: "custom", path: [], message: `The shares add up to ${formatShare(total)}%; they must add up to exactly 100%.` });
  })
  .transform((rows) =>
    rows.flatMap((row) =>
      row && row.name && row.relationship && row.share
        ? [{ name: row.name, relationship: row.relationship, shareBp: parseShareBp(row.share)! }]
        : [],
    ),
  );

export interface DetailsSchemaOptions {
  /** The identifiers the agency needs. */
  kinds: IdentifierKind[];
  /** Identifiers already saved for this order: left empty, they are kept. */
  stored: IdentifierKind[];
  /** Some product in the order pays out to beneficiaries. */
  beneficiaries: boolean;
  /** YYYY-MM-DD in the agency's time zone. */
  today: string;
}

export function detailsSchema(options: DetailsSchemaOptions) {
  const identifiers = Object.fromEntries(
    options.kinds.map((kind) => [kind, options.stored.includes(kind) ? identifierSchema(kind).optional() : identifierSchema(kind)]),
  ) as Partial<Record<IdentifierKind, z.ZodType<string | undefined, z.ZodTypeDef, string>>>;
  return z
    .object({
      name: lineText("Enter the policyholder's full name")
        .min(2, "Enter the policyholder's full name")
        .max(120, "Use at most 120 characters"),
      email: emailSchema,
      phone: lineText("Enter a phone number").regex(
        /^\+?[0-9][0-9 ()-]{6,19}$/,
        "Enter a phone number in digits, for example +254 712 345 678",
      ),
      dateOfBirth: lineText("Enter the date of birth")
        .refine(isRealDate, "Enter a real date, like 1985-04-12")
        .refine((v) => !isRealDate(v) || ageOn(v, options.today) >= 18, "The policyholder must be at least 18 years old")
        .refine((v) => !isRealDate(v) || ageOn(v, options.today) <= 100, "Check the year of birth"),
      address: lineText("Enter a postal or home address").min(5, "Enter a postal or home address").max(300, "Use at most 300 characters"),
      identifiers: z.object(identifiers).default({}),
      beneficiaries: options.beneficiaries
        ? beneficiariesSchema
        : z.unknown().transform(() => [] as { name: string; relationship: string; shareBp: number }[]),
    })
    .superRefine((value, ctx) => {
      // A MyKad number starts with its holder's date of birth (YYMMDD): they must agree.
      const nric = (value.identifiers as Partial<Record<IdentifierKind, string>>).nric;
      if (nric && isRealDate(value.dateOfBirth) && nric.slice(0, 6) !== value.dateOfBirth.slice(2).replace(/-/g, ""))
        ctx.addIssue({
          code: "custom",
          path: ["identifiers", "nric"],
          message: "This MyKad number does not match the date of birth above.",
        });
    });
}

export type DetailsValue = z.output<ReturnType<typeof detailsSchema>>;

const method = z.enum(["mpesa", "card", "fpx", "ewallet", "paypal"], {
  required_error: "Choose how to pay",
  invalid_type_error: "Choose how to pay",
});

/** M-Pesa needs the Kenyan phone the PIN prompt goes to; it is normalised to 2547…/2541…. */
function withPhone<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, method, phone: lineText().optional() })
    .superRefine((value, ctx) => {
      if (value.method !== "mpesa") return;
      const phone = normaliseKenyanPhone(value.phone ?? "");
      if (!phone.ok) ctx.addIssue({ code: "custom", path: ["phone"], message: phone.message });
    })
    .transform(({ phone, ...rest }) => ({
      ...rest,
      // Checked just above: for M-Pesa the phone normalises.
      phone: rest.method === "mpesa" ? (normaliseKenyanPhone(phone ?? "") as { phone: string }).phone : null,
    }));
}

export const planSchema = withPhone({
  items: z
    .array(
      z.object({
        itemId: lineText().uuid(),
        frequency: z.enum(FREQUENCIES, { required_error: "Choose how often to pay", invalid_type_error: "Choose how often to pay" }),
      }),
    )
    .default([]),
});
export type PlanValue = z.output<typeof planSchema>;

/** `saveCard`: "Save this card for future payments" (decision 029); only a card payment keeps it. */
export const paySchema = withPhone({
  saveCard: z.boolean().default(false),
  /** FPX: the bank; e-wallets: the wallet — each from the provider's list (checked when the payment starts). */
  bank: lineText().max(32).optional(),
  wallet: lineText().max(32).optional(),
});
export type PayValue = z.output<typeof paySchema>;

export const termsSchema = z.object({
  acceptTerms: z.boolean({ required_error: "Accept the terms to continue" }).refine((v) => v, "Accept the terms to continue"),
  // What the page showed (its quotes and method): if the order changed meanwhile, review again.
  version: lineText("Reload the page and review your order again").max(200),
});

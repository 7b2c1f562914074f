import { z } from "zod";
import { isIsoDate } from "~/modules/rating/dates";
import { parseMajorToMinor, type MajorParse } from "~/modules/rating/inputs";
import { FREQUENCIES } from "~/modules/rating/rules";
import type { TierInput } from "./rules.server";
import { lineText, multilineText } from "~/lib/text";

/**
 * The commissions back office's forms (their labels are in ./labels), shared by the server and
 * the browser (no server code here): the rules editor parses money in the agency's currency and
 * rates in percent with two decimals to basis points, so the browser previews exactly what the
 * server will save.
 */

export const MAX_TIERS = 10;
export const NOTE_MAX = 2000;

// ---------------------------------------------------------------------------------------------
// Rates and amounts

/**
 * A percentage typed by an admin ("11.11", "11.11 %", "50") in basis points (1111, 5000): at most
 * two decimals, from 0 to 100. Exact: the digits are read as text, never through a float.
 */
export function parsePercentToBp(text: unknown): { ok: true; bp: number } | { ok: false; message: string } {
  // The editor also parses what was sent back to it, where a field sent twice is a list.
  if (typeof text !== "string") return { ok: false, message: "Enter a percentage such as 11.11." };
  const cleaned = text.trim().replace(/\s+/g, "").replace(/%$/, "");
  const match = /^(\d{1,3})(?:\.(\d*))?$/.exec(cleaned.startsWith(".") ? `0${cleaned}` : cleaned);
  if (!match) return { ok: false, message: "Enter a percentage such as 11.11." };
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  if (fraction.length > 2) return { ok: false, message: "Use at most two decimals (11.11%)." };
  const bp = Number(match[1]) * 100 + Number(fraction.padEnd(2, "0") || "0");
  if (bp > 10_000) return { ok: false, message: "A rate is at most 100%." };
  return { ok: true, bp };
}

/** 1111 → "11.11" (the text the rate field holds). */
export function bpToPercentInput(bp: number): string {
  const whole = Math.floor(bp / 100);
  const fraction = bp % 100;
  return fraction === 0 ? String(whole) : `${whole}.${String(fraction).padStart(2, "0").replace(/0$/, "")}`;
}

function moneyMessage(parse: Exclude<MajorParse, { ok: true }>, what: string): string {
  switch (parse.reason) {
    case "negative":
      return `${what} cannot be negative.`;
    case "decimals":
      return `${what}: use at most two decimals.`;
    case "too_large":
      return `${what} is too large.`;
    default:
      return `Enter ${what.toLowerCase()} such as 10 or 10.50.`;
  }
}

/** Money typed in major units ("1,500.50") to minor units, or a message naming the field. */
export function parseMoneyField(
  text: unknown,
  currency: string,
  what: string,
): { ok: true; minor: number } | { ok: false; message: string } {
  // The editor also parses what was sent back to it, where a field sent twice is a list.
  const parsed = parseMajorToMinor(typeof text === "string" ? text : "", currency);
  return parsed.ok ? { ok: true, minor: parsed.minor } : { ok: false, message: moneyMessage(parsed, what) };
}

// ---------------------------------------------------------------------------------------------
// The rules editor

const tierRowSchema = (currency: string) =>
  z
    .object({
      kind: z.enum(["fixed", "percent"], { errorMap: () => ({ message: "Choose a fixed amount or a percentage." }) }),
      amount: lineText().max(40).optional(),
      rate: lineText().max(20).optional(),
      cap: lineText().max(40).optional(),
      requiresActive: z.boolean({ invalid_type_error: "Tick the box, or leave it empty." }).default(false),
      minPersonalSales: z
        .number({ invalid_type_error: "Enter a whole number of sales (0 or more)." })
        .int("Enter a whole number of sales (0 or more).")
        .min(0, "Enter a whole number of sales (0 or more).")
        .max(1000, "At most 1,000 sales.")
        .default(0),
    })
    .transform((row, ctx): Omit<TierInput, "tier"> => {
      let amountMinor: number | null = null;
      let rateBp: number | null = null;
      if (row.kind === "fixed") {
        if (!row.amount) ctx.addIssue({ code: "custom", path: ["amount"], message: `Enter the amount this tier pays (${currency}).` });
        else {
          const parsed = parseMoneyField(row.amount, currency, "The amount");
          if (parsed.ok) amountMinor = parsed.minor;
          else ctx.addIssue({ code: "custom", path: ["amount"], message: parsed.message });
        }
      } else if (!row.rate) ctx.addIssue({ code: "custom", path: ["rate"], message: "Enter the rate this tier pays, such as 11.11." });
      else {
        const parsed = parsePercentToBp(row.rate);
        if (parsed.ok) rateBp = parsed.bp;
        else ctx.addIssue({ code: "custom", path: ["rate"], message: parsed.message });
      }
      let capMinor: number | null = null;
      if (row.cap) {
        const parsed = parseMoneyField(row.cap, currency, "The cap");
        if (!parsed.ok) ctx.addIssue({ code: "custom", path: ["cap"], message: parsed.message });
        else if (parsed.minor === 0) ctx.addIssue({ code: "custom", path: ["cap"], message: "Leave the cap empty for no cap." });
        else capMinor = parsed.minor;
      }
      return { kind: row.kind, amountMinor, rateBp, capMinor, requiresActive: row.requiresActive, minPersonalSales: row.minPersonalSales };
    });

const TIER_FIELD = /^tiers\[(?:0|[1-9]\d{0,2})\]\.(?:kind|amount|rate|cap|requiresActive|minPersonalSales)$/;
export const STRAY_TIERS_MESSAGE = "The tiers sent are not rows of this form: reload the page and enter them again.";

/**
 * Whether a form speaks of tiers the editor never writes (`tiers[1.5].rate`, `tiers[-1].kind`, a
 * bare `tiers`): conform would drop such a row without a word and the rest would be saved.
 */
export function hasStrayTierFields(names: Iterable<string>): boolean {
  for (const name of names) if (name.startsWith("tiers") && !TIER_FIELD.test(name)) return true;
  return false;
}

/** `2026-12-01T09:00` (seconds allowed): a real date and time, as a datetime-local input sends it. */
export function isWallClock(value: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  return !!match && isIsoDate(match[1]!) && Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4] ?? 0) < 60;
}

/**
 * One product's tiers at one frequency, as a new version that starts now (when saved) or at a
 * later date and time in the agency's time zone; `nowLocal` is the agency's wall clock now
 * (`YYYY-MM-DDTHH:MM`): a version never starts in the past, so payments keep the rules in force
 * when they were made. `replaces` is the scheduled version being changed; `seen` the latest
 * version the form was built from (a save after someone else's refuses). `base` is the sale
 * amount the preview uses; it is not saved.
 */
export function commissionRulesFormSchema(options: { currency: string; nowLocal: string; maxTiers: number }) {
  const startsAt = lineText()
    .max(40)
    .superRefine((value, ctx) => {
      if (!isWallClock(value)) ctx.addIssue({ code: "custom", message: "Enter a date and time such as 2026-12-01 09:00." });
      else if (value.slice(0, 16) <= options.nowLocal)
        ctx.addIssue({
          code: "custom",
          message: `Choose a time after now (${options.nowLocal.replace("T", " ")}), or start the new rules now: past payments keep the rules they were earned under.`,
        });
    });
  const form = z
    .object({
      frequency: z.enum(FREQUENCIES, { errorMap: () => ({ message: "Choose a payment frequency." }) }),
      start: z.enum(["now", "later"], { errorMap: () => ({ message: "Choose when the new rules start." }) }).default("now"),
      startsAt: startsAt.optional(),
      replaces: lineText().uuid().optional(),
      // The latest version the form was built from ("none": there was none), checked by the save.
      seen: lineText().max(40).optional(),
      base: lineText().max(40).optional(),
      tiers: z
        .array(tierRowSchema(options.currency))
        .max(options.maxTiers, `This network pays at most ${options.maxTiers} tiers.`)
        .default([])
        .transform((rows): TierInput[] => rows.map((row, i) => ({ ...row, tier: i + 1 }))),
    })
    .superRefine((value, ctx) => {
      // A hidden field: a form without it (or with a forged one) is told as a whole, not on a field.
      if (value.seen !== "none" && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.seen ?? ""))
        ctx.addIssue({ code: "custom", path: [], message: "This form is out of date: reload the page and save again." });
      if (value.start === "later" && !value.startsAt)
        ctx.addIssue({ code: "custom", path: ["startsAt"], message: "Choose the date and time the new rules start." });
    });
  // Without JavaScript both choices' fields are posted: the time counts only when "later" is chosen.
  // (zod types a preprocess's input as unknown; the form's fields are still the object's.)
  return z.preprocess(
    (raw) => (raw && typeof raw === "object" && (raw as { start?: unknown }).start !== "later" ? { ...raw, startsAt: undefined } : raw),
    form,
  ) as z.ZodEffects<typeof form, z.output<typeof form>, z.input<typeof form>>;
}
export type CommissionRulesForm = z.infer<ReturnType<typeof commissionRulesFormSchema>>;

// ---------------------------------------------------------------------------------------------
// Months and payouts: each is posted from its confirmation step (no JavaScript needed)

export const monthActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("pay"), batchId: lineText().uuid() }),
  // Pay (or retry) the batch's agents by M-Pesa B2C (decision 047).
  z.object({ intent: z.literal("b2c"), batchId: lineText().uuid() }),
]);

// ---------------------------------------------------------------------------------------------
// Disputes

export const disputeResolveSchema = (currency: string) =>
  z
    .object({
      decision: z.enum(["reject", "adjust"], { errorMap: () => ({ message: "Choose to reject the dispute or adjust the entry." }) }),
      resolution: multilineText("Explain the decision: the agent reads it.")
        .trim()
        .min(3, "Explain the decision: the agent reads it.")
        .max(NOTE_MAX, `Keep the note under ${NOTE_MAX.toLocaleString("en")} characters.`),
      corrected: lineText().max(40).optional(),
    })
    .transform((value, ctx) => {
      let correctedAmountMinor: number | null = null;
      if (value.decision === "adjust") {
        if (!value.corrected)
          ctx.addIssue({ code: "custom", path: ["corrected"], message: `Enter what the entry should have been (${currency}).` });
        else {
          const parsed = parseMoneyField(value.corrected, currency, "The corrected amount");
          if (parsed.ok) correctedAmountMinor = parsed.minor;
          else ctx.addIssue({ code: "custom", path: ["corrected"], message: parsed.message });
        }
      }
      return { decision: value.decision, resolution: value.resolution, correctedAmountMinor };
    });

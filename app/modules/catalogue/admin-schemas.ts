import { z } from "zod";
import { parseMajorToMinor, safeParseRating } from "~/modules/rating";
import { jsonTextProblem, lineText, multilineText } from "~/lib/text";

/**
 * The back office's catalogue forms (insurers, categories, products). Browser-safe: the same
 * schemas validate in the page with JavaScript and on the server without it. Checks that need the
 * database (a taken slug, another tenant's category) or the tenant's levies (pricing the sample
 * input) live in admin*.server.ts.
 */

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const SLUG_MESSAGE = "Use lowercase letters, digits and dashes, like motor-comprehensive.";

/** "Jubilee Health Plus — Family!" → "jubilee-health-plus-family": the address when none is typed. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
}

const name = (what: string) =>
  lineText(`Enter the ${what}'s name.`).min(1, `Enter the ${what}'s name.`).max(120, "Keep the name under 120 characters.");
// Empty means "make one from the name" (the module does it, after checking the name).
const slug = lineText().toLowerCase().max(60, "Keep the address under 60 characters.").regex(SLUG_PATTERN, SLUG_MESSAGE).optional();
const longText = (max: number) => multilineText().max(max, `Keep this under ${max} characters.`).default("");

/** "12.5" (percent) → 1250 basis points, exactly: the digits are shifted, never multiplied as floats. */
export function percentToBp(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/%$/, "").trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** 1250 → "12.5": the percent an admin typed, for the edit form. */
export function bpToPercent(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const fraction = String(bp % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

export const insurerFormSchema = z.object({
  name: name("insurer"),
  slug,
  description: longText(2000),
  logoUrl: lineText()
    .max(500)
    // A path on this site or an https address; never "//host" or another scheme (javascript:).
    .refine(
      (v) => (v.startsWith("/") && !v.startsWith("//")) || /^https:\/\/[^/]/.test(v),
      "Give a path like /tenants/acme/jubilee.svg or an https:// address.",
    )
    .optional(),
  rating: z
    .number({ invalid_type_error: "Give a number from 0 to 5, like 4.5." })
    .min(0, "Give a number from 0 to 5, like 4.5.")
    .max(5, "Give a number from 0 to 5, like 4.5.")
    .refine((v) => Math.abs(v * 10 - Math.round(v * 10)) < 1e-9, "Use at most one decimal, like 4.5.")
    .optional(),
  commissionRate: lineText("Enter the commission the insurer pays, in percent (0 if none).").transform((value, ctx) => {
    const bp = percentToBp(value);
    if (bp === null || bp > 10_000) {
      ctx.addIssue({ code: "custom", message: "Give a percentage from 0 to 100 with at most two decimals, like 12.5." });
      return z.NEVER;
    }
    return bp;
  }),
  contactPhone: lineText().max(40).optional(),
  contactEmail: lineText().email("Enter an email address like claims@insurer.co.ke.").optional(),
  contactWebsite: lineText()
    .url("Enter a full address like https://insurer.co.ke.")
    .refine((v) => /^https?:\/\//i.test(v), "Enter a full address like https://insurer.co.ke.")
    .optional(),
});
export type InsurerForm = z.output<typeof insurerFormSchema>;

export const categoryFormSchema = z.object({
  name: name("category"),
  slug,
  icon: lineText()
    .max(40)
    .regex(/^[a-z][a-z0-9-]*$/, "Use an icon name like car, heart, home or plane.")
    .default("shield"),
  description: longText(1000),
  displayOrder: z
    .number({ invalid_type_error: "Give a whole number; lower numbers come first." })
    .int("Give a whole number; lower numbers come first.")
    .min(-1000)
    .max(1000)
    .default(0),
});
export type CategoryForm = z.output<typeof categoryFormSchema>;

const MAX_LIST = 50;
const MAX_ITEM = 300;

/** One item per line (blank lines skipped), each a sentence a customer reads on the product page. */
export const lineList = multilineText()
  .default("")
  .transform((text, ctx) => {
    const items = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    if (items.length > MAX_LIST) ctx.addIssue({ code: "custom", message: `List at most ${MAX_LIST} items.` });
    const long = items.findIndex((item) => item.length > MAX_ITEM);
    if (long >= 0) ctx.addIssue({ code: "custom", message: `Line ${long + 1} is longer than ${MAX_ITEM} characters.` });
    return items;
  });

/** "Label: value" per line → coverage items. Only the first colon splits, so values may hold colons. */
export function parseCoverageLines(lines: readonly string[]): { items: { label: string; value: string }[]; problems: string[] } {
  const items: { label: string; value: string }[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const at = line.indexOf(":");
    const label = at > 0 ? line.slice(0, at).trim() : "";
    const value = at > 0 ? line.slice(at + 1).trim() : "";
    if (!label || !value) problems.push(`Line ${i + 1}: write it as "Label: value", like "Hospital cover: KES 1,000,000".`);
    else items.push({ label, value });
  });
  return { items, problems };
}

/** JSON text → a value, with the parser's complaint as the field's error. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    const value: unknown = JSON.parse(text);
    // A "\u0000" escape would become a NUL that PostgreSQL's jsonb refuses.
    const problem = jsonTextProblem(value);
    return problem ? { ok: false, message: problem } : { ok: true, value };
  } catch (error) {
    return { ok: false, message: `This is not valid JSON: ${(error as Error).message}` };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The product form; money typed in major units of the tenant's currency. */
export function productFormSchema(currency: string) {
  return z.object({
    categoryId: lineText("Choose a category.").uuid("Choose a category."),
    insurerId: lineText("Choose an insurer.").uuid("Choose an insurer."),
    name: name("product"),
    slug,
    summary: lineText("Write one sentence that sells this product; it shows on the listing.")
      .min(1, "Write one sentence that sells this product; it shows on the listing.")
      .max(300, "Keep the summary under 300 characters."),
    description: longText(5000),
    coverage: lineList.transform((lines, ctx) => {
      const { items, problems } = parseCoverageLines(lines);
      for (const message of problems) ctx.addIssue({ code: "custom", message });
      return items;
    }),
    features: lineList,
    inclusions: lineList,
    exclusions: lineList,
    waitingPeriodDays: z
      .number({ invalid_type_error: "Give a whole number of days (0 for none)." })
      .int("Give a whole number of days (0 for none).")
      .min(0, "Give a whole number of days (0 for none).")
      .max(3650, "Give at most 3650 days.")
      .default(0),
    maxCover: lineText()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return null;
        const parsed = parseMajorToMinor(value, currency);
        if (parsed.ok) return parsed.minor;
        const messages = {
          negative: "The maximum cover cannot be negative.",
          decimals: `Give at most the decimals ${currency} has.`,
          too_large: "That amount is too large.",
          format: `Give an amount in ${currency}, like 1,000,000.`,
        };
        ctx.addIssue({ code: "custom", message: messages[parsed.reason] });
        return z.NEVER;
      }),
    requiresUnderwriting: z.boolean().default(false),
    featured: z.boolean().default(false),
    active: z.boolean().default(false),
    rating: multilineText("Give the rating rules as JSON, or start from an existing product's rules.").transform((text, ctx) => {
      const json = parseJsonText(text);
      if (!json.ok) {
        ctx.addIssue({ code: "custom", message: json.message });
        return z.NEVER;
      }
      const checked = safeParseRating(json.value);
      if (!checked.ok) {
        for (const problem of checked.problems) ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
      return json.value as Record<string, unknown>;
    }),
    sampleInput: multilineText()
      .default("{}")
      .transform((text, ctx) => {
        const json = parseJsonText(text);
        if (!json.ok || !isPlainObject(json.value)) {
          ctx.addIssue({ code: "custom", message: json.ok ? 'Give a JSON object, like { "vehicleValue": 200000000 }.' : json.message });
          return z.NEVER;
        }
        return json.value;
      }),
  });
}
export type ProductForm = z.output<ReturnType<typeof productFormSchema>>;

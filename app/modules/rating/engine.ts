import { isIsoDate } from "./dates";
import {
  frequencyOptions,
  levyLines,
  resolveLevies,
  type FieldErrors,
  type FrequencyOption,
  type QuoteInput,
  type QuoteLine,
  type RatingContext,
} from "./compute";
import { fieldErrors, validateInputs } from "./inputs";
import { RatingDeclarationError, formatPath, levyListSchema, parseRating, type Levy } from "./rules";

export interface PriceOptions extends RatingContext {
  /** The tenant's default levies and duties (Kenya: training levy, PHCF levy, stamp duty). */
  levies?: readonly Levy[];
}

export interface Quote {
  currency: string;
  quoteDate: string;
  /** The validated inputs (money in minor units): store these with the quote to re-price it. */
  input: QuoteInput;
  /** Premium lines, minimum adjustments included; they sum to basePremium. */
  lines: QuoteLine[];
  /** Annual premium before levies. */
  basePremium: number;
  levies: QuoteLine[];
  totalLevies: number;
  /** Annual amount payable in one instalment: basePremium + totalLevies. */
  total: number;
  /** The payment frequencies the product offers, annual first. */
  frequencies: FrequencyOption[];
}

export type PriceResult = { ok: true; quote: Quote } | { ok: false; errors: FieldErrors };

/**
 * Price a quote: validate the inputs against the product's declaration, then work out every line.
 * Bad inputs come back as field errors; an invalid declaration or tenant levy list throws a
 * RatingDeclarationError (a configuration mistake, not something the customer can fix).
 */
export function priceQuote(declaration: unknown, input: unknown, options: PriceOptions): PriceResult {
  const rating = parseRating(declaration);
  if (!isIsoDate(options.quoteDate)) throw new RangeError(`quoteDate must be YYYY-MM-DD, got ${JSON.stringify(options.quoteDate)}`);
  const tenantLevies = levyListSchema.safeParse(options.levies ?? []);
  if (!tenantLevies.success)
    throw new RatingDeclarationError(
      tenantLevies.error.issues.map((issue) => `${formatPath(["levies", ...issue.path])}: ${issue.message}`),
    );

  // Validation includes the rating itself (bands and tables), so a valid input always prices.
  const validated = validateInputs(rating, input, options);
  if (!validated.ok) return { ok: false, errors: fieldErrors(validated.issues) };
  const { premium } = validated;

  const levies = resolveLevies(rating, tenantLevies.data);
  const leviesLines = levyLines(levies, premium.basePremium);
  const totalLevies = leviesLines.reduce((sum, line) => sum + line.amount, 0);
  return {
    ok: true,
    quote: {
      currency: options.currency,
      quoteDate: options.quoteDate,
      input: validated.values,
      lines: premium.lines,
      basePremium: premium.basePremium,
      levies: leviesLines,
      totalLevies,
      total: premium.basePremium + totalLevies,
      frequencies: frequencyOptions(rating, premium.basePremium, levies),
    },
  };
}

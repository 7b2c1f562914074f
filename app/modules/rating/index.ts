/**
 * The rating engine: products declare their rating rules as data (rules.ts), the quote form is
 * generated and validated from the declared inputs (inputs.ts), and priceQuote works out the
 * premium with a line-by-line breakdown (engine.ts). Pure TypeScript: runs on the server and in
 * the browser alike.
 */
export {
  FREQUENCIES,
  FREQUENCY_LABELS,
  INSTALMENTS_PER_YEAR,
  RatingDeclarationError,
  componentSchema,
  conditionSchema,
  derivedSchema,
  frequenciesSchema,
  inputDefSchema,
  levyListSchema,
  levySchema,
  parseRating,
  productLeviesSchema,
  ratingSchema,
  safeParseRating,
  type Component,
  type Condition,
  type DerivedDef,
  type Frequency,
  type InputDef,
  type Levy,
  type PersonRole,
  type ProductLevies,
  type RatingDeclaration,
  type RatingDeclarationInput,
} from "./rules";
export {
  describeInputs,
  fieldErrors,
  inputSchemaFor,
  parseMajorToMinor,
  toMajorInput,
  toPlainObject,
  type FieldDescription,
  type MajorParse,
} from "./inputs";
export {
  resolveLevies,
  type FieldErrors,
  type FrequencyOption,
  type InputValue,
  type LineDetail,
  type PersonInput,
  type QuoteInput,
  type QuoteLine,
  type RatingContext,
} from "./compute";
export { priceQuote, type PriceOptions, type PriceResult, type Quote } from "./engine";
export { quoteDateIn } from "./dates";

import { z } from "zod";

/**
 * Text from people and clients, checked once at the edge (docs/architecture.md §7): every form
 * field, query parameter and JSON string is parsed with one of these before a module sees it.
 * PostgreSQL refuses U+0000 in text and jsonb (and jsonb a lone UTF-16 surrogate), and control
 * characters mean nothing in a name or a search, so they are refused with a message by the field
 * rather than failing deep down as a 500. Every field is capped, so none takes a megabyte.
 *
 * They stay zod strings, so a schema goes on with `.min()`, `.email()`, `.regex()` as before.
 * Browser-safe: forms validate with the same schemas while typing. The ESLint config allows a bare
 * `z.string()` only where text does not come from a request (the environment).
 */

/** The default cap of one line of text (a name, an address, a search), in UTF-16 code units. */
export const LINE_MAX = 1_000;
/** The default cap of a multi-line text (a description, a reason, a review). */
export const MULTILINE_MAX = 20_000;
/** Passwords and tokens are hashed or compared, never stored as typed; this only bounds the work. */
export const SECRET_MAX = 1_000;

// Written as "nothing forbidden from here to the end": a plain scan, no backtracking per character,
// so a megabyte costs a megabyte. A lone surrogate can only come from a JSON "\ud800" escape.
const LONE_SURROGATE = String.raw`[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]`;
const ONE_LINE = new RegExp(String.raw`^(?![\s\S]*(?:[\u0000-\u001F\u007F]|${LONE_SURROGATE}))`);
/**
 * Line breaks as \n or \r\n, and tabs (JSON rules pasted from an editor are indented with them);
 * every other control character (NUL, a lone \r, escape …) refused.
 */
const MULTI_LINE = new RegExp(String.raw`^(?![\s\S]*(?:[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\r(?!\n)|${LONE_SURROGATE}))`);

export const TEXT_MESSAGES = {
  oneLine: "Use one line of plain text, without tabs, line breaks or other control characters.",
  multiLine: "Remove the control characters (such as NUL or escape) from this text.",
  notText: "Enter this as text.",
  tooLong: (max: number) => `Use at most ${max.toLocaleString("en")} characters.`,
} as const;

/** `required`: the message when the field is missing; `notText`: when it is not a string (an array, a number in JSON). */
function base(required?: string, notText: string = TEXT_MESSAGES.notText) {
  return z.string({ ...(required ? { required_error: required } : {}), invalid_type_error: notText });
}

/** One line (a name, an email, a search, an id): trimmed, no control characters, at most LINE_MAX. */
export function lineText(required?: string, notText?: string) {
  return base(required, notText).trim().max(LINE_MAX, TEXT_MESSAGES.tooLong(LINE_MAX)).regex(ONE_LINE, TEXT_MESSAGES.oneLine);
}

/** Several lines (a description, a reason): \n, \r\n and tabs kept, other control characters refused, at most MULTILINE_MAX. */
export function multilineText(required?: string, notText?: string) {
  return base(required, notText).max(MULTILINE_MAX, TEXT_MESSAGES.tooLong(MULTILINE_MAX)).regex(MULTI_LINE, TEXT_MESSAGES.multiLine);
}

/**
 * A password or a token, as typed: never trimmed and never refused for its characters (it is hashed
 * or compared, never stored as text; refusing a character now could lock out an account whose
 * password has one), only capped.
 */
export function secretText(required?: string, notText?: string) {
  return base(required, notText).max(SECRET_MAX, TEXT_MESSAGES.tooLong(SECRET_MAX));
}

/** The same rule for text read without a schema (an uploaded file's name, a rating input): the message, or null when it is fine. */
export function textProblem(text: string, kind: "line" | "multiline" = "line"): string | null {
  if (kind === "line") return ONE_LINE.test(text) ? null : TEXT_MESSAGES.oneLine;
  return MULTI_LINE.test(text) ? null : TEXT_MESSAGES.multiLine;
}

/**
 * Free JSON typed into a form (rating rules, a sample input): every string in it, and every key,
 * follows the multi-line rule, since a "\u0000" escape parses to a NUL that jsonb refuses.
 */
export function jsonTextProblem(value: unknown): string | null {
  if (typeof value === "string") return textProblem(value, "multiline");
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonTextProblem(item);
      if (problem) return problem;
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const problem = textProblem(key, "multiline") ?? jsonTextProblem(item);
      if (problem) return problem;
    }
  }
  return null;
}

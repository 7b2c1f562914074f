import { describe, expect, it } from "vitest";
import { jsonTextProblem, lineText, LINE_MAX, multilineText, secretText, TEXT_MESSAGES, textProblem } from "./text";

const messagesOf = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);

describe("one line of text", () => {
  it("refuses NUL, other control characters, line breaks and lone surrogates, with the field's message", () => {
    for (const bad of ["a\u0000b", "a\u0001b", "a\tb", "a\nb", "a\r\nb", "a\u007fb", "a\uD800b", "\uDC00"]) {
      expect(messagesOf(lineText().safeParse(bad)), JSON.stringify(bad)).toEqual([TEXT_MESSAGES.oneLine]);
    }
  });

  it("keeps what people type: accents, right-to-left, zero-width joiners, emoji, combining marks", () => {
    for (const good of ["Kéniá", "عربي", "a\u200db", "\u202eevil", "👩‍👩‍👧‍👦", "🇰🇪", `e${"\u0301".repeat(500)}`]) {
      expect(lineText().safeParse(good).success, good).toBe(true);
    }
  });

  it("trims, and caps the length so no field takes a megabyte", () => {
    expect(lineText().parse("  Amina  ")).toBe("Amina");
    expect(messagesOf(lineText().safeParse("x".repeat(1_000_000)))).toEqual([TEXT_MESSAGES.tooLong(LINE_MAX)]);
    expect(lineText().max(5, "Short").safeParse("abcdef").success).toBe(false);
  });

  it("says a value that is not text is not text, and a missing one with the field's own message", () => {
    expect(messagesOf(lineText().safeParse(["a", "b"]))).toEqual([TEXT_MESSAGES.notText]);
    expect(messagesOf(lineText("Enter your name").safeParse(undefined))).toEqual(["Enter your name"]);
  });
});

describe("several lines of text", () => {
  it("keeps \\n, \\r\\n and tabs, and refuses NUL, a lone \\r and other controls", () => {
    for (const good of ["a\nb", "a\r\nb", '{\n\t"a": 1\n}']) expect(multilineText().safeParse(good).success).toBe(true);
    for (const bad of ["a\u0000b", "a\rb", "a\u001bb", "a\uD800"]) {
      expect(messagesOf(multilineText().safeParse(bad)), JSON.stringify(bad)).toEqual([TEXT_MESSAGES.multiLine]);
    }
  });
});

describe("secrets", () => {
  it("are taken as typed (never trimmed, no character refused), only capped", () => {
    expect(secretText().parse(" pass\tword ")).toBe(" pass\tword ");
    expect(secretText().safeParse("x".repeat(5000)).success).toBe(false);
  });
});

describe("text without a schema", () => {
  it("gives the same answers", () => {
    expect(textProblem("ok")).toBeNull();
    expect(textProblem("a\u0000b")).toBe(TEXT_MESSAGES.oneLine);
    expect(textProblem("a\nb", "multiline")).toBeNull();
  });

  it("checks every string and key of free JSON", () => {
    expect(jsonTextProblem({ a: ["x", { b: "y\nz" }], n: 1, t: true, z: null })).toBeNull();
    expect(jsonTextProblem({ a: ["x", { b: "y\u0000" }] })).toBe(TEXT_MESSAGES.multiLine);
    expect(jsonTextProblem({ "k\u0000": 1 })).toBe(TEXT_MESSAGES.multiLine);
  });
});

import fc from "fast-check";
import type { FormField } from "./html";

/**
 * What the fuzzer sends: hostile text (NUL, CR/LF, other controls, a megabyte, lone surrogates,
 * right-to-left and zero-width marks, very long grapheme clusters, emoji), values of the wrong
 * type, and bodies that are not what they claim to be (malformed JSON, multipart and
 * percent-encoding, bytes that are not UTF-8).
 */

export const MEGABYTE = "A".repeat(1 << 20);

const HOSTILE = [
  "a\u0000b",
  "\u0000",
  "a\r\nb",
  "line\nbreak",
  "\r",
  "tab\there",
  "\u001b[31mred",
  "\u007f",
  "\uD800",
  "x\uDFFFy",
  "\u202Eevil.pdf",
  "\u200B\u200C\u200D\uFEFF",
  "\u061C\u200F\u2066rtl\u2069",
  "👩‍👩‍👧‍👦🇰🇪🏳️‍🌈",
  `e${"\u0301".repeat(4000)}`,
  `${"👍🏽".repeat(300)}`,
  "\uFFFE\uFFFF",
  "-1",
  "0",
  "1e309",
  "NaN",
  "99999999999999999999999",
  "2026-02-30",
  "../../etc/passwd",
  "<script>alert(1)</script>",
  "' OR '1'='1",
  '=HYPERLINK("http://evil")',
  "%00",
  "%zz",
  "{}",
  "null",
  "   ",
  "",
] as const;

/** One hostile string. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.constant(MEGABYTE) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
);

/** What happens to one field of a real form. */
export type FieldChange =
  { kind: "keep" } | { kind: "set"; value: string } | { kind: "drop" } | { kind: "repeat"; value: string } | { kind: "file" };

const fieldChange: fc.Arbitrary<FieldChange> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "keep" as const }) },
  { weight: 4, arbitrary: hostileText.map((value) => ({ kind: "set" as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: "drop" as const }) },
  { weight: 1, arbitrary: hostileText.map((value) => ({ kind: "repeat" as const, value })) },
  { weight: 1, arbitrary: fc.constant({ kind: "file" as const }) },
);

export type Malformed =
  "percent" | "not-utf8" | "json-as-form" | "multipart-no-boundary" | "multipart-truncated" | "multipart-wrong-boundary" | "many-fields";

export interface FormCase {
  encoding: "urlencoded" | "multipart" | "malformed";
  malformed: Malformed;
  changes: FieldChange[];
  /** Which of the form's submit buttons was pressed. */
  submit: number;
  extra: { name: string; value: string } | null;
}

export function formCase(fieldCount: number): fc.Arbitrary<FormCase> {
  return fc.record({
    encoding: fc.oneof(
      { weight: 6, arbitrary: fc.constant("urlencoded" as const) },
      { weight: 2, arbitrary: fc.constant("multipart" as const) },
      { weight: 1, arbitrary: fc.constant("malformed" as const) },
    ),
    malformed: fc.constantFrom<Malformed>(
      "percent",
      "not-utf8",
      "json-as-form",
      "multipart-no-boundary",
      "multipart-truncated",
      "multipart-wrong-boundary",
      "many-fields",
    ),
    changes: fc.array(fieldChange, { minLength: fieldCount, maxLength: fieldCount }),
    submit: fc.nat(),
    extra: fc.option(fc.record({ name: hostileText.filter((n) => n.length < 200), value: hostileText }), { freq: 3 }),
  });
}

export interface Body {
  body: Buffer;
  contentType: string;
}

/** The body a browser would send for the form's fields with the case's changes (or a broken one). */
export function formBody(fields: FormField[], c: FormCase): Body {
  if (c.encoding === "malformed") return malformedBody(c.malformed, fields);
  const buttons = fields.filter((f) => f.kind === "submit");
  const pressed = buttons.length ? buttons[c.submit % buttons.length] : undefined;
  const parts: { name: string; value: string; file?: boolean }[] = [];
  let changed = false;
  fields.forEach((field, i) => {
    if (field.kind === "submit" && field !== pressed) return;
    const change = c.changes[i] ?? { kind: "keep" };
    const base = field.value ?? "";
    switch (change.kind) {
      case "keep":
        if (field.value !== null) parts.push({ name: field.name, value: base });
        break;
      case "set":
        changed = true;
        parts.push({ name: field.name, value: change.value });
        break;
      case "drop":
        changed = true;
        break;
      case "repeat":
        changed = true;
        parts.push({ name: field.name, value: base }, { name: field.name, value: change.value });
        break;
      case "file":
        changed = true;
        parts.push({ name: field.name, value: base, file: true });
        break;
    }
  });
  // Every case is hostile somewhere: a form sent untouched only proves the happy path again.
  if (!changed && parts[0]) parts[0] = { ...parts[0], value: "a\u0000b" };
  if (c.extra) parts.push(c.extra);
  if (c.encoding === "multipart" || parts.some((p) => p.file)) return multipart(parts);
  const body = new URLSearchParams();
  for (const p of parts) body.append(p.name, p.value);
  return { body: Buffer.from(body.toString()), contentType: "application/x-www-form-urlencoded" };
}

function multipart(parts: { name: string; value: string; file?: boolean }[], boundary = "----fuzz7MA4YWxkTrZu0gW"): Body {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const name = p.name.replace(/["\r\n]/g, "_");
    if (p.file) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${p.value.replace(/["\r\n]/g, "_").slice(0, 300)}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
        Buffer.from("%PDF-1.4\n%fuzz\n"),
        Buffer.from("\r\n"),
      );
    } else chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${p.value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function malformedBody(kind: Malformed, fields: FormField[]): Body {
  const name = fields[0]?.name ?? "name";
  switch (kind) {
    case "percent":
      return { body: Buffer.from(`${name}=%zz%E0%A4%A&%%%=1&=&&${name}`), contentType: "application/x-www-form-urlencoded" };
    case "not-utf8":
      return {
        body: Buffer.concat([Buffer.from(`${name}=`), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80])]),
        contentType: "application/x-www-form-urlencoded",
      };
    case "json-as-form":
      return { body: Buffer.from(`{"${name}": [1, {"a": null}]`), contentType: "application/x-www-form-urlencoded" };
    case "multipart-no-boundary":
      return {
        body: Buffer.from(`--x\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nv\r\n--x--\r\n`),
        contentType: "multipart/form-data",
      };
    case "multipart-truncated": {
      const whole = multipart([{ name, value: "value" }]);
      return { body: whole.body.subarray(0, whole.body.length - 12), contentType: whole.contentType };
    }
    case "multipart-wrong-boundary": {
      const whole = multipart([{ name, value: "value" }], "----one");
      return { body: whole.body, contentType: "multipart/form-data; boundary=----other" };
    }
    case "many-fields":
      return {
        body: Buffer.from(Array.from({ length: 20_000 }, (_, i) => `f${i}=${i}`).join("&")),
        contentType: "application/x-www-form-urlencoded",
      };
  }
}

/** A value for a URL: percent-encoded UTF-8 bytes (a lone surrogate becomes U+FFFD), or raw bytes that are not UTF-8. */
export const urlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: hostileText.filter((t) => t.length < 10_000).map((t) => percentEncode(Buffer.from(t, "utf8"))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("%ED%A0%80", "%FF%FE", "%C0%80", "%E0%A4%A", "%", "%%", "%2", "%2F..%2F", "%0D%0ALocation:%20x"),
  },
);

function percentEncode(bytes: Buffer): string {
  let out = "";
  for (const byte of bytes)
    out += /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/** A query string setting some of `names` to hostile values (a name may repeat). */
export function queryCase(names: string[]): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...names), urlValue), { minLength: 1, maxLength: 4 })
    .map((pairs) => pairs.map(([n, v]) => `${encodeURIComponent(n)}=${v}`).join("&"));
}

/** A JSON body for an API route: a hostile value where a real one goes, the wrong type, or not JSON at all. */
export function jsonCase(example: Record<string, unknown>): fc.Arbitrary<Body> {
  const keys = Object.keys(example);
  const anyJson = fc.oneof(
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostileText, { maxLength: 3 }),
    fc.dictionary(
      hostileText.filter((k) => k.length < 100),
      hostileText,
      { maxKeys: 3 },
    ),
  );
  const replaced = keys.length
    ? fc.tuple(fc.constantFrom(...keys), anyJson).map(([key, value]) => json({ ...example, [key]: value }))
    : anyJson.map((value) => json({ value }));
  const nested = fc.constant(json({ ...example, inputs: deep(2000) }));
  const broken = fc.constantFrom(
    "{",
    "[",
    '{"product": "x",}',
    "\u0000",
    '{"a": "\\u0000"}',
    '{"a": "\\ud800"}',
    "1e999999",
    "",
    "null",
    "[]",
    '"just a string"',
    `{"a": "${MEGABYTE}"}`,
  );
  return fc.oneof(
    { weight: 5, arbitrary: replaced },
    { weight: 1, arbitrary: nested },
    { weight: 2, arbitrary: broken.map((text) => ({ body: Buffer.from(text), contentType: "application/json" })) },
    { weight: 1, arbitrary: replaced.map((b) => ({ ...b, contentType: "text/plain" })) },
    { weight: 1, arbitrary: fc.constant({ body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), contentType: "application/json" }) },
  );
}

function json(value: unknown): Body {
  return { body: Buffer.from(JSON.stringify(value)), contentType: "application/json" };
}

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

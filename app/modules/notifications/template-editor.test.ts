import { describe, expect, it } from "vitest";
import { previewTemplate, templateAddress, templateSchema } from "./template-editor.server";

const brand = { tenantName: "Bowman <Insurance>" };

function errorsOf(event: "payment_received" | "phone_code", channel: "email" | "sms" | "in_app", input: Record<string, unknown>) {
  const result = templateSchema(event, channel).safeParse({ expectedVersion: "0", ...input });
  return result.success ? {} : result.error.flatten().fieldErrors;
}

describe("template editor validation", () => {
  it("accepts the event's variables and stores Windows line ends as \\n", () => {
    const result = templateSchema("payment_received", "email").parse({
      subject: "Receipt {{ receiptNumber }}",
      body: "Hello {{name}},\r\n\r\n[Open]({{link}})",
      expectedVersion: "3",
    });
    expect(result).toEqual({ subject: "Receipt {{ receiptNumber }}", body: "Hello {{name}},\n\n[Open]({{link}})", expectedVersion: 3 });
  });

  it("names unknown variables on the field they are in, with the allowed ones", () => {
    const errors = errorsOf("phone_code", "sms", { body: "{{code}} {{otp}} {{otp}} {{Code}}" });
    expect(errors.body).toEqual(["Unknown variables {{otp}}, {{Code}}. This message can use {{code}}, {{minutes}}, {{tenantName}}."]);
    const subject = errorsOf("payment_received", "email", { subject: "{{policy}}", body: "{{name}}" });
    expect(subject.subject).toEqual([
      "Unknown variable {{policy}}. This message can use {{name}}, {{tenantName}}, {{amount}}, {{description}}, {{receiptNumber}}, {{link}}.",
    ]);
    expect(subject.body).toBeUndefined();
  });

  it("wants a subject on email and in-app and refuses one on SMS", () => {
    expect(errorsOf("payment_received", "email", { body: "x" }).subject).toEqual(["Write the subject line."]);
    expect(errorsOf("payment_received", "in_app", { body: "x" }).subject).toEqual(["Write the title."]);
    expect(errorsOf("payment_received", "sms", { subject: "Hi", body: "x" }).subject).toEqual([
      "SMS messages have no subject: leave it empty.",
    ]);
  });

  it("caps bodies per channel and refuses NUL and a lone CR", () => {
    expect(errorsOf("payment_received", "sms", { body: "x".repeat(1000) })).toEqual({});
    expect(errorsOf("payment_received", "sms", { body: "x".repeat(1001) }).body).toEqual(["Use at most 1,000 characters."]);
    expect(errorsOf("payment_received", "email", { subject: "s", body: "x".repeat(20_000) })).toEqual({});
    expect(errorsOf("payment_received", "email", { subject: "s", body: "x".repeat(20_001) }).body).toBeDefined();
    expect(errorsOf("payment_received", "sms", { body: "a\u0000b" }).body).toBeDefined();
    expect(errorsOf("payment_received", "sms", { body: "a\rb" }).body).toBeDefined();
    expect(errorsOf("payment_received", "email", { subject: "a\nb", body: "x" }).subject).toBeDefined();
    expect(errorsOf("payment_received", "sms", {}).body).toEqual(["Write the message."]);
  });

  it("finds a template only for the event's channels and the tenant's languages", () => {
    expect(templateAddress({ event: "payment_received", channel: "sms", language: "sw" }, ["en", "sw"])).toEqual({
      event: "payment_received",
      channel: "sms",
      language: "sw",
    });
    expect(templateAddress({ event: "payment_received", channel: "sms", language: "ms" }, ["en", "sw"])).toBeNull();
    expect(templateAddress({ event: "phone_code", channel: "email", language: "en" }, ["en"])).toBeNull();
    expect(templateAddress({ event: "toString", channel: "sms", language: "en" }, ["en"])).toBeNull();
  });
});

describe("template preview", () => {
  it("fills the samples as text: markup in a value or the template is escaped in email", () => {
    const preview = previewTemplate({
      event: "payment_received",
      channel: "email",
      subject: "Receipt {{receiptNumber}}",
      body: "Hello {{name}}, <b>thanks</b>",
      brand,
      vars: { name: "<script>alert(1)</script>" },
    });
    expect(preview.subject).toBe("Receipt BWM-RCT-2026-000456");
    expect(preview.html).toContain("Hello &lt;script&gt;alert(1)&lt;/script&gt;, &lt;b&gt;thanks&lt;/b&gt;");
    expect(preview.html).not.toContain("<script>");
    expect(preview.html).toContain("Bowman &lt;Insurance&gt;");
  });

  it("counts SMS parts and encoding on the filled text and lists unknown variables", () => {
    const gsm = previewTemplate({ event: "phone_code", channel: "sms", body: "{{code}} is your code", brand });
    expect(gsm).toMatchObject({ text: "482913 is your code", html: null, subject: null, unknown: [] });
    expect(gsm.sms).toMatchObject({ encoding: "gsm7", segments: 1, length: 19 });
    const long = previewTemplate({ event: "phone_code", channel: "sms", body: `${"é".repeat(200)} ✓ {{pin}}`, brand });
    expect(long.sms).toMatchObject({ encoding: "ucs2", segments: 4 });
    expect(long.unknown).toEqual(["pin"]);
  });
});

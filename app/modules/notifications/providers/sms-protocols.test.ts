import { describe, expect, it } from "vitest";
import { parseAfricasTalkingCallback } from "./africastalking.server";
import { replyIntent, smsCallbackUrls } from "./sms-http.server";
import { parseTwilioCallback, twilioSignature, validTwilioSignature } from "./twilio.server";

describe("Twilio's request signature", () => {
  // The worked example of Twilio's security documentation (URL, fields, auth token, signature).
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const fields: [string, string][] = [
    ["CallSid", "CA1234567890ABCDE"],
    ["Caller", "+12349013030"],
    ["Digits", "1234"],
    ["From", "+12349013030"],
    ["To", "+18005551212"],
  ];

  it("matches the documented example, whatever order the fields come in", () => {
    expect(twilioSignature("12345", url, fields)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    expect(twilioSignature("12345", url, [...fields].reverse())).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  it("refuses another URL, another token, a changed field or no signature", () => {
    expect(validTwilioSignature("12345", url, fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(true);
    expect(validTwilioSignature("12345", url.replace("https", "http"), fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(false);
    expect(validTwilioSignature("54321", url, fields, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(false);
    expect(validTwilioSignature("12345", url, [...fields.slice(1), ["CallSid", "CA0"]], "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(false);
    expect(validTwilioSignature("12345", url, fields, null)).toBe(false);
  });
});

describe("reading the vendors' callbacks", () => {
  it.each([
    ["Success", "delivered"],
    ["Sent", "sent"],
    ["Buffered", "sent"],
    ["Submitted", "sent"],
    ["Failed", "failed"],
    ["Rejected", "failed"],
  ])("Africa's Talking %s is %s", (status, expected) => {
    const parsed = parseAfricasTalkingCallback({ id: "ATXid_1", status });
    expect(parsed.kind === "report" && parsed.report.status).toBe(expected);
  });

  it.each([
    ["queued", "sent"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["read", "delivered"],
    ["undelivered", "failed"],
    ["failed", "failed"],
  ])("Twilio %s is %s", (status, expected) => {
    const parsed = parseTwilioCallback({ MessageSid: "SM1", MessageStatus: status });
    expect(parsed.kind === "report" && parsed.report.status).toBe(expected);
  });

  it("tells replies from reports", () => {
    expect(parseTwilioCallback({ MessageSid: "SM1", SmsStatus: "received", From: "+60123334444", Body: "Stop" })).toMatchObject({
      kind: "reply",
      text: "Stop",
    });
    expect(parseAfricasTalkingCallback({ from: "+254712345678", text: "STOP", to: "22384" })).toMatchObject({ kind: "reply" });
    expect(parseAfricasTalkingCallback({ phoneNumber: "+254712345678", senderId: "BOWMAN" })).toMatchObject({ kind: "opt-out" });
    expect(parseAfricasTalkingCallback({ something: "else" })).toEqual({ kind: "ignored" });
  });

  it.each([
    ["STOP", "stop"],
    [" stop please", "stop"],
    ["Unsubscribe", "stop"],
    ["STOPALL", "stop"],
    ["START", "start"],
    ["unstop", "start"],
    ["please don't stop", null],
    ["Hello", null],
    ["", null],
  ])("the reply %j asks to %s", (text, intent) => {
    expect(replyIntent(text)).toBe(intent);
  });
});

describe("callback URLs for the vendors' dashboards", () => {
  it("puts the token in Africa's Talking's URL and none in Twilio's", () => {
    expect(smsCallbackUrls("https://bowman.covera.app/", "africastalking", "tok123")).toEqual({
      deliveryReports: "https://bowman.covera.app/webhooks/messages/africastalking/tok123",
      incomingMessages: "https://bowman.covera.app/webhooks/messages/africastalking/tok123",
    });
    expect(smsCallbackUrls("https://bowman.covera.app", "twilio", "tok123")?.deliveryReports).toBe(
      "https://bowman.covera.app/webhooks/messages/twilio",
    );
    expect(smsCallbackUrls("https://bowman.covera.app", "outbox", "tok123")).toBeNull();
  });
});

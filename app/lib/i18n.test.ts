import { describe, expect, it } from "vitest";
import { resources } from "~/locales";
import { matchSentence } from "./i18n";

describe("sentences with values inside", () => {
  const keys = Object.keys(resources.sw.validation);

  it("finds the key that names the values, and the values", () => {
    expect(matchSentence(keys, "At most KES 1,250.00 is left to refund on this payment.")).toEqual({
      key: "At most {{amount}} is left to refund on this payment.",
      values: { amount: "KES 1,250.00" },
    });
    expect(matchSentence(keys, "There is no agent number 100234.")).toMatchObject({ values: { agentNumber: "100234" } });
  });

  it("matches the whole sentence only, and takes regular-expression characters literally", () => {
    expect(matchSentence(keys, "Sadly, there is no agent number 100234.")).toBeNull();
    expect(matchSentence(keys, "There is no agent number 100234. Or is there?")).toBeNull();
    expect(matchSentence(["Pay (now) {{amount}}?"], "Pay (now) KES 5?")).toEqual({
      key: "Pay (now) {{amount}}?",
      values: { amount: "KES 5" },
    });
    expect(matchSentence(["Pay (now) {{amount}}?"], "Pay now KES 5?")).toBeNull();
  });
});

describe("sentenceIn (the server's way)", () => {
  it("translates a listed sentence, one with values inside, and leaves an unknown one as written", async () => {
    const { sentenceIn } = await import("~/modules/i18n/i18n.server");
    expect(await sentenceIn("sw", "There is no agent number 100234.")).toBe("Hakuna wakala mwenye nambari 100234.");
    expect(await sentenceIn("ms", "There is no agent number 100234.")).toBe("Tiada ejen bernombor 100234.");
    expect(await sentenceIn("en", "There is no agent number 100234.")).toBe("There is no agent number 100234.");
    expect(await sentenceIn("sw", "Something we never wrote down.")).toBe("Something we never wrote down.");
  });
});

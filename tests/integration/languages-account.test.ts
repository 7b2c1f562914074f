/**
 * The customer's own pages in their language (issue 14 item 7): the policy page and what is done
 * from it (renew, change, cancel), a payment, saved cards, documents, beneficiaries, security,
 * two-factor and privacy in Swahili for a Bowman-like agency (en+sw), and the same with benefits in
 * Malay for a KHHoldings-like one (en+ms). English stays the default.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { describeActivity } from "~/modules/account/activity-words";
import { serverT } from "~/modules/i18n/i18n.server";
import { createUser } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { agentWithLogin, memberForm, memberTenant, registerThroughPage, type MemberTenant } from "./members-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";
import { offer, setLanguage } from "./languages-support";

async function as(host: string, email: string, language?: Language): Promise<Browser> {
  const browser = await signIn(host, email);
  // As the switcher leaves it: the cookie's own encoding, not the bare code.
  if (language) await setLanguage(browser, language);
  return browser;
}

async function pageText(browser: Browser, path: string): Promise<string> {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return textOf(res.text);
}

function expectWords(text: string, present: string[], absent: string[]) {
  for (const words of present) expect(text).toContain(words);
  for (const words of absent) expect(text).not.toContain(words);
}

let kenya: StoreTenant;
let amina: { id: string; email: string };
let aminaPolicy: PolicyFixture;
let malaysia: MemberTenant;
let nurul: { id: string; email: string };
let nurulPolicy: PolicyFixture;

beforeAll(async () => {
  kenya = await createStoreTenant();
  await offer(kenya.id, ["en", "sw"]);
  amina = await createUser(kenya.id, { name: "Amina Lugha" });
  // Monthly, the second instalment due: the schedule offers to pay it; a receipt and a certificate.
  aminaPolicy = await insertPolicy(kenya.id, amina.id, {
    instalments: ["paid", "due"],
    instalmentMinor: 250_000,
    beneficiaries: [{ name: "Baraka Lugha", relationship: "spouse", shareBp: 10_000 }],
  });

  malaysia = await memberTenant();
  await offer(malaysia.id, ["en", "ms"]);
  const agent = await agentWithLogin(malaysia);
  nurul = await createUser(malaysia.id, { name: "Nurul Bahasa" });
  await registerThroughPage(agent.browser, memberForm({ email: nurul.email, name: "Nurul Bahasa" }));
  nurulPolicy = await insertPolicy(malaysia.id, nurul.id, { productSlug: "medical-card", instalments: ["paid", "due"] });
});

describe("a customer's policy and account pages in Swahili", () => {
  it("shows the policy page in Swahili, its labels worked out on the server too", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    const text = await pageText(browser, `/account/policies/${aminaPolicy.policyId}`);
    expectWords(
      text,
      [
        "Sera zangu",
        "Nambari ya sera",
        "Ratiba ya ada",
        // No online payment set up at this agency: how to pay the instalment due instead.
        "Wasiliana nasi ili ulipe awamu ya 2",
        "Mwenye sera",
        "Wanufaika",
        "Baraka Lugha",
        "mume au mke",
        "Cheti cha bima",
        `Stakabadhi ${aminaPolicy.receiptNumber}`,
        "Malipo yako yote",
        "Historia",
        "Ghairi sera hii",
        "inalipwa kila mwezi",
      ],
      ["Premium schedule", "Policyholder", "Certificate of insurance", "Cancel this policy", "paid monthly"],
    );
  });

  it("translates renewing, changing and cancelling, and a cancellation's form errors", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    const base = `/account/policies/${aminaPolicy.policyId}`;
    expectWords(await pageText(browser, `${base}/renew`), ["Huisha", "Rudi kwenye"], ["Back to", "Auto-renew"]);
    expectWords(await pageText(browser, `${base}/change`), ["Badilisha bima yako", "kwa mwaka kabla ya tozo"], ["Change your cover"]);

    const cancel = await pageText(browser, `${base}/cancel`);
    expectWords(
      cancel,
      ["Ghairi sera", "Ada iliyolipwa", "Sababu", "Sihitaji tena bima hii", "Jambo jingine"],
      ["Premium paid", "Choose a reason…"],
    );
    const refused = await browser.post(`${base}/cancel`, { intent: "cancel", reason: "", details: "" });
    expect(refused.status).toBe(400);
    expectWords(textOf(refused.text), ["Chagua sababu.", "Weka alama kwenye kisanduku"], ["Choose a reason.", "Tick the box"]);
  });

  it("translates a payment, the saved cards and the documents", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    expectWords(
      await pageText(browser, `/account/payments/${aminaPolicy.transactionId}`),
      ["Malipo ya", "Maelezo", "Kwa ajili ya", "Stakabadhi", "Malipo yamepokelewa"],
      ["Payment received", "Details"],
    );
    expectWords(
      await pageText(browser, "/account/payment-methods"),
      ["Njia za malipo", "Kadi zilizohifadhiwa", "Huna kadi zilizohifadhiwa", "Lipa awamu kiotomatiki"],
      ["Saved cards", "Pay instalments automatically"],
    );
    expectWords(
      await pageText(browser, "/account/documents"),
      ["Nyaraka", "Pakua zote kama ZIP", "Aina zote", "Chuja", "Vyeti", "Cheti:", `Stakabadhi ${aminaPolicy.receiptNumber}`],
      ["Download all as a ZIP", "Certificates", "Certificate:"],
    );
    expectWords(await pageText(browser, "/account/beneficiaries"), ["Wanufaika", "Wanaopokea manufaa"], ["Who receives the benefit"]);
  });

  it("translates security, two-factor sign-in and privacy", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    expectWords(
      await pageText(browser, "/account/security"),
      ["Kuingia na usalama", "Uthibitisho wa barua pepe", "Vipindi vyako", "Kifaa hiki", "Badilisha nenosiri", "Nenosiri jipya"],
      ["Your sessions", "Change password", "This device"],
    );
    expectWords(
      await pageText(browser, "/account/two-factor"),
      ["Kuingia kwa hatua mbili", "Weka kuingia kwa hatua mbili"],
      ["Set up two-factor sign-in"],
    );
    // Cover in force: closing is refused, and why is said in Swahili.
    expectWords(
      await pageText(browser, "/account/privacy"),
      ["Faragha", "Pakua data yangu", "Funga akaunti yangu", "Bado huwezi kufunga akaunti yako", "Bado una bima inayotumika"],
      ["Download my data", "You still have cover in force"],
    );
  });

  it("says the overview's recent activity in the reader's words, English without them", async () => {
    const sw = await serverT("sw", "account");
    expect(describeActivity({ entity: "instalment", event: "pay", to: "paid" }, sw)).toBe("Awamu imelipwa");
    expect(describeActivity({ entity: "transaction", event: "refund", to: "refunded" }, sw)).toBe("Malipo yamerejeshwa");
    expect(describeActivity({ entity: "policy", event: "change_beneficiaries", to: "active" }, sw)).toBe("Wanufaika wamebadilishwa");
    expect(describeActivity({ entity: "instalment", event: "pay", to: "paid" })).toBe("Instalment paid");
    expect(describeActivity({ entity: "instalment", event: "pay", to: "paid" }, await serverT("en", "account"))).toBe("Instalment paid");
  });

  it("stays in English for the same customer without a choice", async () => {
    const browser = await as(hostOf(kenya), amina.email);
    expectWords(
      await pageText(browser, `/account/policies/${aminaPolicy.policyId}`),
      ["Premium schedule", "Policyholder", "Cancel this policy", "spouse"],
      ["Ratiba ya ada", "Mwenye sera"],
    );
    expectWords(await pageText(browser, "/account/security"), ["Sign-in and security", "Your sessions"], ["Vipindi vyako"]);
  });
});

describe("a member's pages in Malay", () => {
  it("shows the policy, its payment and cancellation in Malay", async () => {
    const browser = await as(malaysia.host, nurul.email, "ms");
    expectWords(
      await pageText(browser, `/account/policies/${nurulPolicy.policyId}`),
      [
        "Polisi saya",
        "Jadual premium",
        "Bayar ansuran 2",
        "Bayar dengan",
        "Pemegang polisi",
        "Sijil insurans",
        "Batalkan polisi ini",
        "dibayar bulanan",
      ],
      ["Premium schedule", "Policyholder", "paid monthly", "Pay with"],
    );
    expectWords(
      await pageText(browser, `/account/payments/${nurulPolicy.transactionId}`),
      ["Bayaran", "Butiran", "Bayaran diterima"],
      ["Payment received"],
    );
    expectWords(await pageText(browser, `/account/policies/${nurulPolicy.policyId}/cancel`), ["Batalkan polisi"], ["Cancel policy"]);
  });

  it("shows the member's benefits, saved cards, security and privacy in Malay", async () => {
    const browser = await as(malaysia.host, nurul.email, "ms");
    expectWords(
      await pageText(browser, "/account/benefits"),
      ["Manfaat saya", "Buat tuntutan", "Perlindungan", "Jenis tuntutan", "Dokumen diperlukan"],
      ["My benefits", "Kind of claim"],
    );
    expectWords(await pageText(browser, "/account/payment-methods"), ["Kaedah bayaran", "Kad yang disimpan"], ["Saved cards"]);
    expectWords(await pageText(browser, "/account/security"), ["Log masuk dan keselamatan", "Sesi anda"], ["Your sessions"]);
    expectWords(await pageText(browser, "/account/privacy"), ["Privasi", "Muat turun data saya", "Tutup akaun saya"], ["Close my account"]);
  });
});

/**
 * The customer's account and the agent portal in the person's language (issue 14 item 7): Swahili
 * for a Bowman-like agency (en+sw), Malay for a KHHoldings-like one (en+ms), English by default,
 * and the profile's language choice saved on the account and in the `lng` cookie.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { languageCookie } from "~/modules/i18n/i18n.server";
import { createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { insertPolicy } from "./customer-policies-fixtures";
import { addAgent, agentNetworkTenant } from "./network-support";
import { createStoreTenant, type StoreTenant } from "./quotes-support";
import { offer, setLanguage } from "./languages-support";

const languageOf = async (userId: string) =>
  (await ownerDb().selectFrom("users").select("language").where("id", "=", userId).executeTakeFirstOrThrow()).language;

let kenya: StoreTenant;
let amina: { id: string; email: string };
let malaysia: { id: string; slug: string };
let siti: Awaited<ReturnType<typeof addAgent>>;

beforeAll(async () => {
  kenya = await createStoreTenant();
  await offer(kenya.id, ["en", "sw"]);
  amina = await createUser(kenya.id, { name: "Amina Lugha" });
  // An instalment due: the overview's "what needs doing" and next payment, and an active policy's badge.
  await insertPolicy(kenya.id, amina.id, { instalments: ["paid", "due"], instalmentMinor: 250_000 });

  malaysia = await agentNetworkTenant();
  await offer(malaysia.id, ["en", "ms"]);
  siti = await addAgent(malaysia.id, { name: "Siti Bahasa" });
});

async function as(host: string, email: string, language?: Language): Promise<Browser> {
  const browser = await signIn(host, email);
  // As the switcher leaves it: the cookie's own encoding, not the bare code.
  if (language) await setLanguage(browser, language);
  return browser;
}

describe("the customer's account in their language", () => {
  it("speaks Swahili to a customer who chose it, money and dates in sw-KE", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    const res = await browser.get("/account");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    for (const words of ["Akaunti yako", "Muhtasari", "Sera zangu", "Kinachohitaji kufanywa", "Malipo yajayo", "Lipa sasa", "Inatumika"]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain("What needs doing");
    expect(text).not.toContain("Next payment");
    expect(res.text).toMatch(/<html[^>]*lang="sw"/);
  });

  it("translates the policies, claims and payments lists", async () => {
    const browser = await as(hostOf(kenya), amina.email, "sw");
    const policies = textOf((await browser.get("/account/policies")).text);
    for (const words of ["Sera zangu", "Nambari ya sera", "Awamu inayofuata", "Kila mwezi", "Tazama sera na nyaraka"])
      expect(policies).toContain(words);
    expect(policies).not.toContain("Next instalment");
    const claims = textOf((await browser.get("/account/claims")).text);
    for (const words of ["Madai yangu", "Wasilisha dai", "Hali yoyote", "Bado hakuna madai."]) expect(claims).toContain(words);
    expect(claims).not.toContain("No claims yet.");
    const payments = textOf((await browser.get("/account/payments")).text);
    for (const words of ["Kila malipo uliyofanya", "Stakabadhi", "Agizo TST-ORD-", "Imelipwa"]) expect(payments).toContain(words);
  });

  it("stays in English for the same customer without a choice", async () => {
    const res = await (await as(hostOf(kenya), amina.email)).get("/account");
    const text = textOf(res.text);
    expect(text).toContain("What needs doing");
    expect(text).toContain("Pay now");
    expect(text).not.toContain("Kinachohitaji kufanywa");
  });

  it("translates the profile page", async () => {
    const res = await (await as(hostOf(kenya), amina.email, "sw")).get("/account/profile");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    for (const words of ["Wasifu", "Jina kamili", "Hifadhi jina langu", "Nambari mpya ya simu ya mkononi", "Lugha"])
      expect(text).toContain(words);
    expect(text).not.toContain("Save my name");
  });

  it("saves a language chosen on the profile on the account and in the cookie", async () => {
    const browser = await as(hostOf(kenya), amina.email);
    const page = textOf((await browser.get("/account/profile")).text);
    expect(page).toContain("Save my language");
    expect(page).toContain("Kiswahili");

    const res = await browser.post("/account/profile", { intent: "language", language: "sw" });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/account/profile?notice=language");
    const set = [res.headers["set-cookie"] ?? []].flat().find((c) => c.startsWith("lng="));
    expect(await languageCookie.parse(set ?? null)).toBe("sw");
    expect(await languageOf(amina.id)).toBe("sw");
    expect(textOf((await browser.get(res.location!)).text)).toContain("Lugha yako imehifadhiwa.");

    // Back to English the same way.
    await browser.post("/account/profile", { intent: "language", language: "en" });
    expect(await languageOf(amina.id)).toBe("en");
    expect(textOf((await browser.get("/account")).text)).toContain("What needs doing");
  });

  it("refuses a language the agency does not offer, changing nothing", async () => {
    const browser = await as(hostOf(kenya), amina.email);
    const before = await languageOf(amina.id);
    const res = await browser.post("/account/profile", { intent: "language", language: "ms" });
    expect(res.status).toBe(400);
    expect(res.headers["set-cookie"] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^lng=/)]));
    expect(await languageOf(amina.id)).toBe(before);
  });
});

describe("the agent portal in the agent's language", () => {
  it("speaks Malay to an agent who chose it", async () => {
    const browser = await as(hostOf(malaysia), siti.email, "ms");
    const res = await browser.get("/agent");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    for (const words of [
      "Portal ejen",
      "Papan pemuka",
      "Rangkaian bawah",
      "Komisen",
      "Bulan ini",
      "Pautan rujukan anda",
      "Muat turun kod QR",
    ]) {
      expect(text).toContain(words);
    }
    expect(text).not.toContain("Your referral link");
  });

  it("translates the members, claims and statements lists", async () => {
    const browser = await as(hostOf(malaysia), siti.email, "ms");
    const members = textOf((await browser.get("/agent/members")).text);
    for (const words of [
      "Daftar ahli",
      "Nama, e-mel, telefon atau nombor MyKad penuh",
      "Semua status",
      "Anda belum mendaftarkan sebarang ahli.",
    ])
      expect(members).toContain(words);
    expect(members).not.toContain("Register a member");
    const claims = textOf((await browser.get("/agent/claims")).text);
    for (const words of ["Tuntutan ahli anda", "Buat tuntutan bagi pihak ahli", "Belum ada tuntutan."]) expect(claims).toContain(words);
    const statements = textOf((await browser.get("/agent/statements")).text);
    for (const words of ["Penyata", "Belum ada penyata.", "catatan komisen"]) expect(statements).toContain(words);
  });

  it("stays in English by default", async () => {
    const text = textOf((await (await as(hostOf(malaysia), siti.email)).get("/agent")).text);
    expect(text).toContain("Your referral link");
    expect(text).toContain("This month");
  });

  it("tells a suspended agent what that means, in Malay", async () => {
    const suspended = await addAgent(malaysia.id, { name: "Ahmad Digantung", status: "suspended" });
    const text = textOf((await (await as(hostOf(malaysia), suspended.email, "ms")).get("/agent")).text);
    expect(text).toContain("Akaun ejen anda digantung");
  });
});

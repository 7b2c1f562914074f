/**
 * The agent portal in the agent's language (issue 14 item 7): Malay for an agent of a
 * KHHoldings-like agency (en+ms) on the members, member, sale wizard, commissions, disputes,
 * downline and profile pages, form errors included; Swahili for an agent of a Kenyan agency
 * (en+sw) and on its public referral page; English by default.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { withPlatform } from "~db/client";
import type { Language } from "~db/schema";
import { createTenant, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { agentWithLogin, memberTenant, orderFromRedirect, registeredMember, sellHibah, type MemberTenant } from "./members-support";
import { addAgent, agentWithEarnings } from "./network-support";
import { offer, setLanguage } from "./languages-support";

/** As the language switcher leaves it: the cookie's own encoding, not the bare code. */
async function speak(browser: Browser, language: Language): Promise<Browser> {
  await setLanguage(browser, language);
  return browser;
}

const pageText = async (browser: Browser, path: string) => {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return textOf(res.text);
};

let malaysia: MemberTenant;
let seller: Awaited<ReturnType<typeof agentWithLogin>>;
let member: Awaited<ReturnType<typeof registeredMember>>;

beforeAll(async () => {
  malaysia = await memberTenant();
  await offer(malaysia.id, ["en", "ms"]);
  seller = await agentWithLogin(malaysia);
  member = await registeredMember(seller.browser);
});

describe("the agent portal in Malay", () => {
  it("translates the register-a-member form and the member's page", async () => {
    const browser = await speak(seller.browser, "ms");
    const form = await pageText(browser, "/agent/members/new");
    for (const words of ["Daftar ahli", "Nama penuh (seperti dalam MyKad)", "Orang untuk dihubungi semasa kecemasan", "Bangsa", "Melayu"])
      expect(form).toContain(words);
    expect(form).not.toContain("Emergency contact");

    const page = await pageText(browser, `/agent/members/${member.memberId}?registered=invited`);
    for (const words of [
      "Ahli telah didaftarkan",
      "Ahli anda sejak",
      "Jual polisi",
      "Jualan dalam proses",
      "Tiada jualan yang belum dibayar.",
      "Rakan",
      "Ibu atau bapa",
    ])
      expect(page).toContain(words);
    expect(page).not.toContain("Sales in progress");
    expect(page).not.toContain("Relationship to you");
  });

  it("shows the member form's errors in Malay, keeping what was typed", async () => {
    const browser = await speak(seller.browser, "ms");
    const res = await browser.post("/agent/members/new", { name: "Aminah", email: "aminah@example.com", race: "", phone: "12" });
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("Pilih bangsa ahli");
    expect(text).toContain("Masukkan nombor MyKad (NRIC).");
    expect(text).not.toContain("Choose the member's race");
    expect(res.text).toContain('value="aminah@example.com"');
  });

  it("walks the sale wizard in Malay, up to the payment", async () => {
    const browser = await speak(seller.browser, "ms");
    const base = `/agent/members/${member.memberId}/sell`;
    const products = await pageText(browser, base);
    for (const words of ["Jual kepada Aminah binti Yusof", "1. Pilih produk", "Produk", "Teruskan"]) expect(products).toContain(words);
    expect(products).toMatch(/Bayar (bulanan|tahunan)/);
    expect(products).not.toContain("Choose a product");

    const quote = await pageText(browser, `${base}?product=hibah-senior-care-gold-270`);
    for (const words of ["2. Dapatkan harga", "Produk lain", "Dapatkan harga dan teruskan"]) expect(quote).toContain(words);

    const orderId = await sellHibah(browser, member.memberId, member);
    const payment = await pageText(browser, `${base}?order=${orderId}`);
    for (const words of [
      "5. Bayaran",
      "Perlu dibayar sekarang",
      "Ahli membayar dalam talian",
      "Hantar pautan bayaran kepada ahli",
      "Anda telah mengutip bayaran",
      "Cara ahli membayar anda",
      "Tunai",
      "Rekodkan bayaran luar talian",
    ])
      expect(payment).toContain(words);
    expect(payment).not.toContain("Record offline payment");

    // A refused offline payment: the schema's English sentence, shown in Malay.
    const refused = await browser.post(`${base}?order=${orderId}`, { intent: "offline", method: "cash", reference: "" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("Masukkan nombor resit atau slip bank-in");

    // The sale in progress, as the member's page lists it.
    const memberPage = await pageText(browser, `/agent/members/${member.memberId}`);
    expect(memberPage).toMatch(/dimulakan .+; seterusnya: Bayar\)/);
  });

  it("shows the sale's refusals with values inside in Malay: the shares' total and the MyKad date", async () => {
    const browser = await speak(seller.browser, "ms");
    const base = `/agent/members/${member.memberId}/sell`;
    const orderId = orderFromRedirect(
      await browser.post(`${base}?product=hibah-senior-care-gold-270`, { intent: "quote", frequency: "monthly" }),
    );
    const [year, month, dayOfMonth] = member.dateOfBirth.split("-");
    const otherDay = `${year}-${month}-${String(Number(dayOfMonth) === 28 ? 27 : Number(dayOfMonth) + 1).padStart(2, "0")}`;
    const details = (dateOfBirth: string, share: string) => ({
      intent: "details",
      name: "Aminah binti Yusof",
      email: member.email,
      phone: "+60 12-345 6789",
      dateOfBirth,
      address: "12 Jalan Ampang, 50450 Kuala Lumpur",
      "beneficiaries[0].name": "Siti binti Ahmad",
      "beneficiaries[0].relationship": "child",
      "beneficiaries[0].share": share,
    });

    // "The shares add up to 60%; they must add up to exactly 100%." — the schema's sentence, in Malay.
    const shares = await browser.post(`${base}?order=${orderId}`, details(member.dateOfBirth, "60"));
    expect(shares.status).toBe(400);
    expect(textOf(shares.text)).toContain("Jumlah bahagian ialah 60%; ia mestilah tepat 100%.");
    expect(textOf(shares.text)).not.toContain("The shares add up to");

    // "This date does not match the member's MyKad number (…)" — the sale's own check, in Malay.
    const mykad = await browser.post(`${base}?order=${orderId}`, details(otherDay, "100"));
    expect(mykad.status).toBe(400);
    expect(textOf(mykad.text)).toMatch(/Tarikh ini tidak sepadan dengan nombor MyKad ahli \(.+\)\./);
    expect(textOf(mykad.text)).not.toContain("does not match the member's MyKad number");
  });

  it("translates the commissions ledger, a dispute and its thread", async () => {
    const earner = await agentWithEarnings(malaysia.id, { agent: "Siti Komisen", recruit: "Ahmad Rekrut" });
    const browser = await speak(await signIn(malaysia.host, earner.email), "ms");
    const ledger = await pageText(browser, "/agent/commissions");
    for (const words of ["Lejar anda, yang terbaharu dahulu", "Muat turun CSV", "Sebarang bulan", "Pelarasan", "Catatan", "Pertikai"])
      expect(ledger).toContain(words);
    expect(ledger).not.toContain("Download CSV");

    const entry = await ownerDb().selectFrom("commission_entries").select("id").where("agent_id", "=", earner.id).executeTakeFirstOrThrow();
    const form = await pageText(browser, `/agent/disputes?entry=${entry.id}`);
    for (const words of ["Pertikaikan komisen", "Apakah yang salah?", "Buka pertikaian"]) expect(form).toContain(words);
    const tooShort = await browser.post(`/agent/disputes?entry=${entry.id}`, { entryId: entry.id, reason: "no" });
    expect(tooShort.status).toBe(400);
    expect(textOf(tooShort.text)).toContain("Nyatakan apa yang salah dengan komisen ini");

    const opened = await browser.post(`/agent/disputes?entry=${entry.id}`, {
      entryId: entry.id,
      reason: "The rate should be ten percent.",
    });
    expect(opened.status).toBe(302);
    const thread = await pageText(browser, opened.location!);
    for (const words of ["Pertikaian dibuka", "Komisen", "Status catatan", "Mesej anda", "Hantar", "Anda"]) expect(thread).toContain(words);
    expect(thread).not.toContain("Your message");

    const list = await pageText(browser, "/agent/disputes");
    for (const words of ["Pertikaian", "Semua", "Terbuka", "Dibuka", "Sebab"]) expect(list).toContain(words);
  });

  it("translates the downline and the profile", async () => {
    const browser = await speak(seller.browser, "ms");
    const downline = await pageText(browser, "/agent/downline");
    for (const words of ["Rangkaian bawah", "Belum ada sesiapa yang menyertai di bawah anda.", "Nama atau nombor ejen", "Tahap 1"])
      expect(downline).toContain(words);
    expect(downline).not.toContain("Nobody has joined under you yet.");

    const profile = await pageText(browser, "/agent/profile?notice=bank-saved");
    for (const words of [
      "Profil ejen saya",
      "Kod rujukan anda",
      "Butiran bank anda telah disimpan.",
      "Nombor telefon bimbit",
      "Simpan butiran bank",
    ])
      expect(profile).toContain(words);
    expect(profile).not.toContain("Save bank details");
  });

  it("stays in English for an agent without a choice", async () => {
    const browser = await signIn(malaysia.host, seller.user.email);
    const text = await pageText(browser, `/agent/members/${member.memberId}/sell`);
    expect(text).toContain("Sell to Aminah binti Yusof");
    expect(text).toContain("1. Choose a product");
    expect(text).not.toContain("Pilih produk");
  });
});

describe("the agent portal in Swahili", () => {
  let kenya: { id: string; slug: string };
  let wanjiru: Awaited<ReturnType<typeof addAgent>>;

  beforeAll(async () => {
    kenya = await createTenant();
    await withPlatform((db) =>
      db
        .updateTable("tenants")
        .set({
          currency: "KES",
          locale: "en-KE",
          time_zone: "Africa/Nairobi",
          features: JSON.stringify({ marketplace: true, agentNetwork: true }),
        })
        .where("id", "=", kenya.id)
        .execute(),
    );
    await offer(kenya.id, ["en", "sw"]);
    wanjiru = await addAgent(kenya.id, { name: "Wanjiru Lugha" });
  });

  it("speaks Swahili to a Kenyan agent on their downline", async () => {
    const browser = await speak(await signIn(hostOf(kenya), wanjiru.email), "sw");
    const text = await pageText(browser, "/agent/downline");
    for (const words of ["Mtandao wangu", "Bado hakuna aliyejiunga chini yako.", "Jina au nambari ya wakala", "Nenda kwenye dashibodi"])
      expect(text).toContain(words);
    expect(text).not.toContain("Go to the dashboard");
  });

  it("invites a recruit in Swahili on the referral page", async () => {
    const browser = await speak(new Browser(hostOf(kenya)), "sw");
    const text = await pageText(browser, `/join/${wanjiru.referralCode}`);
    for (const words of ["kama wakala", "Mdhamini wako", "Jina kamili (kama lilivyo kwenye MyKad yako)", "Omba kujiunga"])
      expect(text).toContain(words);
    expect(text).not.toContain("Apply to join");
  });
});

/**
 * The back office's agent network and commissions in the staff member's language (issue 14 item
 * 7): Malay for a KHHoldings-like agency (en+ms) on the agents, members, commission rules, month
 * and disputes pages, Swahili for a Bowman-like one (en+sw) on the ledger, English by default.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { withTenant } from "~db/client";
import { openDispute } from "~/modules/commissions/disputes.server";
import { monthLabel, monthOf } from "~/modules/commissions/months";
import { createUser } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { hibahGoldProduct, insertRules, KL, networkTenant, tiers } from "./commissions-support";
import { addAgent } from "./network-support";
import { offer, setLanguage } from "./languages-support";

const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");

let malaysia: { id: string; slug: string };
let kenya: { id: string; slug: string };
let malayAdmin: { id: string; email: string };
let swahiliAdmin: { id: string; email: string };
let recruit: Awaited<ReturnType<typeof addAgent>>;
let productId: string;
let disputeId: string;
const month = monthOf(new Date(), KL);

beforeAll(async () => {
  malaysia = await networkTenant();
  await offer(malaysia.id, ["en", "ms"]);
  malayAdmin = await createUser(malaysia.id, { roles: ["admin"], name: "Nurul Pentadbir" });
  const sponsor = await addAgent(malaysia.id, { name: "Siti Penaja" });
  recruit = await addAgent(malaysia.id, { sponsorId: sponsor.id, name: "Ali Rekrut" });
  await addAgent(malaysia.id, { name: "Hakim Menunggu", status: "pending" });
  productId = await hibahGoldProduct(malaysia.id);
  await insertRules(malaysia.id, productId, "monthly", tiers(1111, { rateBp: 222, capMinor: 50_000 }), "2020-01-01");
  // This month's entry for the recruit, disputed by them.
  disputeId = await withTenant(malaysia.id, async (db) => {
    const entry = await db
      .insertInto("commission_entries")
      .values({ kind: "adjustment", agent_id: recruit.id, month, amount_minor: 1667, currency: "MYR", tier: 1, earned_at: new Date() })
      .returning("id")
      .executeTakeFirstOrThrow();
    const opened = await openDispute(db, { entryId: entry.id, agentId: recruit.id, userId: recruit.userId, reason: "Jualan saya RM180." });
    if (!opened.ok) throw new Error(opened.reason);
    return opened.disputeId;
  });

  kenya = await networkTenant();
  await offer(kenya.id, ["en", "sw"]);
  swahiliAdmin = await createUser(kenya.id, { roles: ["admin"], name: "Juma Msimamizi" });
});

async function as(host: string, email: string, language?: Language): Promise<Browser> {
  const browser = await signIn(host, email);
  // As the switcher leaves it: the cookie's own encoding, not the bare code.
  if (language) await setLanguage(browser, language);
  return browser;
}

async function page(browser: Browser, path: string): Promise<string> {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return text(res.text);
}

describe("the agent network's back office in Malay", () => {
  it("lists the agents with their statuses and filters in Malay", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const res = await browser.get("/admin/agents");
    expect(res.text).toMatch(/<title>Ejen · /);
    const agents = text(res.text);
    for (const words of [
      "3 ejen. Permohonan yang menunggu kelulusan disenaraikan dahulu.",
      "Paparan rangkaian",
      "Tambah ejen",
      "Menunggu kelulusan",
      "Nama, e-mel, nombor ejen atau kod rujukan",
      "Tiada (puncak rangkaian)",
      "Siti Penaja",
    ])
      expect(agents).toContain(words);
    expect(agents).not.toContain("Pending applications are listed first");
    expect(agents).not.toContain("Network view");
  });

  it("shows one agent's profile, uplines and actions in Malay", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const agent = await page(browser, `/admin/agents/${recruit.id}`);
    for (const words of [
      "Penaja dan upline",
      "Penaja:",
      "Siti Penaja",
      "Rangkaian bawah",
      "Sejarah penaja",
      "Pindah kepada penaja lain",
      "Gantung",
    ])
      expect(agent).toContain(words);
    expect(agent).toContain("Ejen berhenti memperoleh komisen sehingga dipulihkan");
    expect(agent).not.toContain("Sponsor history");
    expect(agent).not.toContain("Move to another sponsor");
  });

  it("translates the members list", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const members = await page(browser, "/admin/members");
    for (const words of ["Pemegang polisi yang didaftarkan oleh ejen: 0 kesemuanya.", "Semua status", "Belum ada ahli"])
      expect(members).toContain(words);
    expect(members).not.toContain("No members yet");
  });

  it("translates the commission rules, their conditions and frequencies", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const index = await page(browser, "/admin/commission-rules");
    for (const words of ["Peraturan komisen", "Berkuat kuasa sekarang", "Bulanan", "dihadkan pada", "sebulan", "Sunting"])
      expect(index).toContain(words);
    expect(index).not.toContain("In force now");
    const rules = await page(browser, `/admin/commission-rules/${productId}?frequency=monthly`);
    for (const words of [
      "Berkuat kuasa sekarang · Bulanan",
      "Ubah peraturan",
      "Peringkat 1 · ejen yang menjual",
      "Simpan peraturan baharu",
      "Versi",
    ])
      expect(rules).toContain(words);
    expect(rules).toMatch(/Jualan Hibah Senior Care Gold 270 bulanan sebanyak RM\s?[\d,.]+ membayar T1/);
    expect(rules).not.toContain("Save new rules");
  });

  it("previews the month's close in Malay, month named in Malay", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const months = await page(browser, "/admin/commissions/months");
    expect(months).toContain("Bulan & pembayaran");
    expect(months).toContain(monthLabel(month, "ms-MY"));
    const close = await page(browser, `/admin/commissions/months/${month.slice(0, 7)}`);
    for (const words of [
      monthLabel(month, "ms-MY"),
      "Pratonton penutupan: tiada apa berubah sehingga bulan ditutup.",
      "Komisen bersih bulan ini",
      "Bulan ini belum boleh ditutup",
      `${monthLabel(month, "ms-MY")} belum berakhir.`,
      "Catatan bulan ini",
    ])
      expect(close).toContain(words);
    expect(close).not.toContain("Net commission of the month");
  });

  it("lists the disputes and shows one in Malay", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email, "ms");
    const list = await page(browser, "/admin/commissions/disputes");
    for (const words of ["Ejen mempersoalkan catatan komisen", "1 pertikaian.", "Terbuka", "Jualan saya RM180.", "Sebarang status"])
      expect(list).toContain(words);
    expect(list).not.toContain("Open disputes first");
    const thread = await page(browser, `/admin/commissions/disputes/${disputeId}`);
    for (const words of ["Pertikaian atas", "Dipertikaikan", "Pelarasan", "Hantar balasan", "Selesaikan", "Nota kepada ejen"])
      expect(thread).toContain(words);
    expect(thread).not.toContain("Send reply");
  });

  it("stays in English for the same admin without a choice", async () => {
    const browser = await as(hostOf(malaysia), malayAdmin.email);
    const agents = await page(browser, "/admin/agents");
    expect(agents).toContain("3 agents. Pending applications are listed first.");
    expect(agents).toContain("Pending approval");
    const disputes = await page(browser, "/admin/commissions/disputes");
    expect(disputes).toContain("1 dispute.");
    expect(disputes).not.toContain("Terbuka");
  });
});

describe("the commission ledger in Swahili", () => {
  it("speaks Swahili to an admin who chose it", async () => {
    const browser = await as(hostOf(kenya), swahiliAdmin.email, "sw");
    const res = await browser.get("/admin/commissions");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<html[^>]*lang="sw"/);
    const ledger = text(res.text);
    for (const words of [
      "Leja ya kamisheni",
      "Pakua CSV",
      "Mwezi wowote",
      "Aina yoyote",
      "Miezi na malipo",
      "Malalamiko",
      "Bado hakuna kamisheni.",
    ])
      expect(ledger).toContain(words);
    expect(ledger).not.toContain("No commission yet.");
    expect(ledger).not.toContain("Any month");
  });
});

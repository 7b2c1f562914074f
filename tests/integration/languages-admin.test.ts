/**
 * The back office in the person's language (issue 14 item 7): an administrator of a Bowman-like
 * agency (en+sw) who chose Swahili, and one of a KHHoldings-like agency (en+ms) who chose Malay,
 * see the menu, overview, tasks, policies, underwriting, users and workflows in it; without a
 * choice the same pages stay English.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import { createTenant, createUser } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { agentNetworkTenant } from "./network-support";
import { offer, setLanguage } from "./languages-support";

let kenya: { id: string; slug: string };
let malaysia: { id: string; slug: string };
let juma: { id: string; email: string };
let aishah: { id: string; email: string };

beforeAll(async () => {
  [kenya, malaysia] = await Promise.all([createTenant(), agentNetworkTenant()]);
  await Promise.all([offer(kenya.id, ["en", "sw"]), offer(malaysia.id, ["en", "ms"])]);
  juma = await createUser(kenya.id, { name: "Juma Msimamizi", roles: ["admin"] });
  aishah = await createUser(malaysia.id, { name: "Aishah Pentadbir", roles: ["admin"] });
});

async function as(tenant: { slug: string }, email: string, language?: Language): Promise<Browser> {
  const browser = await signIn(hostOf(tenant), email);
  // As the switcher leaves it: the cookie's own encoding, not the bare code.
  if (language) await setLanguage(browser, language);
  return browser;
}

async function page(browser: Browser, path: string): Promise<string> {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return textOf(res.text);
}

function speaks(text: string, words: string[], notWords: string[]) {
  for (const w of words) expect(text).toContain(w);
  for (const w of notWords) expect(text).not.toContain(w);
}

describe("the back office in Swahili", () => {
  it("names the menu's groups and links, and the overview, in Swahili", async () => {
    const res = await (await as(kenya, juma.email, "sw")).get("/admin");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<html[^>]*lang="sw"/);
    const text = textOf(res.text);
    speaks(
      text,
      [
        "Ofisi ya nyuma",
        "Menyu",
        "Mauzo",
        "Muhtasari",
        "Kazi zangu",
        "Foleni ya madai",
        "Mipangilio",
        "Watumiaji",
        "Kumbukumbu ya ukaguzi",
      ],
      ["Claims queue", "Audit log", "Settings"],
    );
    speaks(text, ["Karibu tena, Juma Msimamizi.", "Watu", "Shughuli za hivi karibuni", "Msimamizi"], ["Welcome back", "Recent activity"]);
  });

  it("translates my tasks, policies, underwriting, users and workflows", async () => {
    const browser = await as(kenya, juma.email, "sw");
    speaks(
      await page(browser, "/admin/tasks"),
      ["Kazi zangu", "Hakuna kinachokusubiri.", "Zilizochelewa tu", "Chuja"],
      ["Nothing waits for you", "Overdue only"],
    );
    speaks(
      await page(browser, "/admin/policies"),
      ["Nambari ya sera, barua pepe ya mteja au agizo", "Hali yoyote", "Bado hakuna sera."],
      ["Any status", "No policies yet."],
    );
    speaks(
      await page(browser, "/admin/underwriting"),
      ["Hakuna kinachosubiri.", "Hakuna sera inayosubiri uthibitishaji wa hatari."],
      ["Nothing waiting."],
    );
    speaks(
      await page(browser, "/admin/users"),
      ["Akaunti 1", "Jina au barua pepe", "Majukumu yote", "Msimamizi"],
      ["All roles", "Administrator"],
    );
    speaks(await page(browser, `/admin/users/${juma.id}`), ["Maelezo", "Hifadhi majukumu", "Anachoweza kufanya mtu huyu"], ["Save roles"]);
    speaks(
      await page(browser, "/admin/workflows"),
      ["Mitiririko ya kazi", "Madai yote", "Uthibitishaji wote wa hatari", "Inatumika kwa"],
      ["All claims", "Applies to"],
    );
  });

  it("describes audited actions in Swahili on the audit log and the overview's recent activity", async () => {
    // Signing in is itself audited: "Signed in" is in the log before the first page.
    const browser = await as(kenya, juma.email, "sw");
    const audit = await browser.get("/admin/audit");
    expect(audit.status).toBe(200);
    expect(audit.text).toContain("<span>Aliingia</span><code>auth.sign_in</code>");
    expect(audit.text).not.toContain("<span>Signed in</span>");
    speaks(textOf(audit.text), ["Kuingia na manenosiri", "Alibadilisha majukumu"], ["Sign-ins and passwords", "Changed roles"]);
    expect(await page(browser, "/admin")).toMatch(/—\s*Aliingia/);
  });

  it("names a workflow's events and assigners in Swahili in the editor", async () => {
    const text = await page(await as(kenya, juma.email, "sw"), "/admin/workflows/new?subject=claim&scope=*");
    speaks(
      text,
      ["Omba nyaraka", "Kamilisha tathmini", "Kwa zamu: mtathmini mwenye kazi chache zaidi zilizo wazi"],
      ["Request documents", "Round-robin"],
    );
  });
});

describe("the back office in Malay", () => {
  it("names the menu and the overview in Malay, the agent network's pages included", async () => {
    const res = await (await as(malaysia, aishah.email, "ms")).get("/admin");
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<html[^>]*lang="ms"/);
    speaks(
      textOf(res.text),
      [
        "Pejabat belakang",
        "Jualan",
        "Tugasan saya",
        "Rangkaian",
        "Ejen",
        "Peraturan komisen",
        "Selamat kembali, Aishah Pentadbir.",
        "Aktiviti terkini",
      ],
      ["Commission rules", "Welcome back", "Recent activity"],
    );
  });

  it("translates my tasks, policies, underwriting, users and workflows", async () => {
    const browser = await as(malaysia, aishah.email, "ms");
    speaks(
      await page(browser, "/admin/tasks"),
      ["Tugasan saya", "Tiada apa-apa menunggu anda.", "Yang lewat sahaja"],
      ["Nothing waits for you"],
    );
    speaks(await page(browser, "/admin/policies"), ["Sebarang status", "Belum ada polisi."], ["Any status"]);
    speaks(await page(browser, "/admin/underwriting"), ["Pengunderaitan", "Tiada yang menunggu."], ["Nothing waiting."]);
    speaks(await page(browser, "/admin/users"), ["Semua peranan", "Pentadbir"], ["All roles"]);
    speaks(await page(browser, "/admin/workflows"), ["Aliran kerja", "Semua tuntutan", "Terpakai untuk"], ["All claims"]);
  });
});

describe("without a choice", () => {
  it("keeps the back office in English", async () => {
    const text = await page(await as(kenya, juma.email), "/admin");
    speaks(text, ["Welcome back, Juma Msimamizi.", "Claims queue", "Audit log"], ["Karibu tena", "Foleni ya madai"]);
  });

  it("describes audited actions in English", async () => {
    const browser = await as(kenya, juma.email);
    const audit = await browser.get("/admin/audit");
    expect(audit.status).toBe(200);
    expect(audit.text).toContain("<span>Signed in</span><code>auth.sign_in</code>");
    speaks(textOf(audit.text), ["Sign-ins and passwords", "Changed roles"], ["Aliingia", "Kuingia na manenosiri"]);
    expect(await page(browser, "/admin")).toMatch(/—\s*Signed in/);
  });
});

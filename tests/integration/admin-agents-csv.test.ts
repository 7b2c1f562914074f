import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { CsvCursor } from "~/lib/csv.server";
import { updateBankDetails } from "~/modules/network/agents.server";
import { agentsCsvBatch } from "~/modules/network/directory.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { createTenant, createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { addAgent, addChain, agentNetworkTenant } from "./network-support";

/**
 * /admin/agents.csv over HTTP: the list page's filters, every matching agent with its place in the
 * tree, bank accounts only masked, formula-safe cells, the list's permission and the network gate,
 * and nothing of another agency.
 */

const KL = "Asia/Kuala_Lumpur";
const HEADER = [
  "Agent number",
  "Name",
  "Email",
  "Phone",
  "Phone verified",
  "Status",
  "Referral code",
  "Sponsor agent number",
  "Sponsor name",
  "Level (1 = top of the network)",
  "Direct recruits",
  "Downline total",
  `Joined (${KL})`,
  "Bank name",
  "Bank account (masked)",
  "Account holder",
].join(",");
const FULL_ACCOUNT = "514012345678";
const EVIL_NAME = '=HYPERLINK("http://evil","Click")';

type Agent = Awaited<ReturnType<typeof addAgent>>;
let tenant: { id: string; slug: string };
let staffBrowser: Browser;
let chain: Agent[];
let suspended: Agent;
let other: { tenant: { id: string; slug: string }; agent: Agent; browser: Browser };

/** The CSV's lines, without the BOM, split on the RFC 4180 line ends. */
function linesOf(body: string): string[] {
  expect(body.startsWith("\uFEFF")).toBe(true);
  return body.slice(1).replace(/\r\n$/, "").split("\r\n");
}

const rowOf = (lines: string[], agentNumber: string) => lines.find((l) => l.startsWith(`${agentNumber},`));

/** The day an agent joined, in the agency's time zone (as the CSV must print it). */
const joinedOf = async (agent: Agent) =>
  quoteDateIn(
    KL,
    (await ownerDb().selectFrom("agents").select("created_at").where("id", "=", agent.id).executeTakeFirstOrThrow()).created_at,
  );

beforeAll(async () => {
  tenant = await agentNetworkTenant();
  const staff = await createUser(tenant.id, { roles: ["staff"] });
  // Chain 0 → Chain 1 → Chain 2, and a suspended agent with a formula for a name under Chain 0.
  chain = await addChain(tenant.id, 3);
  suspended = await addAgent(tenant.id, { sponsorId: chain[0]!.id, status: "suspended", name: EVIL_NAME });
  await withTenant(tenant.id, async (db) => {
    await updateBankDetails(
      db,
      tenant.id,
      { agentId: chain[1]!.id, bankName: "Maybank", accountNumber: FULL_ACCOUNT, accountHolder: "CHAIN ONE" },
      { userId: null },
    );
    await db.updateTable("agents").set({ phone: "+60123456789", phone_verified_at: new Date() }).where("id", "=", chain[1]!.id).execute();
    await db.updateTable("agents").set({ phone: "+60198765432" }).where("id", "=", chain[2]!.id).execute();
  });
  staffBrowser = await signIn(hostOf(tenant), staff.email);

  const otherTenant = await agentNetworkTenant();
  const otherAdmin = await createUser(otherTenant.id, { roles: ["admin"] });
  other = {
    tenant: otherTenant,
    agent: await addAgent(otherTenant.id, { name: "Agent of Another Agency" }),
    browser: await signIn(hostOf(otherTenant), otherAdmin.email),
  };
});

describe("the agents CSV", () => {
  it("lists every agent with sponsor, level, recruits, downline, joined date and a masked bank account", async () => {
    const res = await staffBrowser.get("/admin/agents.csv");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-disposition"]).toMatch(
      new RegExp(`^attachment; filename="agents-${tenant.slug}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const lines = linesOf(res.text);
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(1 + 4);

    const [top, middle, low] = chain as [Agent, Agent, Agent];
    expect(rowOf(lines, top.agentNumber)).toBe(
      `${top.agentNumber},Chain 0,${top.email},,,Active,${top.referralCode},,,1,2,3,${await joinedOf(top)},,,`,
    );
    // Phones as stored (the leading "+" gets the formula guard's quote, as every CSV cell does).
    expect(rowOf(lines, middle.agentNumber)).toBe(
      `${middle.agentNumber},Chain 1,${middle.email},'+60123456789,Yes,Active,${middle.referralCode},${top.agentNumber},Chain 0,2,1,1,${await joinedOf(middle)},Maybank,•••• 5678,CHAIN ONE`,
    );
    expect(rowOf(lines, low.agentNumber)).toBe(
      `${low.agentNumber},Chain 2,${low.email},'+60198765432,No,Active,${low.referralCode},${middle.agentNumber},Chain 1,3,0,0,${await joinedOf(low)},,,`,
    );
    // Newest first.
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual([suspended, low, middle, top].map((a) => a.agentNumber));

    // The account number is stored encrypted and never leaves in the CSV, in any spelling.
    expect(res.text).not.toContain(FULL_ACCOUNT);
    expect(res.text).not.toContain("5140 1234 5678");
    expect(res.text).not.toContain("v1.");
  });

  it("makes a formula-looking name inert", async () => {
    const lines = linesOf((await staffBrowser.get("/admin/agents.csv")).text);
    expect(rowOf(lines, suspended.agentNumber)).toBe(
      `${suspended.agentNumber},"'=HYPERLINK(""http://evil"",""Click"")",${suspended.email},,,Suspended,${suspended.referralCode},${chain[0]!.agentNumber},Chain 0,2,0,0,${await joinedOf(suspended)},,,`,
    );
  });

  it("applies the list page's filters, and refuses bad ones before any byte of CSV", async () => {
    const bySuspended = linesOf((await staffBrowser.get("/admin/agents.csv?status=suspended")).text);
    expect(bySuspended).toEqual([HEADER, expect.stringMatching(new RegExp(`^${suspended.agentNumber},`))]);

    const byNumber = linesOf((await staffBrowser.get(`/admin/agents.csv?q=${chain[1]!.agentNumber}`)).text);
    expect(byNumber.slice(1).map((l) => l.split(",")[0])).toEqual([chain[1]!.agentNumber]);
    const byCode = linesOf((await staffBrowser.get(`/admin/agents.csv?q=${chain[2]!.referralCode.toLowerCase()}`)).text);
    expect(byCode.slice(1).map((l) => l.split(",")[0])).toEqual([chain[2]!.agentNumber]);
    const byName = linesOf((await staffBrowser.get("/admin/agents.csv?q=chain&status=active")).text);
    expect(byName).toHaveLength(1 + 3);
    expect(linesOf((await staffBrowser.get("/admin/agents.csv?status=pending")).text)).toEqual([HEADER]);

    // The page drops a bad filter and says so; a download must be the set asked for, or none.
    const bad = await staffBrowser.get("/admin/agents.csv?status=nope");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("This export was not started. Status:");
  });

  it("is linked from the list page with the current filters", async () => {
    const plain = await staffBrowser.get("/admin/agents");
    expect(plain.text).toContain('href="/admin/agents.csv"');
    expect(textOf(plain.text)).toContain("Download CSV");
    const filtered = await staffBrowser.get("/admin/agents?q=Chain&status=suspended&page=2");
    expect(filtered.text).toContain('href="/admin/agents.csv?q=Chain&amp;status=suspended"');
  });

  it("pages through every agent batch by batch, each once", async () => {
    const seen: string[] = [];
    let cursor: CsvCursor | null = null;
    let batches = 0;
    do {
      const batch = await withTenant(tenant.id, (db) => agentsCsvBatch(db, {}, { timeZone: KL, cursor, limit: 3 }));
      seen.push(...batch.lines.split("\r\n").filter(Boolean));
      cursor = batch.next;
      batches += 1;
    } while (cursor && batches < 10);
    expect(batches).toBe(2);
    expect(seen.map((l) => l.split(",")[0])).toEqual([suspended, chain[2]!, chain[1]!, chain[0]!].map((a) => a.agentNumber));
  });
});

describe("who gets the agents CSV", () => {
  it("refuses a user without the agents list's permission", async () => {
    const agentBrowser = await signIn(hostOf(tenant), chain[0]!.email);
    expect((await agentBrowser.get("/admin/agents")).status).toBe(403);
    const res = await agentBrowser.get("/admin/agents.csv");
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(chain[1]!.referralCode);
    const customer = await createUser(tenant.id, { roles: ["customer"] });
    expect((await (await signIn(hostOf(tenant), customer.email)).get("/admin/agents.csv")).status).toBe(403);
  });

  it("never shows another agency's agents", async () => {
    const mine = await staffBrowser.get("/admin/agents.csv");
    expect(mine.text).not.toContain(other.agent.referralCode);
    expect(mine.text).not.toContain(other.agent.email);
    expect(linesOf((await staffBrowser.get(`/admin/agents.csv?q=${other.agent.email}`)).text)).toEqual([HEADER]);

    const theirs = await other.browser.get("/admin/agents.csv");
    expect(theirs.status).toBe(200);
    const lines = linesOf(theirs.text);
    expect(lines).toHaveLength(1 + 1);
    expect(lines[1]).toContain(other.agent.referralCode);
    for (const agent of [...chain, suspended]) {
      expect(theirs.text).not.toContain(agent.referralCode);
      expect(theirs.text).not.toContain(agent.email);
    }
    expect(theirs.text).not.toContain("Maybank");
    expect(theirs.headers["content-disposition"]).toContain(`agents-${other.tenant.slug}-`);
  });

  it("answers 404 where the agency runs no network", async () => {
    const plain = await createTenant();
    const plainAdmin = await createUser(plain.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(plain), plainAdmin.email);
    expect((await browser.get("/admin/agents.csv")).status).toBe(404);
    expect((await browser.get("/admin/agents.csv?status=active")).status).toBe(404);
  });
});

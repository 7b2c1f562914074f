import { beforeAll, describe, expect, it } from "vitest";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { decryptPii, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { addAgent } from "./network-support";
import { hibahGoldProduct, insertAgent, insertRules, insertSale, KL, networkTenant, record, tiers } from "./commissions-support";

/**
 * Issue 15, payouts: the month's payout batch as a Malaysian bank's bulk-payment file
 * (docs/decisions/047-commission-bank-files.md), over HTTP against the built app: only payers
 * download it, every download is audited, a batch with a line the bank would refuse gives no file
 * but the list of problems, and another agency's batch does not exist.
 */
const text = (html: string) =>
  textOf(html)
    .replace(/\u00a0/g, " ")
    .replace(/ :/g, ":");

let tenant: { id: string; slug: string };
let admin: Browser;
let staff: Browser;
let batch: { id: string; reference: string };
let slug: string;
let goodNumber: string;
let badNumber: string;
let badAgent: string;

const encrypt = (tenantId: string, value: string) =>
  encryptPii(value, { key: piiKeysFromEnv(), context: piiContext(tenantId, "bank_account") });

async function bankDetails(tenantId: string, agentId: string, bank: string, account: string, holder: string) {
  await ownerDb()
    .updateTable("agents")
    .set({
      bank_name: bank,
      bank_account_holder: holder,
      bank_account_ciphertext: encrypt(tenantId, account),
      bank_account_masked: "•••• x",
    })
    .where("id", "=", agentId)
    .execute();
}

const numberOf = async (agentId: string) =>
  (await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", agentId).executeTakeFirstOrThrow()).agent_number;

beforeAll(async () => {
  tenant = await networkTenant();
  const [owner, staffer] = await Promise.all([createUser(tenant.id, { roles: ["admin"] }), createUser(tenant.id, { roles: ["staff"] })]);
  admin = await signIn(hostOf(tenant), owner.email);
  staff = await signIn(hostOf(tenant), staffer.email);
  const product = await hibahGoldProduct(tenant.id);
  await insertRules(tenant.id, product, "monthly", tiers(1111), "2020-01-01");
  const good = await insertAgent(tenant.id, null, "active", "Siti Nurhaliza");
  badAgent = await insertAgent(tenant.id, null, "active", "Tan Wei Ming");
  [goodNumber, badNumber] = await Promise.all([numberOf(good), numberOf(badAgent)]);
  await bankDetails(tenant.id, good, "Maybank", "5140 1234 5678", "Siti Nurhaliza bt Ahmad");
  // A CIMB account is 10 or 14 digits: this one would bounce at the bank.
  await bankDetails(tenant.id, badAgent, "CIMB Bank Berhad", "8001234", "Tan Wei Ming");
  const month = addMonthsTo(monthOf(new Date(), KL), -1);
  slug = month.slice(0, 7);
  const at = new Date(`${month.slice(0, 8)}15T04:00:00Z`);
  const sales = [
    await insertSale(tenant.id, { agentId: good, productId: product, frequency: "monthly", amountMinor: 15_000, at }),
    await insertSale(tenant.id, { agentId: badAgent, productId: product, frequency: "monthly", amountMinor: 30_000, at }),
  ];
  expect(
    await record(
      tenant.id,
      sales.map((s) => s.transactionId),
    ),
  ).toBe(2);
  const closed = await admin.post(`/admin/commissions/months/${slug}`, { intent: "close" });
  expect(closed.status, text(closed.text).slice(0, 300)).toBe(302);
  batch = await ownerDb()
    .selectFrom("payout_batches")
    .select(["id", "reference"])
    .where("tenant_id", "=", tenant.id)
    .executeTakeFirstOrThrow();
});

describe("the bank bulk-payment file of a payout batch", () => {
  it("asks for the agency's bank format before there is a file", async () => {
    const page = text((await admin.get(`/admin/commissions/months/${slug}`)).text);
    expect(page).toContain("Choose your bank's bulk-payment format");
    const refused = await admin.get(`/admin/commissions/payouts/${batch.id}/bank-file`);
    expect(refused.status).toBe(302);
    expect(refused.location).toBe(`/admin/commissions/months/${slug}?bankFile=refused#bank-file`);
    const listed = text((await admin.get(refused.location!)).text);
    expect(listed).toContain("Your agency: no bank file format is chosen in the network settings.");
  });

  it("saves the format with field-level errors for a bad debit account", async () => {
    const bad = await admin.post("/admin/agents/settings", {
      intent: "bankFile",
      bankFileFormat: "maybank2u_biz",
      payerName: "KH Holdings Sdn Bhd",
      payerAccount: "12-34",
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain("An account number of 10 to 16 digits (spaces and dashes are fine)");
    expect(
      (
        await ownerDb()
          .selectFrom("network_settings")
          .select("bank_file_format")
          .where("tenant_id", "=", tenant.id)
          .executeTakeFirstOrThrow()
      ).bank_file_format,
    ).toBeNull();
    // Staff who do not pay cannot choose where money goes from.
    expect((await staff.post("/admin/agents/settings", { intent: "bankFile", bankFileFormat: "maybank2u_biz" })).status).toBe(403);

    const saved = await admin.post("/admin/agents/settings", {
      intent: "bankFile",
      bankFileFormat: "maybank2u_biz",
      payerName: "KH Holdings Sdn Bhd",
      payerAccount: "5140-9999-0001",
    });
    expect(saved.status).toBe(302);
    expect(await auditRows(tenant.id, "commission.bank_file_settings_updated")).toHaveLength(1);
    const page = text((await admin.get("/admin/agents/settings")).text);
    expect(page).toContain("Maybank2u Biz bulk payment (CSV)");
  });

  it("refuses the file with every agent's problem, and writes nothing and logs no download", async () => {
    const refused = await admin.get(`/admin/commissions/payouts/${batch.id}/bank-file`);
    expect(refused.status).toBe(302);
    const listed = text((await admin.get(refused.location!)).text);
    expect(listed).toContain("No bank file was made: 1 problem to fix first");
    expect(listed).toContain(`${badNumber} Tan Wei Ming: CIMB Bank account numbers have 10 / 14 digits, this one has 7`);
    expect(listed).not.toContain("8001234");
    expect(await auditRows(tenant.id, "commission.bank_file_downloaded")).toHaveLength(0);
  });

  it("downloads a file whose header and trailer add up, for payers only, audited; DuitNow where the agent chose it", async () => {
    await ownerDb()
      .updateTable("agents")
      .set({
        duitnow_proxy_type: "mobile",
        duitnow_proxy_ciphertext: encrypt(tenant.id, "012-345 6789"),
        duitnow_proxy_masked: "•••• 6789",
      })
      .where("id", "=", badAgent)
      .execute();
    const page = text((await admin.get(`/admin/commissions/months/${slug}`)).text);
    expect(page).toContain("Download the Maybank2u Biz bulk payment (CSV) file");

    const file = await admin.get(`/admin/commissions/payouts/${batch.id}/bank-file`);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toContain("text/csv");
    expect(file.headers["content-disposition"]).toContain(`${tenant.slug}-${batch.reference}-maybank2u_biz.csv`);
    const rows = file.text.split("\r\n");
    expect(rows[0]).toMatch(new RegExp(`^H,514099990001,KH HOLDINGS SDN BHD,\\d{8},${batch.reference},2,50\\.00$`));
    expect(rows[1]).toBe(`D,IT,MBBEMYKL,514012345678,,SITI NURHALIZA BT AHMAD,16.67,${batch.reference}-${goodNumber},COMMISSION ${slug}`);
    expect(rows[2]).toBe(`D,DN,,60123456789,MBNO,TAN WEI MING,33.33,${batch.reference}-${badNumber},COMMISSION ${slug}`);
    expect(rows.slice(3)).toEqual(["T,2,50.00", ""]);
    const audit = await auditRows(tenant.id, "commission.bank_file_downloaded", batch.id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain("514012345678");

    expect((await staff.get(`/admin/commissions/payouts/${batch.id}/bank-file`)).status).toBe(403);
    expect(await auditRows(tenant.id, "commission.bank_file_downloaded")).toHaveLength(1);
  });

  it("does not show one agency's batch to another", async () => {
    const other = await networkTenant();
    const otherAdmin = await createUser(other.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(other), otherAdmin.email);
    expect((await browser.get(`/admin/commissions/payouts/${batch.id}/bank-file`)).status).toBe(404);
    expect(await auditRows(other.id, "commission.bank_file_downloaded")).toHaveLength(0);
  });
});

describe("the agent's DuitNow choice", () => {
  it("is saved encrypted and shown masked, with field errors for a number DuitNow would not take", async () => {
    const agentTenant = await networkTenant();
    const { id: agentId, email } = await addAgent(agentTenant.id, { name: "Nur Aisyah" });
    const agent = await signIn(hostOf(agentTenant), email);
    expect(text((await agent.get("/agent/profile")).text)).toContain("Your commissions are paid to your bank account above.");

    const bad = await agent.post("/agent/profile", { intent: "duitnow", proxyType: "mobile", proxy: "+254 712 345678" });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain("Enter a Malaysian mobile number, like 012-345 6789");
    const badNric = await agent.post("/agent/profile", { intent: "duitnow", proxyType: "nric", proxy: "851332-10-1234" });
    expect(badNric.status).toBe(400);
    const unchanged = await ownerDb().selectFrom("agents").select("duitnow_proxy_type").where("id", "=", agentId).executeTakeFirstOrThrow();
    expect(unchanged.duitnow_proxy_type).toBeNull();

    const saved = await agent.post("/agent/profile", { intent: "duitnow", proxyType: "mobile", proxy: "012-345 6789" });
    expect(saved.status).toBe(302);
    const row = await ownerDb()
      .selectFrom("agents")
      .select(["duitnow_proxy_type", "duitnow_proxy_ciphertext", "duitnow_proxy_masked"])
      .where("id", "=", agentId)
      .executeTakeFirstOrThrow();
    expect(row.duitnow_proxy_type).toBe("mobile");
    expect(row.duitnow_proxy_ciphertext).not.toContain("6789");
    expect(decryptPii(row.duitnow_proxy_ciphertext!, { key: piiKeysFromEnv(), context: piiContext(agentTenant.id, "bank_account") })).toBe(
      "60123456789",
    );
    const page = text((await agent.get("/agent/profile")).text);
    expect(page).toContain("Your commissions are paid by DuitNow to your mobile number •••• 6789.");
    expect(page).not.toContain("60123456789");
    const audit = await auditRows(agentTenant.id, "agent.duitnow_updated", agentId);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.details)).not.toContain("60123456789");

    expect((await agent.post("/agent/profile", { intent: "duitnow", proxyType: "none" })).status).toBe(302);
    const back = await ownerDb()
      .selectFrom("agents")
      .select(["duitnow_proxy_type", "duitnow_proxy_ciphertext"])
      .where("id", "=", agentId)
      .executeTakeFirstOrThrow();
    expect(back).toEqual({ duitnow_proxy_type: null, duitnow_proxy_ciphertext: null });
  });
});

/**
 * Hostile input to the two forms of issue 15's payouts (the agency's bank-file settings, the
 * agent's DuitNow choice): each is a field-level message, a 400 not a 500, and the row read back
 * is as it was.
 */
const HUGE = "9".repeat(1024 * 1024);

describe("hostile input to the bank-file settings and DuitNow forms", () => {
  it("bank-file settings: NUL, CR/LF, 1 MB, a repeated field, an unknown bank format, a malformed account: field errors, nothing saved", async () => {
    const hostile = await networkTenant();
    const owner = await createUser(hostile.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(hostile), owner.email);
    const good = { intent: "bankFile", bankFileFormat: "cimb_bizchannel", payerName: "KH Holdings Sdn Bhd", payerAccount: "8001234567" };
    const settingsRow = () =>
      ownerDb()
        .selectFrom("network_settings")
        .select(["bank_file_format", "payer_name", "payer_account"])
        .where("tenant_id", "=", hostile.id)
        .executeTakeFirst();
    const before = await settingsRow();
    const cases: [string, Record<string, string | string[]>, string, string][] = [
      ["NUL in the name", { ...good, payerName: "KH\u0000Holdings" }, "payerName", "without tabs, line breaks or other control characters"],
      [
        "CR/LF in the name",
        { ...good, payerName: "KH Holdings\r\nH,MBBEMYKL" },
        "payerName",
        "without tabs, line breaks or other control characters",
      ],
      // Surrounding white space (a pasted line end) is trimmed, as in every field: a line break inside is not.
      ["CR/LF in the account", { ...good, payerAccount: "80012\r\n34567" }, "payerAccount", ""],
      ["1 MB name", { ...good, payerName: HUGE }, "payerName", ""],
      ["1 MB account", { ...good, payerAccount: HUGE }, "payerAccount", "Use at most 1,000 characters."],
      ["an unknown bank format", { ...good, bankFileFormat: "hsbc_connect" }, "bankFileFormat", ""],
      ["the format twice", { ...good, bankFileFormat: ["maybank2u_biz", "cimb_bizchannel"] }, "bankFileFormat", ""],
      ["letters for an account", { ...good, payerAccount: "MBB-ACCOUNT-1" }, "payerAccount", "An account number of 10 to 16 digits"],
      ["a 17-digit account", { ...good, payerAccount: "12345678901234567" }, "payerAccount", "An account number of 10 to 16 digits"],
      ["the account twice", { ...good, payerAccount: ["8001234567", "8001234568"] }, "payerAccount", ""],
    ];
    for (const [what, body, field, message] of cases) {
      const res = await browser.post("/admin/agents/settings", body);
      expect(res.status, what).toBe(400);
      expect(res.text, what).toMatch(new RegExp(`id="[^"]*${field}[^"]*-error"`, "i"));
      if (message) expect(text(res.text), what).toContain(message);
    }
    expect(await settingsRow(), "nothing saved").toEqual(before);
    expect(await auditRows(hostile.id, "commission.bank_file_settings_updated")).toHaveLength(0);
  });

  it("DuitNow: NUL, CR/LF, 1 MB, an unknown kind, a repeated field, malformed ids: field errors, nothing saved", async () => {
    const agentTenant = await networkTenant();
    const { id: agentId, email } = await addAgent(agentTenant.id, { name: "Hostile Input" });
    const agent = await signIn(hostOf(agentTenant), email);
    const duitNowRow = () =>
      ownerDb()
        .selectFrom("agents")
        .select(["duitnow_proxy_type", "duitnow_proxy_ciphertext", "duitnow_proxy_masked", "updated_at"])
        .where("id", "=", agentId)
        .executeTakeFirstOrThrow();
    const before = await duitNowRow();
    const cases: [string, Record<string, string | string[]>, string, string][] = [
      [
        "NUL in a mobile",
        { proxyType: "mobile", proxy: "012-345\u00006789" },
        "proxy",
        "without tabs, line breaks or other control characters",
      ],
      ["CR/LF in a mobile", { proxyType: "mobile", proxy: "012-345\r\n6789" }, "proxy", ""],
      ["1 MB number", { proxyType: "nric", proxy: HUGE }, "proxy", "Use at most 20 characters"],
      ["an unknown kind", { proxyType: "passport", proxy: "A12345678" }, "proxyType", ""],
      ["no kind", { proxy: "012-345 6789" }, "proxyType", "Choose how DuitNow pays you"],
      ["the kind twice", { proxyType: ["mobile", "nric"], proxy: "012-345 6789" }, "proxyType", ""],
      ["the number twice", { proxyType: "mobile", proxy: ["012-345 6789", "013-111 2222"] }, "proxy", ""],
      ["letters for a mobile", { proxyType: "mobile", proxy: "O12-345 6789" }, "proxy", "Enter a Malaysian mobile number"],
      ["a short MyKad", { proxyType: "nric", proxy: "850412-10-12" }, "proxy", ""],
      ["no number", { proxyType: "nric", proxy: "" }, "proxy", "Enter the number registered with DuitNow"],
    ];
    for (const [what, body, field, message] of cases) {
      const res = await agent.post("/agent/profile", { intent: "duitnow", ...body });
      expect(res.status, what).toBe(400);
      expect(res.text, what).toMatch(new RegExp(`id="[^"]*${field}-error"`, "i"));
      if (message) expect(text(res.text), what).toContain(message);
    }
    expect(await duitNowRow(), "nothing saved").toEqual(before);
    expect(await auditRows(agentTenant.id, "agent.duitnow_updated", agentId)).toHaveLength(0);
  });
});

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { reconcileAgentPayouts, recordCommissionPayout, sendCommissionPayout } from "~/modules/commissions/agent-payouts.server";
import { addMonthsTo, monthOf } from "~/modules/commissions/months";
import { requireTenantById } from "~/jobs/tenants";
import type { PayoutChannel } from "~/modules/payments/providers/index.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { b2cResultBody, b2cStatusBody, b2cTimeoutBody, DARAJA_TEST_CREDS, type B2cPayout } from "../mocks/daraja";
import { configureProvider } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { expectJobFailures } from "../support/job-failures";
import { deliverPayoutCallback, expectRefusedCallback, playDaraja, sendB2c } from "./payouts-support";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { hibahGoldProduct, insertAgent, insertRules, insertSale, KL, networkTenant, record, tiers } from "./commissions-support";

/**
 * Agents' commission payouts by M-Pesa B2C (decision 047 on decision 025's plumbing; Daraja played
 * by msw in this process): staff start the batch from its page, one payout per agent line, each
 * result applied once; a failure is retried from the page with a new attempt; a queue timeout then
 * a status query pays; duplicate, late and forged callbacks change nothing twice; a worker that
 * died after Daraja took the request does not send it again; the batch is paid when all are.
 */
const daraja = playDaraja();

const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");

let tenant: { id: string; slug: string };
let tenantInfo: TenantInfo;
let origin: string;
let admin: Browser;
let slug: string;
let batch: { id: string; reference: string };
const agents: Record<"wanjiru" | "otieno", { id: string; number: string; payoutId: string }> = {} as never;

const payoutOf = (id: string) => ownerDb().selectFrom("payouts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The send happens here, where Daraja is (the suite's worker may try first, fail to reach it, and leave it to be sent again). */
async function send(payoutId: string, options: { record: boolean } = { record: true }): Promise<{ payout: B2cPayout; token: string }> {
  return sendB2c(daraja, origin, async () => {
    const sent = await sendCommissionPayout(tenant, payoutId, origin);
    if ("skipped" in sent) return sent.skipped;
    if (options.record) expect(await recordCommissionPayout(tenant, sent)).toBe("sent");
    return null;
  });
}

const deliver = (body: unknown, token: string, channel: PayoutChannel = "result") =>
  deliverPayoutCallback(tenantInfo, origin, body, token, channel);

beforeAll(async () => {
  tenant = await networkTenant();
  await ownerDb().updateTable("tenants").set({ currency: "KES", locale: "en-KE" }).where("id", "=", tenant.id).execute();
  await configureProvider(tenant, "mpesa", { mode: "test", ...DARAJA_TEST_CREDS });
  tenantInfo = await requireTenantById(tenant.id);
  origin = `http://${hostOf(tenant)}`;
  const owner = await createUser(tenant.id, { roles: ["admin"] });
  admin = await signIn(hostOf(tenant), owner.email);
  expectJobFailures({ task: "submit_commission_payout", tenantId: tenant.id, error: /^RetryPayoutLater: Payout \S+: network error/ });
  const product = await hibahGoldProduct(tenant.id);
  // M-Pesa pays whole shillings: a fixed KES 500 per sale.
  await insertRules(tenant.id, product, "monthly", tiers({ fixedMinor: 50_000 }), "2020-01-01");
  const month = addMonthsTo(monthOf(new Date(), KL), -1);
  slug = month.slice(0, 7);
  const at = new Date(`${month.slice(0, 8)}15T04:00:00Z`);
  const sales = [];
  for (const [key, name, phone] of [
    ["wanjiru", "Wanjiru Kamau", "0712345678"],
    ["otieno", "Otieno Ouma", "0722000111"],
  ] as const) {
    const id = await insertAgent(tenant.id, null, "active", name);
    await ownerDb().updateTable("agents").set({ phone }).where("id", "=", id).execute();
    const number = (await ownerDb().selectFrom("agents").select("agent_number").where("id", "=", id).executeTakeFirstOrThrow())
      .agent_number;
    agents[key] = { id, number, payoutId: "" };
    sales.push(await insertSale(tenant.id, { agentId: id, productId: product, frequency: "monthly", amountMinor: 15_000, at }));
  }
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
  for (const key of ["wanjiru", "otieno"] as const)
    agents[key].payoutId = (
      await ownerDb().selectFrom("payouts").select("id").where("agent_id", "=", agents[key].id).executeTakeFirstOrThrow()
    ).id;
});

describe("agents' commission payouts by M-Pesa B2C", () => {
  let wanjiru: { payout: B2cPayout; token: string };
  let otieno: { payout: B2cPayout; token: string };
  let otienoFirst: { payout: B2cPayout; token: string };

  it("are started from the batch page, one per agent line, once however often staff press", async () => {
    const page = text((await admin.get(`/admin/commissions/months/${slug}`)).text);
    expect(page).toContain("0 paid · 0 being paid · 0 failed · 2 not started");
    expect(page).toContain("Pay 2 agents by M-Pesa");
    expect((await admin.post(`/admin/commissions/months/${slug}`, { intent: "b2c", batchId: batch.id })).status).toBe(302);
    // A second press finds both under way: nothing new is queued or sent.
    expect((await admin.post(`/admin/commissions/months/${slug}`, { intent: "b2c", batchId: batch.id })).status).toBe(302);
    const started = await auditRows(tenant.id, "commission.payouts_started", batch.id);
    expect(started.map((a) => (a.details as { started: number }).started)).toEqual([2, 0]);

    // Wanjiru's worker dies right after Daraja took the request: the retry must not send it again.
    wanjiru = await send(agents.wanjiru.payoutId, { record: false });
    expect(wanjiru.payout.body).toMatchObject({
      Amount: 500,
      PartyB: "254712345678",
      OriginatorConversationID: `${batch.reference}-${agents.wanjiru.number}-1`,
    });
    const sentBefore = daraja.state.b2c.length;
    expect(await sendCommissionPayout(tenant, agents.wanjiru.payoutId, origin)).toEqual({ skipped: "already_sent" });
    expect(daraja.state.b2c.length).toBe(sentBefore);

    otienoFirst = await send(agents.otieno.payoutId);
    expect(otienoFirst.token).not.toBe(wanjiru.token);
    expect(await payoutOf(agents.otieno.payoutId)).toMatchObject({ status: "processing", attempt: 1 });
    expect(text((await admin.get(`/admin/commissions/months/${slug}`)).text)).toContain("0 paid · 2 being paid · 0 failed · 0 not started");
  });

  it("refuses forged and crossed callbacks, and logs them", async () => {
    await expectRefusedCallback(tenant, wanjiru.payout, "guessed-token");
    // Otieno's success posted to Wanjiru's URL pays nobody.
    await expectRefusedCallback(tenant, otienoFirst.payout, wanjiru.token);
    const rejected = await ownerDb()
      .selectFrom("gateway_log")
      .select("payout_id")
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "rejected_callback")
      .execute();
    expect(rejected.map((r) => r.payout_id).sort()).toEqual([agents.wanjiru.payoutId, null].sort());
    expect((await payoutOf(agents.wanjiru.payoutId)).status).toBe("processing");
    expect((await payoutOf(agents.otieno.payoutId)).status).toBe("processing");
  });

  it("fails one agent on a failure result, shows it, and retries it from the page with a new attempt", async () => {
    expect((await deliver(b2cResultBody(otienoFirst.payout, 2040), otienoFirst.token)).outcome).toBe("failed");
    expect(await payoutOf(agents.otieno.payoutId)).toMatchObject({ status: "failed", failure_code: "payee_not_registered" });
    const page = text((await admin.get(`/admin/commissions/months/${slug}`)).text);
    expect(page).toContain(`${agents.otieno.number} Otieno Ouma`);
    expect(page).toContain("failed: Credit Party customer type (Unregistered or Registered Customer) can't be supported by the service.");
    expect(page).not.toContain("needs attention");
    expect(page).toContain("Pay 1 agent by M-Pesa");
    expect((await admin.post(`/admin/commissions/months/${slug}`, { intent: "b2c", batchId: batch.id })).status).toBe(302);
    otieno = await send(agents.otieno.payoutId);
    expect(otieno.token).toBe(otienoFirst.token);
    expect(otieno.payout.originatorConversationId).toBe(`${batch.reference}-${agents.otieno.number}-2`);
  });

  it("waits through a timeout, asks Daraja, pays on its answer; duplicates and late words change nothing; the batch is paid once all are", async () => {
    expect((await deliver(b2cTimeoutBody(wanjiru.payout), wanjiru.token, "timeout")).outcome).toBe("timed_out");
    expect(await payoutOf(agents.wanjiru.payoutId)).toMatchObject({ status: "processing" });
    await ownerDb()
      .updateTable("payouts")
      .set({ sent_at: sql<Date>`now() - interval '10 minutes'` })
      .where("id", "=", agents.wanjiru.payoutId)
      .execute();
    const queries = daraja.state.statusQueries.length;
    expect(await reconcileAgentPayouts(tenant, origin)).toMatchObject({ asked: 1, errors: 0 });
    expect(daraja.state.statusQueries.length).toBe(queries + 1);
    expect(daraja.state.statusQueries.at(-1)!.ResultURL).toBe(`${origin}/webhooks/payouts/mpesa/${wanjiru.token}/status`);
    expect(
      (await deliver(b2cStatusBody(wanjiru.payout, { completed: true, receipt: "TL7WANJIRU" }), wanjiru.token, "status")).outcome,
    ).toBe("paid");
    // The real result arrives after all, twice: nothing more.
    expect((await deliver(b2cResultBody(wanjiru.payout, 0, { receipt: "TL7WANJIRU" }), wanjiru.token)).outcome).toBe("duplicate");
    expect((await deliver(b2cResultBody(wanjiru.payout, 0, { receipt: "TL7WANJIRU" }), wanjiru.token)).deliveries).toBe(2);
    expect(
      (await ownerDb().selectFrom("payout_batches").select("status").where("id", "=", batch.id).executeTakeFirstOrThrow()).status,
    ).toBe("open");

    // Otieno's second attempt pays, over HTTP at the payout's secret URL; the worker applies it.
    const browser = new Browser(hostOf(tenant));
    const ok = await browser.send(
      "POST",
      `/webhooks/payouts/mpesa/${otieno.token}`,
      JSON.stringify(b2cResultBody(otieno.payout, 0, { receipt: "TL7OTIENO2" })),
      {
        "content-type": "application/json",
      },
    );
    expect(ok.status).toBe(200);
    const paid = await eventually(async () => {
      const row = await payoutOf(agents.otieno.payoutId);
      return row.status === "paid" && row;
    }, 30_000);
    expect(paid).toMatchObject({ receipt: "TL7OTIENO2", attempt: 2 });
    // The first attempt's failure, posted late: Otieno stays paid.
    expect((await deliver(b2cResultBody(otienoFirst.payout, 2040), otienoFirst.token)).deliveries).toBe(2);
    expect((await payoutOf(agents.otieno.payoutId)).status).toBe("paid");

    const done = await ownerDb()
      .selectFrom("payout_batches")
      .select(["status", "paid_by"])
      .where("id", "=", batch.id)
      .executeTakeFirstOrThrow();
    expect(done).toEqual({ status: "paid", paid_by: null });
    // The ledger follows (decision 011's job): both entries paid; one state change per payout's payment.
    await eventually(async () => {
      const entries = await ownerDb().selectFrom("commission_entry_states").select("status").where("tenant_id", "=", tenant.id).execute();
      return entries.length === 2 && entries.every((e) => e.status === "paid");
    }, 30_000);
    const confirms = await ownerDb()
      .selectFrom("state_changes")
      .select("entity_id")
      .where("tenant_id", "=", tenant.id)
      .where("entity", "=", "commission_payout")
      .where("event", "=", "confirm")
      .execute();
    expect(confirms.map((c) => c.entity_id).sort()).toEqual([agents.wanjiru.payoutId, agents.otieno.payoutId].sort());
    expect(daraja.state.b2c.filter((p) => String(p.body.OriginatorConversationID).startsWith(batch.reference))).toHaveLength(3);
  });
});

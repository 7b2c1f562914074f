import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { reconcileSettlements, submitPayout } from "~/modules/claims/payouts.server";
import { paySettlement } from "~/modules/claims/settlement.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import type { PayoutChannel } from "~/modules/payments/providers/index.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { b2cResultBody, b2cStatusBody, b2cTimeoutBody, DARAJA_TEST_CREDS, type B2cPayout } from "../mocks/daraja";
import { configureProvider, paymentsTenant } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { expectJobFailures } from "../support/job-failures";
import { deliverPayoutCallback, expectRefusedCallback, playDaraja, sendB2c } from "./payouts-support";
import { hostOf } from "./accounts-support";
import { approveClaim, claimantWithPolicy, fileClaim } from "./claims-settlement-fixtures";

/**
 * Claim payouts by M-Pesa B2C (Daraja played by msw, in this process): the result that pays, the
 * same result twice, failures and a second attempt, a queue timeout before or after the success,
 * results refused for their token, and reconciliation asking Daraja's transaction status about a
 * payout nobody answered. One settlement, one settle of the claim, one letter, one email, each time.
 */

const daraja = playDaraja();

let tenant: TenantInfo;
let origin: string;
let staff: { id: string };

beforeAll(async () => {
  tenant = await paymentsTenant({ sandbox: false });
  origin = `http://${hostOf(tenant)}`;
  await configureProvider(tenant, "mpesa", { mode: "test", ...DARAJA_TEST_CREDS });
  staff = await createUser(tenant.id, { name: "Otieno Claims", roles: ["claims_manager"] });
  // The suite's worker sends each payout first, but Daraja (msw) lives in this process: it cannot
  // resolve Daraja's name, so it knows nothing was sent and leaves the payout to be sent again.
  expectJobFailures({ task: "submit_payout", tenantId: tenant.id, error: /^RetryPayoutLater: Payout \S+: network error/ });
});

const settlementOf = (claimId: string) =>
  ownerDb().selectFrom("claim_settlements").selectAll().where("claim_id", "=", claimId).executeTakeFirstOrThrow();

async function approved(approvedMinor = 4_250_000) {
  const claimant = await claimantWithPolicy(tenant, { phone: "0712345678" });
  const { claimId } = await fileClaim(tenant, origin, { claimant, claimedMinor: 5_000_000 });
  await approveClaim(tenant, origin, claimId, { approvedMinor, actorUserId: staff.id });
  return claimId;
}

/** Staff press "Pay by M-Pesa"; the send happens here, where Daraja is (the worker may try first and fail). */
async function pay(claimId: string): Promise<{ payout: B2cPayout; token: string; settlementId: string }> {
  const s = await settlementOf(claimId);
  const paid = await withTenant(tenant.id, (db) =>
    paySettlement(
      db,
      claimWorkflow(tenant, origin),
      { settlementId: s.id, method: "mpesa_b2c", phone: "254712345678" },
      { userId: staff.id },
    ),
  );
  if (!paid.ok) throw new Error(paid.message);
  const { payout, token } = await sendB2c(daraja, origin, async () => {
    const outcome = await submitPayout(tenant, s.id, origin);
    return outcome === "sent" ? null : outcome;
  });
  return { payout, token, settlementId: s.id };
}

/** Daraja posts a callback; what it stored is processed here (the worker may get there first). */
const deliver = (body: unknown, token: string, channel: PayoutChannel = "result") =>
  deliverPayoutCallback(tenant, origin, body, token, channel);

const settles = (claimId: string) =>
  ownerDb().selectFrom("state_changes").select("id").where("entity_id", "=", claimId).where("event", "=", "settle").execute();
const settledEmails = (claimId: string) =>
  ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("channel", "=", "email")
    .where("dedupe_key", "like", `claim_settled:${claimId}:%`)
    .execute();

async function paidOnce(claimId: string, receipt: string) {
  const s = await eventually(async () => {
    const row = await settlementOf(claimId);
    return row.status === "paid" && row.letter_file_key ? row : undefined;
  }, 30_000);
  expect(s).toMatchObject({ provider_receipt: receipt, needs_attention: null });
  await eventually(async () => (await settledEmails(claimId))[0]?.status === "outbox", 30_000);
  expect(await settles(claimId)).toHaveLength(1);
  expect(await settledEmails(claimId)).toHaveLength(1);
  return s;
}

describe("an M-Pesa B2C payout", () => {
  it("is paid by its result, once, however often Daraja posts it", async () => {
    const claimId = await approved();
    const { payout, token, settlementId } = await pay(claimId);
    expect(payout.body).toMatchObject({
      Amount: 42_500,
      PartyB: "254712345678",
      OriginatorConversationID: `${(await settlementOf(claimId)).reference}-1`,
    });
    const result = b2cResultBody(payout, 0, { receipt: "TL7AB12CDE" });
    const first = await deliver(result, token);
    expect(first.outcome).toBe("paid");
    const again = await deliver(result, token);
    expect(again).toMatchObject({ id: first.id, deliveries: 2 });
    await paidOnce(claimId, "TL7AB12CDE");
    const log = await ownerDb()
      .selectFrom("gateway_log")
      .select(["kind", "raw_body"])
      .where("settlement_id", "=", settlementId)
      .orderBy("created_at")
      .execute();
    expect(log.filter((l) => l.kind === "payout_result")).toHaveLength(2);
    expect(log.filter((l) => l.kind === "payout_result").every((l) => l.raw_body === JSON.stringify(result))).toBe(true);
    expect(log.some((l) => l.kind === "payout")).toBe(true);
  });

  it("fails on a failure result; paid again, the first attempt's late words change nothing and the second's success pays", async () => {
    const claimId = await approved();
    const first = await pay(claimId);
    expect((await deliver(b2cResultBody(first.payout, 2040), first.token)).outcome).toBe("failed");
    expect(await settlementOf(claimId)).toMatchObject({ status: "failed", failure_code: "payee_not_registered" });
    expect((await ownerDb().selectFrom("claims").select("status").where("id", "=", claimId).executeTakeFirstOrThrow()).status).toBe(
      "approved",
    );

    const second = await pay(claimId);
    expect(second.token).toBe(first.token);
    expect(second.payout.originatorConversationId).toMatch(/-2$/);
    // The first attempt's timeout, late: the second attempt is what is in flight.
    expect((await deliver(b2cTimeoutBody(first.payout), first.token, "timeout")).outcome).toBe("ignored_processing");
    expect((await deliver(b2cResultBody(second.payout, 0, { receipt: "TL7SECOND1" }), second.token)).outcome).toBe("paid");
    // The first attempt's failure, posted again: the settlement stays paid.
    const repeat = await deliver(b2cResultBody(first.payout, 2040), first.token);
    expect(repeat.deliveries).toBe(2);
    await paidOnce(claimId, "TL7SECOND1");
  });

  it("waits through a queue timeout, and the success after it pays", async () => {
    const claimId = await approved();
    const { payout, token } = await pay(claimId);
    expect((await deliver(b2cTimeoutBody(payout), token, "timeout")).outcome).toBe("timed_out");
    expect(await settlementOf(claimId)).toMatchObject({
      status: "processing",
      needs_attention: expect.stringMatching(/did not process the payment in time/),
    });
    expect((await deliver(b2cResultBody(payout, 0, { receipt: "TL7AFTERTO" }), token)).outcome).toBe("paid");
    await paidOnce(claimId, "TL7AFTERTO");
  });

  it("stays paid when a timeout arrives after the success", async () => {
    const claimId = await approved();
    const { payout, token } = await pay(claimId);
    expect((await deliver(b2cResultBody(payout, 0, { receipt: "TL7BEFORE1" }), token)).outcome).toBe("paid");
    expect((await deliver(b2cTimeoutBody(payout), token, "timeout")).outcome).toBe("ignored_paid");
    await paidOnce(claimId, "TL7BEFORE1");
  });

  it("refuses a result with a made-up token, or one for another settlement, and logs it", async () => {
    const claimId = await approved();
    const otherClaimId = await approved();
    const { payout, token, settlementId } = await pay(claimId);
    const other = await pay(otherClaimId);
    const refusedCount = async () =>
      (
        await ownerDb()
          .selectFrom("gateway_log")
          .select("id")
          .where("tenant_id", "=", tenant.id)
          .where("kind", "=", "rejected_callback")
          .execute()
      ).length;
    const before = await refusedCount();

    await expectRefusedCallback(tenant, payout, "guessed-token");
    // The other settlement's success, posted to this one's URL.
    await expectRefusedCallback(tenant, other.payout, token);
    expect(await refusedCount()).toBe(before + 2);
    const logged = await ownerDb()
      .selectFrom("gateway_log")
      .select(["settlement_id", "response"])
      .where("tenant_id", "=", tenant.id)
      .where("kind", "=", "rejected_callback")
      .orderBy("created_at", "desc")
      .limit(2)
      .execute();
    expect(logged.map((l) => l.settlement_id).sort()).toEqual([null, settlementId].sort());
    expect(await settlementOf(claimId)).toMatchObject({ status: "processing" });
    expect(await settlementOf(otherClaimId)).toMatchObject({ status: "processing" });
  });

  it("nobody answered: reconciliation asks Daraja, whose status answer pays it; an hour of silence goes to staff", async () => {
    const claimId = await approved();
    const { payout, token, settlementId } = await pay(claimId);
    const silentId = await approved();
    const silent = await pay(silentId);
    await ownerDb()
      .updateTable("claim_settlements")
      .set({ sent_at: sql<Date>`now() - interval '10 minutes'` })
      .where("id", "=", settlementId)
      .execute();
    await ownerDb()
      .updateTable("claim_settlements")
      .set({ sent_at: sql<Date>`now() - interval '2 hours'` })
      .where("id", "=", silent.settlementId)
      .execute();
    const queries = daraja.state.statusQueries.length;
    const run = await reconcileSettlements(tenant, origin);
    expect(run).toMatchObject({ asked: 2, errors: 0, flagged: 1 });
    expect(daraja.state.statusQueries.length).toBe(queries + 2);
    const asked = daraja.state.statusQueries.find((q) => q.OriginalConversationID === payout.originatorConversationId)!;
    expect(asked.ResultURL).toBe(`${origin}/webhooks/payouts/mpesa/${token}/status`);
    expect((await settlementOf(silentId)).needs_attention).toMatch(/No answer from mpesa for over an hour/);

    expect((await deliver(b2cStatusBody(payout, { completed: true, receipt: "TL7STATUS1" }), token, "status")).outcome).toBe("paid");
    await paidOnce(claimId, "TL7STATUS1");
  });

  it("takes its callbacks over HTTP at the settlement's secret URLs", async () => {
    const claimId = await approved();
    const { payout, token } = await pay(claimId);
    const browser = new Browser(hostOf(tenant));
    const post = (path: string, body: unknown) => browser.send("POST", path, JSON.stringify(body), { "content-type": "application/json" });
    expect((await post("/webhooks/payouts/mpesa/not-the-token", b2cResultBody(payout, 0))).status).toBe(401);
    expect((await post(`/webhooks/payouts/paystack/${token}`, b2cResultBody(payout, 0))).status).toBe(404);
    expect((await post(`/webhooks/payouts/mpesa/${token}/bogus`, b2cResultBody(payout, 0))).status).toBe(404);
    expect((await browser.get(`/webhooks/payouts/mpesa/${token}`)).status).toBe(405);
    expect((await post(`/webhooks/payouts/mpesa/${token}/timeout`, b2cTimeoutBody(payout))).status).toBe(200);
    const ok = await post(`/webhooks/payouts/mpesa/${token}`, b2cResultBody(payout, 0, { receipt: "TL7OVERHTP" }));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ ResultCode: 0, ResultDesc: "Accepted" });
    // The worker processes what the app stored.
    await paidOnce(claimId, "TL7OVERHTP");
  });
});

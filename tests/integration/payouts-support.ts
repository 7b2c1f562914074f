import { expect } from "vitest";
import { processPayoutEvent, receivePayoutCallback } from "~/modules/claims/payout-results.server";
import type { PayoutChannel } from "~/modules/payments/providers/index.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { b2cResultBody, createDarajaMock, DARAJA_TEST_CREDS, type B2cPayout } from "../mocks/daraja";
import { ownerDb } from "../support/db";
import { playThirdParties } from "../support/msw";

type Daraja = ReturnType<typeof createDarajaMock>;

/** Daraja played by msw in this process for the whole file; the app under test (127.0.0.1) is reached for real. */
export function playDaraja(): Daraja {
  const daraja = createDarajaMock(DARAJA_TEST_CREDS);
  playThirdParties({ handlers: daraja.handlers, app: true });
  return daraja;
}

/**
 * Sends a payout from here, where Daraja is: `attempt` answers null once sent, or why it was not
 * free to send yet (the suite's worker tries first, cannot reach Daraja, and leaves it to be sent
 * again). Answers the B2C request Daraja received and its callback token, its result and timeout
 * addresses checked.
 */
export async function sendB2c(
  daraja: Daraja,
  origin: string,
  attempt: () => Promise<string | null>,
): Promise<{ payout: B2cPayout; token: string }> {
  const before = daraja.state.b2c.length;
  for (let i = 0; ; i += 1) {
    const skipped = await attempt();
    if (skipped === null) break;
    if (i > 200) throw new Error(`the payout was never free to send: ${skipped}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(daraja.state.b2c.length).toBe(before + 1);
  const payout = daraja.state.b2c.at(-1)!;
  const url = new URL(String(payout.body.ResultURL));
  expect(url.origin).toBe(origin);
  const token = url.pathname.split("/").at(-1)!;
  expect(url.pathname).toBe(`/webhooks/payouts/mpesa/${token}`);
  expect(payout.body.QueueTimeOutURL).toBe(`${origin}/webhooks/payouts/mpesa/${token}/timeout`);
  return { payout, token };
}

/** A success posted to a token it does not belong to (guessed, or another payout's) is refused. */
export async function expectRefusedCallback(tenant: Parameters<typeof receivePayoutCallback>[0], payout: B2cPayout, token: string) {
  const answer = await receivePayoutCallback(tenant, "mpesa", {
    headers: new Headers(),
    rawBody: JSON.stringify(b2cResultBody(payout, 0)),
    token,
    channel: "result",
  });
  expect(answer).toMatchObject({ status: 401, body: { code: "bad_token" } });
}

/**
 * Daraja posts a payout callback (B2C result, queue timeout or status answer) to a claim
 * settlement's or a commission payout's token; what it stored is processed here (the worker may get
 * there first). Answers the stored event after processing.
 */
export async function deliverPayoutCallback(
  tenant: TenantInfo,
  origin: string,
  body: unknown,
  token: string,
  channel: PayoutChannel = "result",
) {
  const answer = await receivePayoutCallback(tenant, "mpesa", {
    headers: new Headers({ "content-type": "application/json" }),
    rawBody: JSON.stringify(body),
    token,
    channel,
  });
  expect(answer).toEqual({ status: 200, body: { ResultCode: 0, ResultDesc: "Accepted" } });
  const r = (body as { Result: { OriginatorConversationID?: string; ConversationID?: string; ResultCode: string | number } }).Result;
  const eventId =
    channel === "result"
      ? `b2c:${r.OriginatorConversationID}:${r.ResultCode}`
      : channel === "timeout"
        ? `b2c-timeout:${r.OriginatorConversationID}`
        : `b2c-status:${r.ConversationID}:${r.ResultCode}`;
  const event = await ownerDb()
    .selectFrom("provider_events")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("provider_event_id", "=", eventId)
    .executeTakeFirstOrThrow();
  await processPayoutEvent(tenant, event.id, origin);
  return ownerDb().selectFrom("provider_events").selectAll().where("id", "=", event.id).executeTakeFirstOrThrow();
}

import { expect } from "vitest";
import { processPayoutEvent, receivePayoutCallback } from "~/modules/claims/payout-results.server";
import type { PayoutChannel } from "~/modules/payments/providers/index.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { ownerDb } from "../support/db";

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

import { sql } from "kysely";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import type { ProviderName } from "~db/schema";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { logCallback, tokenHash } from "./gateway-log.server";
import type { WebhookInput } from "./providers/index.server";
import { ProviderNotEnabledError, tenantProvider } from "./settings.server";

/**
 * The one way provider callbacks come in (docs/architecture.md §6): verify, store raw, store the event once
 * under (provider, provider event id), queue one job for it, answer. Nothing else happens in the
 * request, so the answer is fast and a redelivery only counts itself.
 */
export interface WebhookAnswer {
  status: number;
  body: unknown;
}

const REJECTION_STATUS = { bad_signature: 401, bad_token: 401, wrong_mode: 400, malformed: 400 } as const;

export async function receiveWebhook(
  tenant: Pick<TenantInfo, "id">,
  providerName: ProviderName,
  input: { headers: Headers; rawBody: string; token?: string },
): Promise<WebhookAnswer> {
  return withTenant(tenant.id, async (db) => {
    let provider;
    try {
      provider = await tenantProvider(db, tenant.id, providerName);
    } catch (error) {
      if (error instanceof ProviderNotEnabledError)
        return { status: 404, body: { status: "error", code: "not_found", message: "No such webhook" } };
      throw error;
    }

    // M-Pesa callbacks are unsigned: the token in the URL names the attempt (or reversal) and proves it.
    let callbackToken: WebhookInput["callbackToken"];
    let tokenTransactionId: string | null = null;
    let tokenProviderRef: string | null = null;
    if (providerName === "mpesa") {
      const hash = input.token ? tokenHash(input.token) : "";
      const tx = await db.selectFrom("transactions").select("id").where("callback_token_hash", "=", hash).executeTakeFirst();
      const refund = tx
        ? undefined
        : await db.selectFrom("refunds").select("transaction_id").where("callback_token_hash", "=", hash).executeTakeFirst();
      tokenTransactionId = tx?.id ?? refund?.transaction_id ?? null;
      if (tokenTransactionId) {
        tokenProviderRef =
          (await db.selectFrom("transactions").select("provider_ref").where("id", "=", tokenTransactionId).executeTakeFirst())
            ?.provider_ref ?? null;
      }
      // A known token is compared with itself: the lookup by hash was the check.
      callbackToken = { expected: tokenTransactionId ? input.token! : "", received: input.token ?? "" };
    }

    const parsed = await provider.parseWebhook({ headers: input.headers, rawBody: input.rawBody, callbackToken });
    if (!parsed.ok) {
      await logCallback(db, {
        transactionId: tokenTransactionId,
        provider: providerName,
        kind: "rejected_callback",
        headers: input.headers,
        rawBody: input.rawBody,
        note: `${parsed.reason}: ${parsed.detail}`,
      });
      return { status: REJECTION_STATUS[parsed.reason], body: { status: "error", code: parsed.reason, message: "Callback rejected" } };
    }
    // A token proves one attempt, not whatever CheckoutRequestID the body names: a result for
    // another payment posted to this attempt's URL is refused (and does not use up that
    // payment's event id). While the attempt has no ref yet (its push timed out on our side),
    // the body's ref is taken as it is: a success is confirmed with the STK query anyway.
    if (parsed.event?.kind === "payment" && tokenTransactionId && tokenProviderRef && parsed.event.providerRef !== tokenProviderRef) {
      await logCallback(db, {
        transactionId: tokenTransactionId,
        provider: providerName,
        kind: "rejected_callback",
        headers: input.headers,
        rawBody: input.rawBody,
        note: `bad_token: a result for ${parsed.event.providerRef} sent to the callback URL of ${tokenProviderRef}`,
      });
      return { status: REJECTION_STATUS.bad_token, body: { status: "error", code: "bad_token", message: "Callback rejected" } };
    }
    if (!parsed.event) {
      await logCallback(db, {
        transactionId: null,
        provider: providerName,
        kind: "callback",
        headers: input.headers,
        rawBody: input.rawBody,
        note: `ignored: ${parsed.ignored}`,
      });
      return { status: 200, body: { received: true, ignored: parsed.ignored } };
    }

    const event = parsed.event;
    const ref = event.kind === "payment" ? event.providerRef : event.providerRef;
    const transactionId =
      tokenTransactionId ??
      (ref
        ? ((
            await db
              .selectFrom("transactions")
              .select("id")
              .where("provider", "=", providerName)
              // PayPal's refunds and disputes name the capture, which is the payment's receipt.
              .where((eb) => eb.or([eb("provider_ref", "=", ref), eb("provider_receipt", "=", ref)]))
              .orderBy(sql`provider_ref = ${ref}`, "desc")
              .executeTakeFirst()
          )?.id ?? null)
        : event.kind === "refund" && event.refundRef
          ? ((await db.selectFrom("refunds").select("transaction_id").where("provider_refund_ref", "=", event.refundRef).executeTakeFirst())
              ?.transaction_id ?? null)
          : null);
    await logCallback(db, { transactionId, provider: providerName, kind: "callback", headers: input.headers, rawBody: input.rawBody });

    const stored = await db
      .insertInto("provider_events")
      .values({
        provider: providerName,
        provider_event_id: event.providerEventId,
        kind: event.kind,
        event: JSON.stringify({ ...event, raw: undefined }),
        transaction_id: transactionId,
      })
      .onConflict((oc) =>
        oc.columns(["tenant_id", "provider", "provider_event_id"]).doUpdateSet({ deliveries: sql`provider_events.deliveries + 1` }),
      )
      .returning(["id", sql<boolean>`xmax = 0`.as("inserted")])
      .executeTakeFirstOrThrow();
    if (stored.inserted) {
      await addJob(
        db,
        "process_provider_event",
        { tenantId: tenant.id, eventId: stored.id },
        { jobKey: `process_provider_event:${tenant.id}:${stored.id}` },
      );
    }
    return { status: 200, body: providerName === "mpesa" ? { ResultCode: 0, ResultDesc: "Accepted" } : { received: true } };
  });
}

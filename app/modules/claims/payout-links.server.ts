import { createHmac } from "node:crypto";
import { env } from "~/lib/env.server";
import type { PayoutChannel, PayoutProviderName } from "~/modules/payments/providers/index.server";

/**
 * A settlement's callback token: the same for every attempt of the settlement (a keyed hash of its
 * id), so a result that arrives for an earlier attempt, or after a retry, still finds it. Only its
 * hash is stored; without the server's key it cannot be made, nor read back from the database.
 */
export function payoutToken(tenantId: string, settlementId: string): string {
  return createHmac("sha256", Buffer.from(env().ENCRYPTION_KEY, "utf8"))
    .update(`claim-payout:${tenantId}:${settlementId}`)
    .digest("base64url");
}

/** Where a provider posts a payout's result, its queue timeout and a status query's answer. */
export function payoutCallbackUrl(origin: string, provider: PayoutProviderName, token: string, channel: PayoutChannel): string {
  const base = `${origin}/webhooks/payouts/${provider}/${token}`;
  return channel === "result" ? base : `${base}/${channel}`;
}

import type { TenantDb } from "~db/client";
import { logCallback } from "./gateway-log.server";
import { verifyCurlecReturn } from "./providers/curlec.server";
import { parseProviderConfig } from "./providers/index.server";
import { providerConfig } from "./settings.server";

/**
 * The customer's browser back from Curlec (decision 044). Its signature is checked against the
 * order id we stored for the attempt, never the one in the address, and a good one is only noted in
 * the gateway log: what the payment became is the webhook's (or a status query's) to say, so a
 * forged or replayed return changes nothing. Either way the customer goes to the payment's page.
 */
export interface CurlecReturn {
  paymentId?: string;
  orderId?: string;
  signature?: string;
}

export async function receiveCurlecReturn(
  db: TenantDb,
  tenantId: string,
  userId: string,
  transactionId: string,
  input: CurlecReturn & { headers: Headers; query: string },
): Promise<{ statusPage: string; verified: boolean } | null> {
  const tx = await db
    .selectFrom("transactions")
    .select(["id", "order_id", "provider_ref"])
    .where("id", "=", transactionId)
    .where("user_id", "=", userId)
    .where("provider", "=", "curlec")
    .executeTakeFirst();
  if (!tx) return null;
  const statusPage = tx.order_id ? `/checkout/${tx.order_id}/pay/${tx.id}` : `/account/payments/${tx.id}`;
  const stored = await providerConfig(db, tenantId, "curlec");
  if (!stored || !tx.provider_ref || !input.paymentId || !input.signature) return { statusPage, verified: false };
  const { keySecret } = parseProviderConfig("curlec", stored.config);
  const verified = verifyCurlecReturn({ orderId: tx.provider_ref, paymentId: input.paymentId, signature: input.signature }, keySecret);
  if (verified) {
    await logCallback(db, {
      transactionId: tx.id,
      provider: "curlec",
      kind: "callback",
      headers: input.headers,
      rawBody: input.query,
      note: `return: signature verified for ${input.paymentId}`,
    });
  }
  return { statusPage, verified };
}

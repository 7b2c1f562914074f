import { withTenant } from "~db/client";
import { logCallback } from "./gateway-log.server";
import { applyPaymentStatus } from "./apply.server";
import { lockTransaction } from "./payments.server";
import { verifyCurlecReturn } from "./providers/curlec.server";
import { isLinkRef, verifyCurlecLinkReturn } from "./providers/curlec-links.server";
import { parseProviderConfig } from "./providers/index.server";
import { providerConfig } from "./settings.server";

/**
 * The customer's browser back from Curlec (decision 044). Its signature is checked against what we
 * stored for the attempt — the order (FPX, e-wallet) or the Payment Link and our transaction id
 * (cards) — never against the ids in the address, and a bad one records nothing. Either way the
 * customer goes to the payment's page.
 *
 * - FPX and e-wallets: a good signature is only noted in the gateway log; what the payment became
 *   is the webhook's (or a status query's) to say.
 * - Cards: a good signature saying the link is paid completes a pending payment there and then, so
 *   the customer who waited on the card page sees it done. The signature is Curlec's word (HMAC
 *   with the key secret over our link, our transaction id, the status and the card payment's id),
 *   and a link takes no part payments, so "paid" is the amount we asked; the card payment's id is
 *   kept as the receipt refunds name. A webhook or reconciliation that comes later finds the
 *   payment completed and changes nothing; a payment no longer pending is left to them (a late
 *   success is confirmed with Curlec first).
 */
export interface CurlecReturn {
  paymentId?: string;
  orderId?: string;
  linkId?: string;
  linkReferenceId?: string;
  linkStatus?: string;
  signature?: string;
}

export async function receiveCurlecReturn(
  tenantId: string,
  userId: string,
  transactionId: string,
  input: CurlecReturn & { headers: Headers; query: string },
): Promise<{ statusPage: string; verified: boolean; applied?: string } | null> {
  return withTenant(tenantId, async (db) => {
    const tx = await db
      .selectFrom("transactions")
      .select(["id", "order_id", "provider_ref", "status"])
      .where("id", "=", transactionId)
      .where("user_id", "=", userId)
      .where("provider", "=", "curlec")
      .executeTakeFirst();
    if (!tx) return null;
    const statusPage = tx.order_id ? `/checkout/${tx.order_id}/pay/${tx.id}` : `/account/payments/${tx.id}`;
    const stored = await providerConfig(db, tenantId, "curlec");
    if (!stored || !tx.provider_ref || !input.paymentId || !input.signature) return { statusPage, verified: false };
    const { keySecret } = parseProviderConfig("curlec", stored.config);
    const link = isLinkRef(tx.provider_ref);
    const verified = link
      ? verifyCurlecLinkReturn(
          {
            linkId: tx.provider_ref,
            referenceId: tx.id,
            status: input.linkStatus ?? "",
            paymentId: input.paymentId,
            signature: input.signature,
          },
          keySecret,
        )
      : verifyCurlecReturn({ orderId: tx.provider_ref, paymentId: input.paymentId, signature: input.signature }, keySecret);
    if (verified) {
      await logCallback(db, {
        transactionId: tx.id,
        provider: "curlec",
        kind: "callback",
        headers: input.headers,
        rawBody: input.query,
        note: `return: signature verified for ${input.paymentId}${link ? ` (link ${input.linkStatus})` : ""}`,
      });
    }
    if (!verified || !link || input.linkStatus !== "paid" || tx.status !== "pending") return { statusPage, verified };
    const locked = (await lockTransaction(db, tx.id))!;
    const applied = await applyPaymentStatus(
      db,
      tenantId,
      locked,
      { providerRef: tx.provider_ref, outcome: "completed", final: true, providerCode: "paid", receipt: input.paymentId, raw: null },
      { confirmedByProvider: false },
    );
    return { statusPage, verified, applied };
  });
}

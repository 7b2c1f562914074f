import { withTenant } from "~db/client";
import { applyPaymentStatus } from "./apply.server";
import { captureAndApply, lockTransaction } from "./payments.server";

/**
 * The customer is back from PayPal (decision 044): approved, or cancelled. The PayPal order id in
 * the URL must name a PayPal payment of this customer in this agency, or nothing happens; an
 * approved payment still pending is captured now (the customer waits for it, as PayPal intends);
 * a cancelled one ends as cancelled, so the status page offers to pay again.
 *
 * Answers where to send the customer next (the payment's status page), or null when the order id
 * names no payment of theirs.
 */
export async function returnFromPaypal(
  tenantId: string,
  userId: string,
  input: { orderId: string; cancelled: boolean },
): Promise<string | null> {
  const tx = await withTenant(tenantId, (db) =>
    db
      .selectFrom("transactions")
      .select(["id", "status", "order_id"])
      .where("provider", "=", "paypal")
      .where("provider_ref", "=", input.orderId)
      .where("user_id", "=", userId)
      .executeTakeFirst(),
  );
  if (!tx) return null;
  if (tx.status === "pending") {
    if (input.cancelled) {
      await withTenant(tenantId, async (db) => {
        const locked = (await lockTransaction(db, tx.id))!;
        await applyPaymentStatus(
          db,
          tenantId,
          locked,
          {
            providerRef: input.orderId,
            outcome: "cancelled",
            final: false,
            reasonCode: "cancelled_by_customer",
            customerMessage: "You cancelled the payment at PayPal.",
            raw: null,
          },
          { confirmedByProvider: false, actorUserId: userId },
        );
      });
    } else {
      await captureAndApply(tenantId, tx.id);
    }
  }
  return tx.order_id ? `/checkout/${tx.order_id}/pay/${tx.id}` : `/account/payments/${tx.id}`;
}

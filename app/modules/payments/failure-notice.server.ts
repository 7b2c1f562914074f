import type { Selectable } from "kysely";
import type { TenantDb } from "~db/client";
import type { TransactionsTable } from "~db/schema";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";

/**
 * A checkout payment that failed (issue 14, event `payment_failed`): the customer hears it by email,
 * SMS and in the app, with the way back to pay, once per attempt. An M-Pesa prompt that fails on
 * the phone after the customer left the page is the case this is for. Not for a payment the
 * customer cancelled, nor an instalment taken from a saved card (`autodebit_failed` says that), nor
 * an agent's cash record (`offline_payment_rejected`).
 */
export async function tellPaymentFailed(db: TenantDb, tenantId: string, tx: Selectable<TransactionsTable>): Promise<void> {
  if (!tx.order_id || tx.payment_method_id || tx.recorded_by) return;
  const order = await db.selectFrom("orders").select(["id", "reference", "origin"]).where("id", "=", tx.order_id).executeTakeFirst();
  if (!order) return;
  const path = `/checkout/${order.id}/pay`;
  // Set when the payment was started (payments.server.ts); an order paid some other way falls back to the agency's host.
  const origin =
    order.origin ??
    (await tenantOrigin(await db.selectFrom("tenants").select(["id", "slug"]).where("id", "=", tenantId).executeTakeFirstOrThrow()));
  await notify(db, tenantId, {
    event: "payment_failed",
    to: { userId: tx.user_id },
    vars: {
      amount: (locale) => formatMoney(tx.amount_minor, tx.currency, locale),
      orderReference: order.reference,
      link: `${origin}${path}`,
    },
    link: path,
    dedupeKey: `payment_failed:${tx.id}`,
  });
}

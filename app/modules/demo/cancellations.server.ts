import { withTenant } from "~db/client";
import { cancelPolicy } from "~/modules/cancellations/cancel.server";
import { reasonInWords } from "~/modules/cancellations/reasons";
import type { HistoryContext } from "./history.server";
import type { HistoryManifest } from "./manifest";

/**
 * Cancellations in the demo history (decision 030): a purchase marked `cancelled` is cancelled by its
 * customer on that day, through the cancellations module, once its policies are at their real dates.
 * The refunds go to the sandbox by the worker's jobs and the letter follows, as for a real one.
 */
export async function playCancellations(ctx: HistoryContext, history: HistoryManifest): Promise<void> {
  for (const customer of history.customers) {
    for (const purchase of customer.purchases) {
      if (!purchase.cancelled) continue;
      const { ago, reason } = purchase.cancelled;
      await withTenant(ctx.tenant.id, async (db) => {
        const policies = await db
          .selectFrom("policies")
          .innerJoin("users", "users.id", "policies.user_id")
          .innerJoin("products", "products.id", "policies.product_id")
          .select(["policies.id", "policies.user_id"])
          .where("users.email", "=", customer.email)
          .where(
            "products.slug",
            "in",
            purchase.items.map((i) => i.product),
          )
          .where("policies.status", "in", ["active", "grace"])
          .execute();
        for (const policy of policies) {
          const done = await cancelPolicy(db, ctx.tenant, {
            policyId: policy.id,
            reason: reasonInWords("customer", reason) ?? "Cancelled",
            actorUserId: policy.user_id,
            by: "customer",
            today: ctx.clock.day(ago),
          });
          if (!done.ok) throw new Error(`Demo cancellation of ${customer.email}'s ${purchase.items[0]!.product}: ${done.message}`);
        }
      });
    }
  }
}

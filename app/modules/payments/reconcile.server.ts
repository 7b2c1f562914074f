import { sql } from "kysely";
import { withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { expireTransaction, queryAndApply, stalePendingTransactions } from "./payments.server";
import { logger } from "~/lib/log.server";

/**
 * Reconciliation (job `reconcile_payments`, per tenant, every few minutes): nothing is left to a
 * callback that may never come.
 * - A payment pending for a while is asked about with the provider's status API; a success found
 *   this way is taken (a late or lost callback). Pending past the give-up time, it expires — a
 *   success arriving after that is still taken, once the provider confirms it.
 * - Offline payments (cash or a bank-in an agent collected) are never asked about nor expired:
 *   they wait for staff to confirm or reject them (stalePendingTransactions leaves them out).
 * - A paid order whose policies or documents are missing (a worker died mid-way) gets its
 *   issuance queued again: every step of it is once-only.
 */
const ASK_AFTER_MINUTES = 2;
const GIVE_UP_AFTER_MINUTES = 30;
const REISSUE_AFTER_MINUTES = 5;

export interface ReconcileRun {
  asked: number;
  settled: number;
  expired: number;
  reissued: number;
  errors: number;
}

export async function reconcileTenant(tenantId: string): Promise<ReconcileRun> {
  const run: ReconcileRun = { asked: 0, settled: 0, expired: 0, reissued: 0, errors: 0 };
  const stale = await withTenant(tenantId, (db) => stalePendingTransactions(db, ASK_AFTER_MINUTES));
  for (const tx of stale) {
    if (tx.provider === "offline") continue;
    let outcome = "no_provider_ref";
    if (tx.provider_ref) {
      run.asked += 1;
      try {
        outcome = await queryAndApply(tenantId, tx.id);
      } catch (error) {
        run.errors += 1;
        logger.warn({ tenantId, transactionId: tx.id, err: error }, "reconcile: asking the provider failed");
        continue;
      }
    }
    if (!["still_pending", "no_provider_ref", "query_not_found", "query_error"].includes(outcome)) {
      run.settled += 1;
      continue;
    }
    if (Date.now() - tx.created_at.getTime() > GIVE_UP_AFTER_MINUTES * 60_000) {
      await withTenant(tenantId, (db) =>
        expireTransaction(db, tx.id, "no_answer", "The payment was not confirmed in time. You have not been charged; please try again."),
      );
      run.expired += 1;
    }
  }

  run.reissued = await withTenant(tenantId, async (db) => {
    const unfinished = await db
      .selectFrom("orders")
      .select("orders.id")
      .where("orders.status", "=", "paid")
      .where("orders.paid_at", "<", sql<Date>`now() - make_interval(mins => ${REISSUE_AFTER_MINUTES})`)
      .where((eb) =>
        eb.or([
          eb(
            eb
              .selectFrom("order_items")
              .select(sql<number>`count(*)::int`.as("n"))
              .whereRef("order_items.order_id", "=", "orders.id"),
            ">",
            eb
              .selectFrom("policies")
              .select(sql<number>`count(*)::int`.as("n"))
              .whereRef("policies.order_id", "=", "orders.id"),
          ),
          eb.exists(
            eb
              .selectFrom("policies")
              .select("policies.id")
              .whereRef("policies.order_id", "=", "orders.id")
              .where("policies.status", "in", ["active", "grace"])
              .where("policies.certificate_file_key", "is", null),
          ),
        ]),
      )
      .limit(100)
      .execute();
    for (const order of unfinished) {
      // The same key as the first issuance: a waiting job is replaced, a dead worker's locked one is not waited for.
      await addJob(db, "issue_order", { tenantId, orderId: order.id }, { jobKey: `issue_order:${tenantId}:${order.id}` });
    }
    return unfinished.length;
  });
  return run;
}

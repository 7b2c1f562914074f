import { withTenant } from "~db/client";
import { faultPoint } from "~/jobs/faults";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";

const SLICE = 500;

/**
 * Each agent of a paid batch hears their payout went out (issue 14, event `payout_paid`), once the
 * batch is marked paid (job `commission_batch_paid`). A slice of payouts per
 * transaction, each message keyed by its payout, so a rerun after a crash sends only what is left.
 */
export async function tellPayoutsPaid(tenantId: string, batchId: string, origin: string): Promise<number> {
  let after: string | null = null;
  let told = 0;
  for (;;) {
    const last: string | null = await withTenant(tenantId, async (db) => {
      const payouts = await db
        .selectFrom("payouts as p")
        .innerJoin("payout_batches as b", "b.id", "p.batch_id")
        .innerJoin("agents as a", "a.id", "p.agent_id")
        .select(["p.id", "p.amount_minor", "a.user_id", "b.reference", "b.currency", "b.status"])
        .where("p.batch_id", "=", batchId)
        .$if(after !== null, (q) => q.where("p.id", ">", after!))
        .orderBy("p.id")
        .limit(SLICE)
        .execute();
      for (const payout of payouts) {
        if (payout.status !== "paid" || payout.amount_minor <= 0) continue;
        await notify(db, tenantId, {
          event: "payout_paid",
          to: { userId: payout.user_id },
          vars: {
            amount: (locale) => formatMoney(payout.amount_minor, payout.currency, locale),
            payoutReference: payout.reference,
            link: `${origin}/agent/statements`,
          },
          link: "/agent/statements",
          dedupeKey: `payout_paid:${payout.id}`,
        });
        told += 1;
      }
      return payouts.length ? payouts[payouts.length - 1]!.id : null;
    });
    if (!last) return told;
    faultPoint("commission_batch_paid:after_notice_slice");
    after = last;
  }
}

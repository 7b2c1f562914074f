import type { TenantDb } from "~db/client";
import type { MessageCategory, MessageOptOutsTable } from "~db/schema";

/**
 * Opt-outs by address (issue 14): an SMS STOP reply or an email unsubscribe link works without an
 * account and before any sign-in. `queueMessage` (deliveryDecision) honours them for every
 * optional message; codes and receipts still go.
 */
export async function recordOptOut(
  db: TenantDb,
  input: {
    channel: MessageOptOutsTable["channel"];
    address: string;
    category?: MessageCategory | "all";
    source: MessageOptOutsTable["source"];
  },
): Promise<void> {
  await db
    .insertInto("message_opt_outs")
    .values({ channel: input.channel, address: input.address, category: input.category ?? "all", source: input.source })
    .onConflict((oc) => oc.columns(["tenant_id", "channel", "address", "category"]).doNothing())
    .execute();
}

/** START / UNSTOP: the address receives optional messages again. */
export async function clearOptOut(db: TenantDb, input: { channel: MessageOptOutsTable["channel"]; address: string }): Promise<void> {
  await db.deleteFrom("message_opt_outs").where("channel", "=", input.channel).where("address", "=", input.address).execute();
}

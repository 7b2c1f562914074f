import { withTenant } from "~db/client";
import type { PaymentMethod } from "~db/schema";
import { processProviderEvent } from "~/modules/payments/events.server";
import { startPayment, type PayTarget } from "~/modules/payments/payments.server";
import type { SandboxChoice } from "~/modules/payments/providers/sandbox.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { issueOrder } from "~/modules/policies/issuance.server";
import { settleInstalment } from "~/modules/policies/premiums.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";

/**
 * A customer pays through the sandbox, as on its page: the payment starts as checkout starts it,
 * the "phone" or "card" answers with a signed callback through the webhook path, and the job that
 * callback queues is run here and now (`processProviderEvent`, then issuance or the instalment's
 * settlement, as their jobs would), because the history moves these rows back in time before the
 * ledger reads them. The jobs queued on the way stay queued: run later by the worker, they find the
 * work done (every one is once-only, docs/architecture.md §5) and render the documents.
 */
export interface SandboxPayer {
  userId: string;
  email: string;
  method: PaymentMethod;
  /** M-Pesa's phone (Kenyan). */
  phone?: string;
  origin: string;
  /** "Save this card for future payments": the sandbox keeps its 4242 test card (decision 029). */
  saveMethod?: boolean;
}

const DEMO_CARD = { last4: "4242", expMonth: 12, expYear: 2034 };

/** Plays each answer in turn (e.g. declined, then approved) and returns the last attempt's transaction. */
export async function payThroughSandbox(
  tenant: TenantInfo,
  target: PayTarget,
  payer: SandboxPayer,
  answers: SandboxChoice[] = ["approve"],
): Promise<string> {
  let transactionId = "";
  for (const answer of answers) {
    const started = await startPayment(tenant, { target, ...payer });
    if (!started.ok) throw new Error(`Demo payment refused: ${started.code} ${started.message}`);
    if (started.customerAction.type !== "redirect") throw new Error("The sandbox answered without its payment page");
    const ref = decodeURIComponent(started.customerAction.url.split("/").pop() ?? "");
    const played = await playSandboxChoice(tenant, ref, answer, payer.saveMethod ? DEMO_CARD : undefined);
    if (!played.ok) throw new Error(`Demo sandbox answer refused: ${played.message}`);
    transactionId = played.transactionId;
    await processEventsOf(tenant.id, transactionId);
  }
  if ("orderId" in target) await issue(tenant, target.orderId);
  else await withTenant(tenant.id, (db) => settleInstalment(db, tenant.id, transactionId));
  return transactionId;
}

/** What the `process_provider_event` jobs of one payment do. */
async function processEventsOf(tenantId: string, transactionId: string): Promise<void> {
  const events = await withTenant(tenantId, (db) =>
    db
      .selectFrom("provider_events")
      .select("id")
      .where("transaction_id", "=", transactionId)
      .where("processed_at", "is", null)
      .orderBy("received_at")
      .execute(),
  );
  for (const event of events) await processProviderEvent(tenantId, event.id);
}

/** What the `issue_order` job does once an order is paid. */
export async function issue(tenant: TenantInfo, orderId: string): Promise<void> {
  const outcome = await withTenant(tenant.id, (db) => issueOrder(db, tenant, orderId));
  if (!outcome.startsWith("issued") && outcome !== "already_issued") throw new Error(`Demo order ${orderId} not issued: ${outcome}`);
}

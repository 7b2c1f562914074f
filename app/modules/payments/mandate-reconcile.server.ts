import { sql } from "kysely";
import { withTenant } from "~db/client";
import type { SavedMethodProvider as SavedMethodProviderName } from "~db/schema";
import { logger } from "~/lib/log.server";
import { logExchange } from "./gateway-log.server";
import { applyMandateEvent, expireUnansweredMandate } from "./mandates.server";
import { takesMandates } from "./providers/index.server";
import { savedMethodReference } from "./saved-methods.server";
import { tenantProvider } from "./settings.server";

/**
 * Mandates whose answer never came (job `reconcile_mandates`, per tenant, every quarter hour;
 * decision 046), as `reconcile.server.ts` does for payments: a mandate pending for a while is
 * asked about with the provider's `queryMandate`, and the answer goes through `applyMandateEvent`
 * like a webhook's (the machine makes a late webhook after it a duplicate). One nobody answered
 * for a day is expired, and its authorisation payment with it.
 */
const ASK_AFTER_MINUTES = 15;
const GIVE_UP_AFTER_HOURS = 24;

export interface MandateReconcileRun {
  asked: number;
  settled: number;
  expired: number;
  errors: number;
}

export async function reconcileMandates(tenantId: string): Promise<MandateReconcileRun> {
  const run: MandateReconcileRun = { asked: 0, settled: 0, expired: 0, errors: 0 };
  const stale = await withTenant(tenantId, (db) =>
    db
      .selectFrom("payment_methods")
      .select(["id", "provider", "provider_ref", "created_at"])
      .where("kind", "=", "mandate")
      .where("mandate_status", "=", "pending")
      .where("created_at", "<", sql<Date>`now() - make_interval(mins => ${ASK_AFTER_MINUTES})`)
      .orderBy("created_at")
      .limit(200)
      .execute(),
  );
  for (const mandate of stale) {
    try {
      const outcome = await askProvider(tenantId, mandate);
      if (outcome !== undefined) run.asked += 1;
      if (outcome?.startsWith("applied_")) {
        run.settled += 1;
        continue;
      }
    } catch (error) {
      run.errors += 1;
      logger.warn({ tenantId, mandateId: mandate.id, err: error }, "reconcile mandates: asking the provider failed");
    }
    if (Date.now() - mandate.created_at.getTime() > GIVE_UP_AFTER_HOURS * 3_600_000) {
      const outcome = await withTenant(tenantId, (db) => expireUnansweredMandate(db, tenantId, mandate.id));
      if (outcome === "applied_expired") run.expired += 1;
    }
  }
  return run;
}

/** The provider's answer for one mandate, applied; undefined when it could not be asked. */
async function askProvider(
  tenantId: string,
  mandate: { id: string; provider: SavedMethodProviderName; provider_ref: string | null },
): Promise<string | undefined> {
  const found = await withTenant(tenantId, async (db) => ({
    provider: await tenantProvider(db, tenantId, mandate.provider),
    method: await savedMethodReference(db, tenantId, mandate.id),
  }));
  const customerRef = found.method?.reference.customerRef;
  if (!takesMandates(found.provider) || !customerRef) return undefined;
  const answer = await found.provider.queryMandate({
    customerRef,
    mandateRef: found.method?.reference.mandate ?? null,
    providerRef: mandate.provider_ref,
  });
  return withTenant(tenantId, async (db) => {
    await logExchange(db, { transactionId: null, provider: mandate.provider, kind: "query", exchange: answer.exchange });
    if (!answer.ok) return `query_${answer.reasonCode}`;
    return applyMandateEvent(db, tenantId, mandate.provider, {
      ...answer.event,
      providerRef: answer.event.providerRef ?? mandate.provider_ref,
    });
  });
}

import type { TenantDb } from "~db/client";
import type { MandateStatus, SavedMethodProvider as SavedMethodProviderName } from "~db/schema";
import { applyPaymentStatus } from "./apply.server";
import { expireTransaction, failTransaction, instalmentDue, lockTransaction } from "./payments.server";

/**
 * The authorisation payment of an e-mandate (decision 046): Curlec takes at least RM 1.00 by FPX
 * to authorise a mandate, so the authorisation pays the policy's next open instalment (early, when
 * it is not due yet). It is an ordinary FPX payment of that instalment, found by the mandate's
 * `provider_ref` (the authorisation order), so the provider's payment events settle it the usual
 * way. The mandate's own events settle it too: a confirmed token means the bank took the money; a
 * rejected (or never answered) one means it did not.
 */

export interface AuthorisationInstalment {
  instalmentId: string;
  amountMinor: number;
  dueDate: string;
  /** Not due yet: the authorisation pays it early. */
  early: boolean;
}

/** The policy's next open instalment: what the authorisation pays (undefined when none is left). */
export async function nextOpenInstalment(db: TenantDb, policyId: string): Promise<AuthorisationInstalment | undefined> {
  const row = await db
    .selectFrom("instalments")
    .select(["id", "amount_minor", "due_date", "status"])
    .where("policy_id", "=", policyId)
    .where("status", "in", ["scheduled", "due", "overdue"])
    .orderBy("sequence")
    .executeTakeFirst();
  if (!row) return undefined;
  return { instalmentId: row.id, amountMinor: row.amount_minor, dueDate: row.due_date, early: row.status === "scheduled" };
}

export type AuthorisationPayment = { ok: true; transactionId: string; amountMinor: number } | { ok: false; message: string };

/**
 * Records the authorisation's payment of the instalment, pending, in the caller's transaction
 * (which then records the mandate, and both timelines once the provider took the authorisation).
 * Refused while another payment of it is in flight: taking it twice is worse than asking the
 * member to wait.
 */
export async function recordAuthorisationPayment(
  db: TenantDb,
  input: {
    instalmentId: string;
    userId: string;
    provider: SavedMethodProviderName;
    mode: "test" | "live";
    currency: string;
    bankCode: string;
  },
): Promise<AuthorisationPayment> {
  const due = await instalmentDue(db, input.instalmentId, input.userId, "fpx", input.currency);
  if (!due.ok) return { ok: false, message: due.message };
  const inFlight = await db
    .selectFrom("transactions")
    .select("id")
    .where("instalment_id", "=", input.instalmentId)
    .where("status", "=", "pending")
    .executeTakeFirst();
  if (inFlight) return { ok: false, message: "A payment of this instalment is in progress. Try again once it has finished." };
  const row = await db
    .insertInto("transactions")
    .values({
      instalment_id: input.instalmentId,
      user_id: input.userId,
      provider: input.provider,
      method: "fpx",
      mode: input.mode,
      amount_minor: due.amountMinor,
      currency: input.currency,
      bank_code: input.bankCode,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { ok: true, transactionId: row.id, amountMinor: due.amountMinor };
}

/** The authorisation payment of the mandate whose authorisation is `providerRef`, if it has one. */
async function authorisationPaymentOf(db: TenantDb, provider: SavedMethodProviderName, providerRef: string | null) {
  if (!providerRef) return undefined;
  return db
    .selectFrom("transactions")
    .select(["id", "instalment_id"])
    .where("provider", "=", provider)
    .where("provider_ref", "=", providerRef)
    .where("instalment_id", "is not", null)
    .executeTakeFirst();
}

/**
 * The mandate moved to `to` (the caller holds its row locked): its authorisation payment follows.
 * Active: the payment is completed once (a repeated event, or the provider's own payment event
 * first, is a duplicate for the payment's machine) and becomes the instalment's one saved-method
 * charge (the exactly-once index of decision 029), so auto-debit never debits that instalment
 * again. Rejected, cancelled or expired before it was paid: the payment fails and the instalment
 * stays open as it was.
 */
export async function settleAuthorisationPayment(
  db: TenantDb,
  tenantId: string,
  mandate: { id: string; provider: SavedMethodProviderName; providerRef: string | null },
  to: MandateStatus,
  raw: unknown,
): Promise<void> {
  const found = await authorisationPaymentOf(db, mandate.provider, mandate.providerRef);
  if (!found) return;
  const tx = (await lockTransaction(db, found.id))!;
  if (to === "active") {
    await applyPaymentStatus(
      db,
      tenantId,
      tx,
      { providerRef: mandate.providerRef!, outcome: "completed", final: true, providerCode: "mandate_authorised", raw },
      // The provider confirms a mandate only once its authorisation payment went through.
      { confirmedByProvider: true },
    );
    await db
      .updateTable("transactions")
      .set({ payment_method_id: mandate.id, updated_at: new Date() })
      .where("id", "=", tx.id)
      .where("payment_method_id", "is", null)
      // A card's earlier debit of this instalment already holds its one saved-method charge.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("transactions as other")
              .select("other.id")
              .where("other.instalment_id", "=", found.instalment_id)
              .where("other.payment_method_id", "is not", null),
          ),
        ),
      )
      .execute();
    return;
  }
  if (to === "rejected" || to === "cancelled") {
    await failTransaction(db, tx.id, "mandate_not_authorised", "The direct debit was not authorised: nothing was taken.");
  } else if (to === "expired") {
    await expireTransaction(db, tx.id, "no_answer", "The direct debit was not authorised in time: nothing was taken.");
  }
}

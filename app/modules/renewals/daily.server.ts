import { sql } from "kysely";
import { withTenant, type TenantDb } from "~db/client";
import { policyRules } from "~/modules/policies/premiums.server";
import { productLifecycle } from "~/modules/policies/lifecycle";
import { movePolicy } from "~/modules/policies/versions.server";
import { addDays } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { savedMethodCharge, type ChargeSaved } from "./auto-renew.server";
import { queueExpired, queueExpiring, queueRenewalOffer } from "./notices.server";
import { renewablePolicy, renewalQuote, startRenewal } from "./renewals.server";

/**
 * The daily policy lifecycle (job `policy_lifecycle_tenant`, hourly so every tenant's midnight is
 * met in its own zone; `today` is the tenant's date, passed in so tests choose it):
 *
 * 1. Policies past their end date expire (through `movePolicy`), with a notice unless renewed.
 * 2. Renewal offers go out on each of the tenant's offer days before the end (the largest is the
 *    offer, the others reminders), priced by a renewal quote. A `renewal_offers` row per policy and
 *    offer day, written in the same transaction as the quote and the email, makes it once-only
 *    whether the job runs twice, twice at once, or dies half-way (the transaction rolls back).
 * 3. On the last offer day a policy with auto-renew on is renewed by charging a saved payment
 *    method (`ChargeSaved`); with none, the customer gets the offer instead.
 * 4. A policy still not renewed gets an "expiring" notice in its last days of cover.
 *
 * Each policy is its own transaction: one that fails to price does not hold up the others.
 */

/** The "expiring" notice goes this many days before the end (and up to the last day). */
export const EXPIRING_NOTICE_DAYS = 3;

export interface LifecycleRun {
  expired: number;
  offers: number;
  autoRenewals: number;
  expiring: number;
}

export interface LifecycleDeps {
  chargeSaved?: ChargeSaved;
}

type LifecycleTenant = TenantInfo;

export async function runPolicyLifecycle(
  tenant: LifecycleTenant,
  today: string,
  origin: string,
  deps: LifecycleDeps = {},
): Promise<LifecycleRun> {
  const chargeSaved = deps.chargeSaved ?? savedMethodCharge;
  const run: LifecycleRun = { expired: 0, offers: 0, autoRenewals: 0, expiring: 0 };
  const { renewalOfferDays } = await withTenant(tenant.id, (db) => policyRules(db, tenant.id));
  const offerDays = [...renewalOfferDays].sort((a, b) => b - a);
  const lastOfferDays = offerDays.at(-1);

  // 1. Expiry.
  const ended = await withTenant(tenant.id, (db) =>
    db.selectFrom("policies").select(["id", "end_date"]).where("status", "in", ["active", "grace"]).where("end_date", "<", today).execute(),
  );
  for (const p of ended) {
    await withTenant(tenant.id, async (db) => {
      const moved = await movePolicy(db, p.id, "expire", { endDate: p.end_date!, today }, { reason: "The cover's end date passed" });
      if (!moved.ok) return;
      run.expired += 1;
      if (!(await renewedBy(db, p.id))) await queueExpired(db, tenant, { policyId: p.id, origin });
    });
  }

  // 2–4. Policies in their last weeks, not renewed.
  const horizon = addDays(today, Math.max(EXPIRING_NOTICE_DAYS, ...offerDays, 0));
  const ending = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("policies")
      .innerJoin("products", "products.id", "policies.product_id")
      .select(["policies.id", "policies.end_date", "policies.auto_renew", "products.lifecycle"])
      .where("policies.status", "in", ["active", "grace"])
      .where("policies.policy_number", "is not", null)
      .where("policies.end_date", ">=", today)
      .where("policies.end_date", "<=", horizon)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom("policies as r").select("r.id").whereRef("r.renewal_of_policy_id", "=", "policies.id"))),
      )
      .orderBy("policies.end_date")
      .execute(),
  );
  for (const p of ending) {
    const lifecycle = productLifecycle(p.lifecycle);
    const endDate = p.end_date!;
    // The offer day reached most recently: a policy first seen late gets one offer, not several.
    const due = offerDays.filter((d) => addDays(endDate, -d) <= today).at(-1);
    if (lifecycle.renewable && due !== undefined) {
      const autoRenew = due === lastOfferDays && p.auto_renew && lifecycle.autoRenew;
      const outcome = await withTenant(tenant.id, (db) =>
        offerOnce(db, tenant, { policyId: p.id, offerDays: due, today, origin, autoRenew, reminder: due !== offerDays[0] }),
      );
      if (outcome === "offered") run.offers += 1;
      if (autoRenew) {
        const charged = await tryAutoRenew(tenant, p.id, due, origin, chargeSaved);
        if (charged) run.autoRenewals += 1;
      }
    }
    if (addDays(endDate, -EXPIRING_NOTICE_DAYS) <= today) {
      const sent = await withTenant(tenant.id, (db) =>
        queueExpiring(db, tenant, { policyId: p.id, renewable: lifecycle.renewable, origin }),
      );
      if (sent) run.expiring += 1;
    }
  }
  return run;
}

async function renewedBy(db: TenantDb, policyId: string) {
  return db.selectFrom("policies").select("id").where("renewal_of_policy_id", "=", policyId).executeTakeFirst();
}

/**
 * The offer for one policy and offer day, once: the row first (a second run, or a concurrent one
 * waiting on the same key, inserts nothing and stops), then the quote and the email, all in the
 * caller's transaction. Auto-renew: the renewal order instead of the email (the charge comes after
 * the commit, `tryAutoRenew`).
 */
export async function offerOnce(
  db: TenantDb,
  tenant: LifecycleTenant,
  input: { policyId: string; offerDays: number; today: string; origin: string; autoRenew: boolean; reminder: boolean },
): Promise<"offered" | "already" | "not_priced"> {
  const claimed = await db
    .insertInto("renewal_offers")
    .values({ policy_id: input.policyId, offer_days: input.offerDays })
    .onConflict((oc) => oc.columns(["tenant_id", "policy_id", "offer_days"]).doNothing())
    .returning("policy_id")
    .executeTakeFirst();
  if (!claimed) return "already";
  const policy = (await renewablePolicy(db, input.policyId))!;
  if (input.autoRenew) {
    const started = await startRenewal(db, tenant, { policyId: input.policyId, today: input.today });
    if (started.ok) {
      await setOffer(db, input, started.quote.id, started.orderId);
      return "offered";
    }
  }
  const priced = await renewalQuote(db, tenant, policy);
  // Kept with no quote: the customer gets the "expiring" notice, and staff see it was not priced.
  if (!priced.ok) return "not_priced";
  await setOffer(db, input, priced.renewal.quote.id, null);
  await queueRenewalOffer(db, tenant, {
    policyId: input.policyId,
    offerDays: input.offerDays,
    reminder: input.reminder,
    renewal: priced.renewal,
    origin: input.origin,
  });
  return "offered";
}

async function setOffer(db: TenantDb, key: { policyId: string; offerDays: number }, quoteId: string, orderId: string | null) {
  await db
    .updateTable("renewal_offers")
    .set({ quote_id: quoteId, order_id: orderId })
    .where("policy_id", "=", key.policyId)
    .where("offer_days", "=", key.offerDays)
    .execute();
}

/**
 * Charge the saved payment method for the auto-renew order, outside any transaction (a provider
 * call). Safe to repeat: an order already paying or paid is left alone, and `ChargeSaved` is
 * once-only per order. With no saved method, the customer gets the offer to renew by hand.
 */
async function tryAutoRenew(
  tenant: LifecycleTenant,
  policyId: string,
  offerDays: number,
  origin: string,
  chargeSaved: ChargeSaved,
): Promise<boolean> {
  const offer = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("renewal_offers")
      .innerJoin("orders", "orders.id", "renewal_offers.order_id")
      .select(["orders.id as orderId", "orders.user_id as userId", "orders.status"])
      .select(sql<boolean>`exists (select 1 from transactions t where t.order_id = orders.id)`.as("tried"))
      .where("renewal_offers.policy_id", "=", policyId)
      .where("renewal_offers.offer_days", "=", offerDays)
      .executeTakeFirst(),
  );
  if (!offer || offer.status !== "draft" || offer.tried) return false;
  const charged = await chargeSaved(tenant, { userId: offer.userId, orderId: offer.orderId });
  if (charged.ok) return true;
  await withTenant(tenant.id, async (db) => {
    const policy = (await renewablePolicy(db, policyId))!;
    const priced = await renewalQuote(db, tenant, policy);
    if (!priced.ok) return;
    await queueRenewalOffer(db, tenant, { policyId, offerDays, reminder: true, renewal: priced.renewal, origin, autoRenewFailed: true });
  });
  return false;
}

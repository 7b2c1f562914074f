import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { notify } from "~/modules/notifications/notify.server";
import { queueAutoDebit } from "~/modules/payments/autodebit.server";
import { addDays, daysBetween } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { instalmentMachine, policyMachine, transition } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { DEFAULT_POLICY_RULES, policyRulesSchema, type PolicyRules } from "./rules";

/**
 * The premium schedule, run daily per tenant (and safe to run any number of times a day):
 * instalments fall due (with a reminder), unpaid ones become overdue and put their policy in grace,
 * and a policy whose grace outlasts the tenant's rule lapses. Paying an instalment settles it and
 * brings a policy in grace back to active once nothing is overdue.
 */
export async function policyRules(db: TenantDb, _tenantId: string): Promise<PolicyRules> {
  const row = await db.selectFrom("policy_rules").selectAll().executeTakeFirst();
  return row
    ? {
        graceDays: row.grace_days,
        reinstatementDays: row.reinstatement_days,
        reminderDays: row.reminder_days,
        renewalOfferDays: row.renewal_offer_days,
        freeLookDays: row.free_look_days,
      }
    : policyRulesSchema.parse(DEFAULT_POLICY_RULES);
}

export async function savePolicyRules(db: TenantDb, rules: PolicyRules): Promise<void> {
  const values = {
    grace_days: rules.graceDays,
    reinstatement_days: rules.reinstatementDays,
    reminder_days: rules.reminderDays,
    renewal_offer_days: rules.renewalOfferDays,
    free_look_days: rules.freeLookDays,
  };
  await db
    .insertInto("policy_rules")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

export interface ScheduleRun {
  fellDue: number;
  overdue: number;
  toGrace: number;
  lapsed: number;
}

export async function runPremiumSchedule(tenant: TenantInfo, today: string, origin: string): Promise<ScheduleRun> {
  return withTenant(tenant.id, async (db) => {
    const rules = await policyRules(db, tenant.id);
    const run: ScheduleRun = { fellDue: 0, overdue: 0, toGrace: 0, lapsed: 0 };

    const falling = await db
      .selectFrom("instalments")
      .innerJoin("policies", "policies.id", "instalments.policy_id")
      .innerJoin("users", "users.id", "policies.user_id")
      .select([
        "instalments.id",
        "instalments.due_date",
        "instalments.amount_minor",
        "policies.policy_number",
        "policies.id as policy_id",
        "policies.autodebit_method_id",
        "policies.user_id",
      ])
      .where("instalments.status", "=", "scheduled")
      .where("policies.status", "in", ["active", "grace"])
      .where("instalments.due_date", "<=", addDays(today, rules.reminderDays))
      .forUpdate(["instalments"])
      .execute();
    for (const i of falling) {
      if (i.due_date <= today) {
        await move(db, "instalment", i.id, "scheduled", "fall_due");
        run.fellDue += 1;
        // Paid automatically: the saved card is charged by a job, once (decision 029).
        if (i.autodebit_method_id) await queueAutoDebit(db, tenant.id, i.id);
      }
      await notify(db, tenant.id, {
        event: "instalment_due",
        to: { userId: i.user_id },
        vars: instalmentVars(tenant, i, origin),
        dedupeKey: `instalment_due:${i.id}`,
      });
    }

    const late = await db
      .selectFrom("instalments")
      .innerJoin("policies", "policies.id", "instalments.policy_id")
      .select([
        "instalments.id",
        "instalments.due_date",
        "instalments.amount_minor",
        "policies.id as policy_id",
        "policies.policy_number",
        "policies.user_id",
        "policies.status as policy_status",
      ])
      .where("instalments.status", "=", "due")
      .where("instalments.due_date", "<", today)
      .forUpdate(["instalments"])
      .execute();
    for (const i of late) {
      await move(db, "instalment", i.id, "due", "become_overdue");
      run.overdue += 1;
      await notify(db, tenant.id, {
        event: "payment_overdue",
        to: { userId: i.user_id },
        vars: instalmentVars(tenant, i, origin),
        dedupeKey: `payment_overdue:${i.id}`,
      });
      const policy = await db.selectFrom("policies").select(["status"]).where("id", "=", i.policy_id).forUpdate().executeTakeFirstOrThrow();
      if (policy.status === "active") {
        await db
          .updateTable("policies")
          .set({ status: "grace", grace_started_on: i.due_date, updated_at: new Date() })
          .where("id", "=", i.policy_id)
          .execute();
        await recordStateChange(db, { entity: "policy", entityId: i.policy_id, from: "active", to: "grace", event: "miss_instalment" });
        run.toGrace += 1;
      }
    }

    const inGrace = await db
      .selectFrom("policies")
      .select(["id", "grace_started_on", "policy_number", "user_id"])
      .where("status", "=", "grace")
      .forUpdate()
      .execute();
    for (const p of inGrace) {
      const daysInGrace = p.grace_started_on ? daysBetween(p.grace_started_on, today) : 0;
      const moved = transition(policyMachine, "grace", "lapse", { daysInGrace, graceDays: rules.graceDays });
      if (!moved.ok) continue;
      await db.updateTable("policies").set({ status: "lapsed", lapsed_on: today, updated_at: new Date() }).where("id", "=", p.id).execute();
      await recordStateChange(db, {
        entity: "policy",
        entityId: p.id,
        from: "grace",
        to: "lapsed",
        event: "lapse",
        reason: `${daysInGrace} days in grace`,
      });
      await notify(db, tenant.id, {
        event: "policy_lapsed",
        to: { userId: p.user_id },
        vars: { policyNumber: p.policy_number ?? "", link: `${origin}/account/policies/${p.id}` },
        dedupeKey: `policy_lapsed:${p.id}`,
      });
      run.lapsed += 1;
    }
    return run;
  });
}

/** An instalment reminder's variables: money and calendar dates in the reader's locale (notify knows it). */
function instalmentVars(
  tenant: TenantInfo,
  i: { amount_minor: number; due_date: string; policy_number: string | null; policy_id: string },
  origin: string,
) {
  return {
    policyNumber: i.policy_number ?? "",
    amount: (locale: string) => formatMoney(i.amount_minor, tenant.currency, locale),
    dueDate: (locale: string) => formatDate(i.due_date, locale, "UTC"),
    link: `${origin}/account/policies/${i.policy_id}`,
  };
}

async function move(db: TenantDb, entity: "instalment", id: string, from: "scheduled" | "due", event: "fall_due" | "become_overdue") {
  const moved = transition(instalmentMachine, from, event);
  if (!moved.ok) return;
  await db.updateTable("instalments").set({ status: moved.to }).where("id", "=", id).execute();
  await recordStateChange(db, { entity, entityId: id, from, to: moved.to, event });
}

/**
 * An instalment's payment completed (job `settle_instalment`): the instalment is paid, a policy in
 * grace with nothing else overdue is active again, and the receipt follows.
 */
export async function settleInstalment(db: TenantDb, tenantId: string, transactionId: string): Promise<string> {
  const tx = await db
    .selectFrom("transactions")
    .select(["id", "instalment_id", "status"])
    .where("id", "=", transactionId)
    .executeTakeFirstOrThrow();
  if (!tx.instalment_id || tx.status !== "completed") return "not_payable";
  const instalment = await db
    .selectFrom("instalments")
    .selectAll()
    .where("id", "=", tx.instalment_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (instalment.status === "paid") return "already_paid";
  const moved = transition(instalmentMachine, instalment.status, "pay");
  if (!moved.ok) return `refused_${moved.code}`;
  await db
    .updateTable("instalments")
    .set({ status: "paid", paid_at: new Date(), transaction_id: tx.id })
    .where("id", "=", instalment.id)
    .execute();
  await recordStateChange(db, { entity: "instalment", entityId: instalment.id, from: instalment.status, to: "paid", event: "pay" });
  const policy = await db
    .selectFrom("policies")
    .select(["id", "status"])
    .where("id", "=", instalment.policy_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const stillOverdue = await db
    .selectFrom("instalments")
    .select("id")
    .where("policy_id", "=", policy.id)
    .where("status", "=", "overdue")
    .executeTakeFirst();
  if (policy.status === "grace" && !stillOverdue) {
    await db
      .updateTable("policies")
      .set({ status: "active", grace_started_on: null, updated_at: new Date() })
      .where("id", "=", policy.id)
      .execute();
    await recordStateChange(db, { entity: "policy", entityId: policy.id, from: "grace", to: "active", event: "pay_arrears" });
  }
  await addJob(db, "instalment_receipt", { tenantId, transactionId }, { jobKey: `instalment_receipt:${tenantId}:${transactionId}` });
  return "paid";
}

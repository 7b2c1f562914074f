import { withTenant } from "~db/client";
import type { Role } from "~db/schema";
import { logger } from "~/lib/log.server";
import { runPremiumSchedule } from "~/modules/policies/premiums.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { DemoClock, between, seededRandom } from "./clock.server";
import { buyOnStorefront, signUp, type StoryContext } from "./cover.server";
import type { HistoryCustomer, HistoryManifest, HistoryPurchase } from "./manifest";
import { agentsByEmail, backdateAgents, playMember, runCommissions, type NetworkContext } from "./network.server";
import { playClaims } from "./claims.server";
import { playCancellations } from "./cancellations.server";
import { applyClaimTimes, applyHistoryTimes, HistoryTimes } from "./retime.server";

/**
 * A year of an agency's life for `npm run dev` (tenants/<slug>/history.json), played through the
 * app's own modules in steps, in this order:
 *
 * 1. customers: storefront customers sign up and buy cover, paying by the sandbox (instalments too);
 * 2. network: agents register members and sell to them (card through the link, cash, bank-in);
 * 3. back in time: every row the stories made moves to when it happened (retime.server.ts says why);
 * 4. premium schedule: today's run puts unpaid instalments due, overdue, in grace or lapsed;
 * 5. claims: claims at every stage on those policies (claims.server.ts), then moved back to when
 *    each of their steps happened;
 * 6. cancellations: a purchase the history marks cancelled is cancelled by its customer on its day;
 * 7. commissions: the ledger, the closes of the ended months, their payouts paid.
 *
 * A step that needs the policies at their real dates goes after step 4, noting its own moments in
 * `ctx.times` and applying them itself, as the claims do.
 */
export interface HistoryOptions {
  now: Date;
  origin: string;
  /** The password history customers sign up with (the demo logins' own, so any of them can sign in). */
  password: string;
}

export interface HistoryContext extends StoryContext {
  password: string;
  staff: Partial<Record<Role, string>>;
}

type Step = { name: string; run: (ctx: HistoryContext, history: HistoryManifest) => Promise<void> };

export const HISTORY_STEPS: Step[] = [
  { name: "customers", run: playCustomers },
  { name: "network", run: playNetwork },
  { name: "back in time", run: (ctx) => withTenant(ctx.tenant.id, (db) => applyHistoryTimes(db, ctx.clock, ctx.times)) },
  { name: "premium schedule", run: (ctx) => runPremiumSchedule(ctx.tenant, ctx.clock.today, ctx.origin).then(() => undefined) },
  // Claims on the policies at their real dates, then moved back to when each step happened.
  { name: "claims", run: playClaims },
  { name: "claims back in time", run: (ctx) => withTenant(ctx.tenant.id, (db) => applyClaimTimes(db, ctx.times.claims)) },
  // A customer's cancellation, on its day, of a policy at its real dates (decision 030).
  { name: "cancellations", run: playCancellations },
  { name: "commissions", run: (ctx, history) => (history.members.length ? runCommissions(networkContext(ctx)) : Promise.resolve()) },
];

export async function seedTenantHistory(tenant: TenantInfo, history: HistoryManifest, options: HistoryOptions): Promise<void> {
  const ctx: HistoryContext = {
    tenant,
    clock: new DemoClock(options.now, tenant.timeZone),
    times: new HistoryTimes(),
    origin: options.origin,
    random: seededRandom(`covera demo history ${tenant.slug}`),
    password: options.password,
    staff: await staffOf(tenant.id),
    underwriterId: null,
  };
  ctx.underwriterId = ctx.staff.underwriter ?? ctx.staff.admin ?? null;
  for (const step of HISTORY_STEPS) {
    const started = performance.now();
    try {
      await step.run(ctx, history);
      logger.debug(`${tenant.slug} demo history, ${step.name}: ${Math.round(performance.now() - started)} ms`);
    } catch (error) {
      throw new Error(`${tenant.slug} demo history, step "${step.name}": ${(error as Error).message}`, { cause: error });
    }
  }
}

/** One demo account per role: who decides, confirms, assesses and pays in the stories. */
async function staffOf(tenantId: string): Promise<Partial<Record<Role, string>>> {
  const rows = await withTenant(tenantId, (db) =>
    db
      .selectFrom("user_roles as r")
      .innerJoin("users as u", "u.id", "r.user_id")
      .select(["r.role", "u.id"])
      .where("r.role", "in", ["admin", "staff", "underwriter", "assessor", "claims_manager"])
      .orderBy("u.created_at")
      .execute(),
  );
  const staff: Partial<Record<Role, string>> = {};
  for (const r of rows) staff[r.role] ??= r.id;
  return staff;
}

/** The oldest purchase's day, so a new customer signs up a few days before buying. */
function firstPurchaseAgo(customer: HistoryCustomer) {
  return customer.purchases.map((p) => p.ago).sort((a, b) => b.months - a.months || b.days - a.days)[0]!;
}

/** Customers sign up (oldest first), then every purchase is made in the order it happened, so numbers rise with dates. */
async function playCustomers(ctx: HistoryContext, history: HistoryManifest): Promise<void> {
  const buyers = new Map<string, Parameters<typeof buyOnStorefront>[1]>();
  for (const customer of history.customers) {
    const existing = await withTenant(ctx.tenant.id, (db) =>
      db.selectFrom("users").select("id").where("email", "=", customer.email).executeTakeFirst(),
    );
    const first = firstPurchaseAgo(customer);
    const joinedAt = ctx.clock.at(ctx.clock.day({ months: first.months, days: first.days + between(ctx.random, 3, 20) }), 20 * 60);
    const userId =
      existing?.id ??
      (await signUp(ctx, { name: customer.name, email: customer.email, phone: customer.phone, password: ctx.password }, joinedAt));
    if (existing) ctx.times.people.push({ userId, at: joinedAt });
    buyers.set(customer.email, {
      userId,
      email: customer.email,
      name: customer.name,
      phone: customer.phone,
      dateOfBirth: customer.dateOfBirth,
      address: customer.address,
      identifiers: { national_id: customer.nationalId, kra_pin: customer.kraPin },
      beneficiary: customer.beneficiary,
    });
  }
  const purchases: { email: string; purchase: HistoryPurchase }[] = history.customers.flatMap((c) =>
    c.purchases.map((purchase) => ({ email: c.email, purchase })),
  );
  for (const { email, purchase } of oldestFirst(purchases)) await buyOnStorefront(ctx, buyers.get(email)!, purchase);
}

async function playNetwork(ctx: HistoryContext, history: HistoryManifest): Promise<void> {
  if (history.members.length === 0) return;
  await backdateAgents(ctx);
  const network = networkContext(ctx);
  network.agents = await agentsByEmail(ctx.tenant.id);
  for (const member of history.members) await playMember(network, member);
}

function networkContext(ctx: HistoryContext): NetworkContext {
  if (!ctx.staff.staff || !ctx.staff.admin) throw new Error("an agent network's history needs a demo staff member and admin");
  return { ...ctx, agents: new Map(), staffId: ctx.staff.staff, adminId: ctx.staff.admin };
}

function oldestFirst<T extends { purchase: { ago: { months: number; days: number } } }>(list: T[]): T[] {
  return [...list].sort((a, b) => b.purchase.ago.months - a.purchase.ago.months || b.purchase.ago.days - a.purchase.ago.days);
}

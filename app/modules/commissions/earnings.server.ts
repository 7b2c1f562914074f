import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { AgentStatus, Frequency } from "~db/schema";
import { saleProducts } from "~/modules/members/sale.server";
import { defaultBaseMinor, toRuleProduct, versionState, type RuleProduct } from "./admin.server";
import { commissionBaseMinor, splitSale } from "./calculate";
import { saleEarnings, tierTerms, type SaleEarnings, type TierTerms } from "./earnings";
import { rulesAt, ruleTimeline } from "./rules.server";

/**
 * The agent's side of the commission rules (issue 16 §5): the agency's structure per product and
 * frequency, and what one sale would earn each tier, for the agent portal, the sell wizard and the
 * agent app. Reads only: the rules are the agency's (every agent may know them); whether an upline
 * qualifies is theirs, so only the signed-in agent's own standing is worked out.
 */

/**
 * The agent's own sales in the current month of the agency's calendar: items of orders credited to
 * them and paid, as the ledger's qualification counts them.
 */
export async function personalSalesThisMonth(db: TenantDb, agentId: string, timeZone: string): Promise<number> {
  const row = await db
    .selectFrom("orders as o")
    .innerJoin("order_items as oi", "oi.order_id", "o.id")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("o.agent_id", "=", agentId)
    .where("o.paid_at", ">=", sql<Date>`date_trunc('month', now() at time zone ${timeZone}) at time zone ${timeZone}`)
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface SellingAgent {
  id: string;
  status: AgentStatus;
}

/** The products on sale (the sell wizard's list), with what the rules editor knows of their prices. */
async function sellableProducts(db: TenantDb): Promise<RuleProduct[]> {
  const slugs = (await saleProducts(db)).map((p) => p.slug);
  if (slugs.length === 0) return [];
  const rows = await db
    .selectFrom("products")
    .select(["id", "name", "slug", "active", "rating", "starting_price_minor"])
    .where("slug", "in", slugs)
    .execute();
  return slugs.flatMap((slug) => rows.filter((r) => r.slug === slug).map(toRuleProduct));
}

export interface StructureVersion {
  effectiveAt: Date;
  /** Tier 1 first; empty = this version pays no commission. */
  tiers: (TierTerms & { exampleMinor: number })[];
}

export interface StructureFrequency {
  frequency: Frequency;
  /** The example sale: the product's price at this frequency (the admin preview's default). */
  exampleBaseMinor: number;
  /** The version in force now, or null when none has ever started. */
  current: StructureVersion | null;
  /** Versions still to start, soonest first. */
  scheduled: StructureVersion[];
}

export interface StructureProduct {
  id: string;
  name: string;
  slug: string;
  frequencies: StructureFrequency[];
}

/** Every product the agent can sell, per frequency it is sold at, with the rules now and to come. */
export async function commissionStructure(db: TenantDb): Promise<{ products: StructureProduct[]; hasRules: boolean }> {
  const products = await sellableProducts(db);
  const out: StructureProduct[] = [];
  for (const product of products) {
    const { now, versions } = await ruleTimeline(db, product.id);
    out.push({
      id: product.id,
      name: product.name,
      slug: product.slug,
      frequencies: product.offered.map((frequency) => {
        const exampleBaseMinor = defaultBaseMinor(product, frequency);
        const describe = (v: (typeof versions)[number]): StructureVersion => {
          const split = splitSale(v.tiers, exampleBaseMinor);
          return { effectiveAt: v.effectiveAt, tiers: v.tiers.map((r, i) => ({ ...tierTerms(r), exampleMinor: split[i]!.amountMinor })) };
        };
        const mine = versions.filter((v) => v.frequency === frequency);
        const current = mine.find((v) => versionState(v, now) === "in_force");
        const scheduled = mine.filter((v) => versionState(v, now) === "scheduled").reverse();
        return { frequency, exampleBaseMinor, current: current ? describe(current) : null, scheduled: scheduled.map(describe) };
      }),
    });
  }
  const hasRules = out.some((p) => p.frequencies.some((f) => (f.current?.tiers.length ?? 0) > 0 || f.scheduled.length > 0));
  return { products: out, hasRules };
}

/**
 * What the ledger has paid the agent this month under each capped rule (running caps, decision
 * 011): the cap left for their next sale.
 */
async function capPaidThisMonth(db: TenantDb, agentId: string, timeZone: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("commission_cap_usage")
    .select(["rule_id", "paid_minor"])
    .where("agent_id", "=", agentId)
    .where("month", "=", sql<string>`date_trunc('month', now() at time zone ${timeZone})::date`)
    .execute();
  return new Map(rows.map((r) => [r.rule_id, Number(r.paid_minor)]));
}

/** The rules in force now (`rulesAt`, as the ledger would pick them for a payment now) and the agent's standing. */
async function rulesNowFor(db: TenantDb, agent: SellingAgent, timeZone: string) {
  const [rules, salesThisMonth, capPaid] = await Promise.all([
    rulesAt(db),
    personalSalesThisMonth(db, agent.id, timeZone),
    capPaidThisMonth(db, agent.id, timeZone),
  ]);
  const of = (productId: string, frequency: Frequency) => rules.filter((r) => r.productId === productId && r.frequency === frequency);
  return {
    tiersOf: (productId: string, frequency: Frequency): TierTerms[] => of(productId, frequency).map(tierTerms),
    standingFor: (productId: string, frequency: Frequency) => {
      const own = of(productId, frequency).find((r) => r.tier === 1);
      return { status: agent.status, salesThisMonth, capPaidMinor: own ? (capPaid.get(own.id) ?? 0) : 0 };
    },
  };
}

/** One order line of a sale in progress: what its payments will be. */
export interface SaleLine {
  productId: string;
  frequency: Frequency;
  instalmentsPerYear: number;
  firstPaymentMinor: number;
  laterInstalmentMinor: number;
  annualPremiumMinor: number;
  leviesMinor: number;
}

/** What each line of a sale earns each tier under the rules in force now, and whether the agent earns theirs. */
export async function saleCommission(
  db: TenantDb,
  agent: SellingAgent,
  timeZone: string,
  lines: readonly SaleLine[],
): Promise<SaleEarnings[]> {
  const { tiersOf, standingFor } = await rulesNowFor(db, agent, timeZone);
  return lines.map((line) =>
    saleEarnings(
      tiersOf(line.productId, line.frequency),
      {
        firstBaseMinor: commissionBaseMinor(line.firstPaymentMinor, line.annualPremiumMinor, line.leviesMinor),
        laterBaseMinor:
          line.instalmentsPerYear > 1 ? commissionBaseMinor(line.laterInstalmentMinor, line.annualPremiumMinor, line.leviesMinor) : null,
      },
      standingFor(line.productId, line.frequency),
      lines.length,
    ),
  );
}

export type PreviewResult =
  | { ok: true; product: { id: string; name: string }; frequency: Frequency; premiumMinor: number; earnings: SaleEarnings }
  | { ok: false; code: "no_product" | "no_frequency" };

/**
 * One payment of `premiumMinor` (default: the product's price at that frequency) of a product the
 * agent can sell, split as the admin preview splits it (the agent app's "what would I earn").
 */
export async function previewCommission(
  db: TenantDb,
  agent: SellingAgent,
  timeZone: string,
  input: { productId: string; frequency: Frequency; premiumMinor?: number },
): Promise<PreviewResult> {
  const product = (await sellableProducts(db)).find((p) => p.id === input.productId);
  if (!product) return { ok: false, code: "no_product" };
  if (!product.offered.includes(input.frequency)) return { ok: false, code: "no_frequency" };
  const premiumMinor = input.premiumMinor ?? defaultBaseMinor(product, input.frequency);
  const { tiersOf, standingFor } = await rulesNowFor(db, agent, timeZone);
  const earnings = saleEarnings(
    tiersOf(product.id, input.frequency),
    { firstBaseMinor: premiumMinor, laterBaseMinor: null },
    standingFor(product.id, input.frequency),
  );
  return { ok: true, product: { id: product.id, name: product.name }, frequency: input.frequency, premiumMinor, earnings };
}

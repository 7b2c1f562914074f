import type { TFunction } from "i18next";
import { sql, type SqlBool, type Expression } from "kysely";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { MessageChannel } from "~db/schema";
import { lineText } from "~/lib/text";
import { monthOf, addMonthsTo } from "~/modules/commissions/months";
import { NETWORK_LEVELS } from "~/modules/network/upline.server";
import { RANKS, rankProgress, type Rank } from "~/modules/network/ranks";

/**
 * Who a broadcast goes to (issue 14, docs/decisions/043-broadcasts-and-alerts.md): people with an
 * open, active account, chosen by one of four segments. Read in batches ordered by user id, so a
 * broadcast to 100,000 people never holds them all in memory.
 */
export const SEGMENT_KINDS = ["customers", "product_customers", "agents_of_rank", "agent_members"] as const;

export const segmentSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("customers") }),
  z.object({ kind: z.literal("product_customers"), productId: lineText().uuid() }),
  z.object({ kind: z.literal("agents_of_rank"), rank: z.enum(RANKS.map((r) => r.id) as [Rank["id"], ...Rank["id"][]]) }),
  z.object({ kind: z.literal("agent_members"), agentId: lineText().uuid() }),
]);
export type Segment = z.infer<typeof segmentSchema>;

export interface Recipient {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
}

/** Policies that are cover today: a customer of a product holds one of these. */
const IN_FORCE = ["active", "grace"] as const;

/**
 * The active agents whose rank on the ladder is `rank` now. Ranks are worked out, never stored
 * (app/modules/network/ranks.ts), so the facts are counted for every agent in three grouped
 * reads and the ladder applied here; a network has thousands of agents, not millions.
 */
export async function agentsOfRank(db: TenantDb, rank: Rank["id"], timeZone: string, now = new Date()): Promise<string[]> {
  const month = monthOf(now, timeZone);
  const facts = await db
    .selectFrom("agents as a")
    .select([
      "a.id",
      sql<number>`(select count(*)::int from agent_uplines u where u.upline_id = a.id and u.depth = 1)`.as("direct"),
      sql<number>`(select count(*)::int from agent_uplines u where u.upline_id = a.id and u.depth <= ${NETWORK_LEVELS})`.as("downline"),
      sql<number>`(select count(*)::int from orders o join order_items oi on oi.order_id = o.id
         where o.agent_id = a.id
           and o.paid_at >= (${month}::date::timestamp at time zone ${timeZone})
           and o.paid_at < (${addMonthsTo(month, 1)}::date::timestamp at time zone ${timeZone}))`.as("sales"),
    ])
    .where("a.status", "=", "active")
    .execute();
  return facts
    .filter((f) => rankProgress({ directRecruits: f.direct, downline: f.downline, personalSales: f.sales }).current.id === rank)
    .map((f) => f.id);
}

/** The SQL condition on `u` (users) that puts a person in the segment. */
async function segmentCondition(db: TenantDb, segment: Segment, timeZone: string): Promise<Expression<SqlBool>> {
  switch (segment.kind) {
    case "customers":
      return sql<SqlBool>`exists (select 1 from user_roles r where r.user_id = u.id and r.role = 'customer')`;
    case "product_customers":
      return sql<SqlBool>`exists (select 1 from policies p where p.user_id = u.id and p.product_id = ${segment.productId}
        and p.status in (${sql.join(IN_FORCE.map((s) => sql.lit(s)))}))`;
    case "agents_of_rank": {
      const ids = await agentsOfRank(db, segment.rank, timeZone);
      return sql<SqlBool>`exists (select 1 from agents a where a.user_id = u.id and a.id = any(${ids}::uuid[]))`;
    }
    case "agent_members":
      return sql<SqlBool>`exists (select 1 from members m where m.user_id = u.id and m.agent_id = ${segment.agentId} and m.status = 'active')`;
  }
}

/** The segment's people, `size` at a time, by user id. */
export async function* recipientBatches(db: TenantDb, segment: Segment, timeZone: string, size = 5000): AsyncGenerator<Recipient[]> {
  const condition = await segmentCondition(db, segment, timeZone);
  // An agent's phone is the one they verified in the portal; anyone else's is on their account.
  const phone =
    segment.kind === "agents_of_rank"
      ? sql<string | null>`coalesce((select a.phone from agents a where a.user_id = u.id limit 1), u.phone)`
      : sql<string | null>`u.phone`;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await db
      .selectFrom("users as u")
      .select(["u.id as userId", "u.name", "u.email", phone.as("phone")])
      .where("u.closed_at", "is", null)
      .where("u.status", "=", "active")
      .where(condition)
      .where("u.id", ">", after)
      .orderBy("u.id")
      .limit(size)
      .execute();
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.userId;
  }
}

/** The address a channel needs from a person; null when they have none. */
export function addressOn(channel: MessageChannel, recipient: Recipient): string | null {
  if (channel === "email") return recipient.email || null;
  if (channel === "in_app") return recipient.userId;
  return recipient.phone?.trim() || null;
}

/** What a segment is, in the words of the page: `t` of the admin-messages namespace, in the reader's language. */
export function describeSegment(t: TFunction, segment: Segment, names: { product?: string; agent?: string } = {}): string {
  switch (segment.kind) {
    case "customers":
      return t("segment.customers");
    case "product_customers":
      return names.product ? t("segment.productCustomers", { product: names.product }) : t("segment.productCustomersAny");
    case "agents_of_rank": {
      const rank = RANKS.find((r) => r.id === segment.rank);
      return t("segment.agentsOfRank", { rank: rank ? t(`rank.${rank.id}`, { defaultValue: rank.name }) : segment.rank });
    }
    case "agent_members":
      return names.agent ? t("segment.agentMembers", { agent: names.agent }) : t("segment.agentMembersAny");
  }
}

/** What the compose form offers: products, ranks and agents (the last two only with a network). */
export async function broadcastChoices(db: TenantDb) {
  const products = await db.selectFrom("products").select(["id", "name"]).orderBy("name").execute();
  const agents = await db
    .selectFrom("agents as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select(["a.id", "u.name", "a.agent_number as agentNumber"])
    .where("a.status", "=", "active")
    .orderBy("u.name")
    .limit(500)
    .execute();
  return { products, agents, ranks: RANKS.map((r) => ({ id: r.id, name: r.name })) };
}

import { z } from "zod";
import { lineText } from "~/lib/text";
import { withTenant } from "~db/client";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, decodeCursor, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { requireApiPermission, type ApiUser, type Principal } from "~/modules/api/principal.server";
import { ApiProblem, invalid, notFound } from "~/modules/api/problem.server";
import type { Permission } from "~/modules/auth/permissions";
import { monthOf } from "~/modules/commissions/months";
import { agentDashboard, downlineAfter, downlineQuerySchema } from "~/modules/commissions/portal.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { AGENT_STATUSES } from "./agent-schemas";
import { agentProfile } from "./agents.server";
import { loadAgent, type CurrentAgent } from "./current-agent.server";
import { rankProgress, RANKS } from "./ranks";
import { NETWORK_LEVELS, uplinesOf } from "./upline.server";

/**
 * The agent app's side of /api/v1 (issue 15, decision 045): the same reads the agent portal's
 * pages make (`requireAgent` there, `requireApiAgent` here), pinned to the caller's own agent.
 */

/**
 * The signed-in person's agent record, as `requireAgent` gives the portal: 404 where the agency runs
 * no agent network, 403 for a person without the permission or without an agent record.
 */
export async function requireApiAgent(
  tenant: TenantInfo,
  principal: Principal,
  permission: Permission,
): Promise<{ user: ApiUser; agent: CurrentAgent }> {
  if (!tenant.features.agentNetwork) throw notFound("Agent network");
  const user = requireApiPermission(principal, permission);
  const agent = await loadAgent(tenant.id, user);
  if (!agent) throw new ApiProblem(403, "NOT_AN_AGENT", "You are not registered as an agent of this agency");
  return { user, agent };
}

/**
 * The sort key values in a cursor this API gave, checked against the list's key (`tuple`) so a
 * tampered cursor is a 400 naming `cursor`, never a database error; null without a cursor.
 */
export function cursorAfter<T extends z.ZodTuple>(cursor: string | undefined, tuple: T): z.output<T> | null {
  if (cursor === undefined) return null;
  const values = decodeCursor(cursor, tuple.items.length);
  const parsed = values ? tuple.safeParse(values) : null;
  if (!parsed?.success) throw invalid({ cursor: ["cursor is not one this API gave"] }, "Some query parameters are not valid");
  return parsed.data as z.output<T>;
}

/** Cursor key parts: a timestamp as Postgres prints it, and a row id. */
export const cursorTime = lineText().max(40);
export const cursorId = lineText().uuid();

export const agentStatusSchema = z.enum(AGENT_STATUSES);

const agentRefSchema = z.object({
  id: answerText().uuid(),
  agentNumber: answerText(),
  name: answerText(),
  status: agentStatusSchema,
});

export const agentProfileSchema = z.object({
  id: answerText().uuid(),
  agentNumber: answerText(),
  referralCode: answerText(),
  name: answerText(),
  email: answerText(),
  status: agentStatusSchema,
  rank: z.object({
    id: z.enum(RANKS.map((r) => r.id) as [string, ...string[]]),
    name: answerText(),
    next: answerText().nullable().describe("The next rank's name; null at the top."),
  }),
  sponsor: agentRefSchema.nullable().describe("The upline agent who recruited this one; null at the top of the network."),
  downline: z
    .array(z.object({ level: z.number().int(), agents: z.number().int() }))
    .describe("Agents at each level below (1 = recruited directly)."),
});

export const getAgentMe = endpoint({
  method: "GET",
  path: "/agent/me",
  operationId: "getAgentMe",
  summary: "The signed-in agent: number, referral code, rank, sponsor and status",
  tags: ["Agent"],
  auth: "user",
  errors: [404],
  responses: { 200: { description: "The agent's profile.", schema: z.object({ agent: agentProfileSchema }) } },
  async handler({ tenant, principal }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const { profile, sponsor, figures } = await withTenant(tenant.id, async (db) => ({
      profile: await agentProfile(db, agent.id),
      sponsor: (await uplinesOf(db, agent.id, 1))[0] ?? null,
      figures: await agentDashboard(db, agent.id, { month: monthOf(new Date(), tenant.timeZone), timeZone: tenant.timeZone }),
    }));
    if (!profile) throw notFound("Agent");
    // The rank as the dashboard works it out: recruits, downline and this month's own sales.
    const rank = rankProgress({
      directRecruits: figures.downline[0]?.agents ?? 0,
      downline: figures.downline.reduce((sum, l) => sum + l.agents, 0),
      personalSales: figures.sales.items,
    });
    return {
      body: {
        agent: {
          id: agent.id,
          agentNumber: profile.agent_number,
          referralCode: profile.referral_code,
          name: agent.name,
          email: profile.email,
          status: profile.status,
          rank: { id: rank.current.id, name: rank.current.name, next: rank.next?.rank.name ?? null },
          sponsor: sponsor ? { id: sponsor.id, agentNumber: sponsor.agentNumber, name: sponsor.name, status: sponsor.status } : null,
          downline: figures.downline,
        },
      },
    };
  },
});

const downlineItemSchema = z.object({
  id: answerText().uuid(),
  level: z.number().int().describe("1 = recruited by you directly."),
  name: answerText(),
  agentNumber: answerText(),
  status: agentStatusSchema,
  joinedAt: answerText().datetime(),
  sponsor: z.object({ name: answerText(), agentNumber: answerText() }).nullable(),
  downlineSize: z.number().int().describe(`Agents below them, up to ${NETWORK_LEVELS} levels.`),
});

export const listAgentDownline = endpoint({
  method: "GET",
  path: "/agent/downline",
  operationId: "listAgentDownline",
  summary: "The agents below the signed-in agent, one level at a time or searched",
  tags: ["Agent"],
  auth: "user",
  query: z.object({
    level: downlineQuerySchema.shape.level.describe(`1 (recruited directly) to ${NETWORK_LEVELS}; ignored when searching.`),
    q: downlineQuerySchema.shape.q.describe("A name, or an exact agent number, searched over every level."),
    ...cursorQuery,
  }),
  errors: [404],
  responses: { 200: { description: "A page of the downline, by level, then name.", schema: pageOf(downlineItemSchema) } },
  async handler({ tenant, principal, query, request }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const after = cursorAfter(query.cursor, z.tuple([z.number().int(), lineText().max(200), cursorId]));
    const rows = await withTenant(tenant.id, (db) =>
      downlineAfter(
        db,
        agent.id,
        { level: query.level, q: query.q },
        after ? { level: after[0], name: after[1], id: after[2] } : null,
        query.limit,
      ),
    );
    return {
      body: pageFrom(
        rows,
        query.limit,
        (r) => [r.level, r.name, r.id],
        (r) => ({
          id: r.id,
          level: r.level,
          name: r.name,
          agentNumber: r.agentNumber,
          status: r.status,
          joinedAt: r.joinedAt.toISOString(),
          sponsor: r.sponsorName && r.sponsorNumber ? { name: r.sponsorName, agentNumber: r.sponsorNumber } : null,
          downlineSize: r.downlineSize,
        }),
        request,
      ),
    };
  },
});

export const agentEndpoints = [getAgentMe, listAgentDownline];

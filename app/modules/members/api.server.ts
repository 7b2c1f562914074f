import { z } from "zod";
import { withTenant } from "~db/client";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import type { Principal } from "~/modules/api/principal.server";
import { ApiProblem, invalid, notFound } from "~/modules/api/problem.server";
import { clientInfo } from "~/modules/auth/guards.server";
import { cursorAfter, cursorId, cursorTime, requireApiAgent } from "~/modules/network/api.server";
import { inactiveAgentMessage } from "~/modules/network/current-agent.server";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { getMember, membersAfter, registerMember, type Member } from "./members.server";
import { memberFiltersSchema, memberSchema } from "./schemas";
import { MEMBER_STATUS_FILTERS } from "./status";

/**
 * The agent app's members (issue 15): the members an agent registered, as /agent/members shows
 * them, and registering one with the portal's own form rules. A partner's key with `members:read`
 * reads the whole agency's members (read-only); a person reads only their own.
 */

/** Whose members: the signed-in agent's own, or (a key) the whole agency's. */
async function membersScope(tenant: TenantInfo, principal: Principal): Promise<{ agentId: string | null }> {
  if (principal.kind === "key") {
    if (!tenant.features.agentNetwork) throw notFound("Agent network");
    return { agentId: null };
  }
  const { agent } = await requireApiAgent(tenant, principal, "register:member:own");
  return { agentId: agent.id };
}

const memberStatusSchema = z.enum(MEMBER_STATUS_FILTERS);

const memberItemSchema = z.object({
  id: answerText().uuid(),
  name: answerText(),
  email: answerText(),
  phone: answerText().nullable(),
  nric: answerText().describe("The MyKad number, masked."),
  status: memberStatusSchema,
  policies: z.number().int(),
  registeredAt: answerText().datetime(),
  agent: z.object({ id: answerText().uuid(), agentNumber: answerText(), name: answerText() }),
});

const memberDetailSchema = z.object({
  id: answerText().uuid(),
  name: answerText(),
  email: answerText(),
  phone: answerText().nullable(),
  nric: answerText().describe("The MyKad number, masked."),
  race: answerText(),
  relationshipWithAgent: answerText(),
  emergencyContact: z.object({ name: answerText(), phone: answerText(), relationship: answerText() }),
  status: memberStatusSchema,
  invitationPending: z.boolean().describe("The member has not yet set a password from their invitation."),
  registeredAt: answerText().datetime(),
});

function memberDetail(m: Member) {
  return {
    id: m.id,
    name: m.name,
    email: m.email,
    phone: m.phone,
    nric: m.nricMasked,
    race: m.race,
    relationshipWithAgent: m.relationshipWithAgent,
    emergencyContact: { name: m.emergencyContactName, phone: m.emergencyContactPhone, relationship: m.emergencyContactRelationship },
    status: m.status,
    invitationPending: m.invitationPending,
    registeredAt: m.createdAt.toISOString(),
  };
}

export const listAgentMembers = endpoint({
  method: "GET",
  path: "/agent/members",
  operationId: "listAgentMembers",
  summary: "The members the signed-in agent registered (a key: the agency's), newest first",
  tags: ["Agent"],
  auth: { scope: "members:read" },
  query: z.object({
    q: memberFiltersSchema.shape.q.describe("Name, email, phone, or a full MyKad number."),
    status: memberFiltersSchema.shape.status,
    ...cursorQuery,
  }),
  errors: [404],
  responses: { 200: { description: "A page of members.", schema: pageOf(memberItemSchema) } },
  async handler({ tenant, principal, query, request }) {
    const { agentId } = await membersScope(tenant, principal);
    const after = cursorAfter(query.cursor, z.tuple([cursorTime, cursorId]));
    const rows = await withTenant(tenant.id, (db) =>
      membersAfter(
        db,
        tenant.id,
        agentId,
        { q: query.q, status: query.status },
        after ? { at: after[0], id: after[1] } : null,
        query.limit,
      ),
    );
    return {
      body: pageFrom(
        rows,
        query.limit,
        (m) => [m.cursorAt, m.id],
        (m) => ({
          id: m.id,
          name: m.name,
          email: m.email,
          phone: m.phone,
          nric: m.nricMasked,
          status: m.status,
          policies: m.policies,
          registeredAt: m.createdAt.toISOString(),
          agent: { id: m.agentId, agentNumber: m.agentNumber, name: m.agentName },
        }),
        request,
      ),
    };
  },
});

export const registerAgentMember = endpoint({
  method: "POST",
  path: "/agent/members",
  operationId: "registerAgentMember",
  summary: "Register a member (a policyholder), as the agent portal's form does",
  description:
    "The same rules as /agent/members/new: a valid MyKad number not yet registered here; a new email gets an account and an " +
    "invitation, an existing customer's email is linked. Only an active agent registers. Send an Idempotency-Key to retry safely.",
  tags: ["Agent"],
  auth: "user",
  creates: true,
  body: memberSchema,
  errors: [404],
  responses: {
    201: {
      description: "The member, registered.",
      schema: z.object({
        member: memberDetailSchema,
        linkedExistingAccount: z.boolean().describe("The email already had an account here, now linked as this member."),
      }),
    },
  },
  async handler({ tenant, principal, body, request }) {
    const { agent } = await requireApiAgent(tenant, principal, "register:member:own");
    const inactive = inactiveAgentMessage(agent.status);
    if (inactive) throw new ApiProblem(403, "AGENT_NOT_ACTIVE", inactive);
    const result = await withTenant(tenant.id, async (db) => {
      const registered = await registerMember(db, tenant, { id: agent.id, userId: agent.userId, name: agent.name }, body, {
        origin: originOf(request),
        ip: clientInfo(request).ip,
      });
      if (!registered.ok) return registered;
      return { ...registered, member: (await getMember(db, agent.id, registered.memberId))! };
    });
    if (!result.ok) {
      // A whole-form message (the agent was just suspended …) is the body's, as for a zod refusal.
      const { form, ...fields } = result.errors;
      throw invalid(form ? { ...fields, body: form } : fields, "The member was not registered");
    }
    return {
      status: 201,
      headers: { Location: `${originOf(request)}/api/v1/agent/members/${result.memberId}` },
      body: { member: memberDetail(result.member), linkedExistingAccount: result.linkedExistingAccount },
    };
  },
});

export const getAgentMember = endpoint({
  method: "GET",
  path: "/agent/members/{memberId}",
  operationId: "getAgentMember",
  summary: "One of the agent's members (a key: any of the agency's)",
  tags: ["Agent"],
  auth: { scope: "members:read" },
  params: z.object({ memberId: cursorId.describe("The member's id.") }),
  errors: [404],
  responses: { 200: { description: "The member.", schema: z.object({ member: memberDetailSchema }) } },
  async handler({ tenant, principal, params }) {
    const { agentId } = await membersScope(tenant, principal);
    // Another agent's member is not found, exactly like an id that does not exist.
    const member = await withTenant(tenant.id, (db) => getMember(db, agentId, params.memberId));
    if (!member) throw notFound("Member");
    return { body: { member: memberDetail(member) } };
  },
});

export const memberEndpoints = [listAgentMembers, registerAgentMember, getAgentMember];

import { parseWithZod } from "@conform-to/zod";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import type { TenantDb } from "~db/client";
import type { MemberStatus, PolicyStatus } from "~db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { revokeAllSessions } from "~/modules/auth/sessions.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { MEMBER_EVENTS, memberMachine, transition } from "~/modules/workflows";
import { replyErrors } from "~/lib/forms";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { agentIsActive } from "./members.server";
import { MEMBER_EVENT_LABELS, memberStandingMessage, memberStatusSchema, reasonWords, type MemberStatusInput } from "./status";

/**
 * The one writer of a member's status (decision 035): the member's agent (their own members only)
 * or staff suspend, reinstate or terminate, with a reason. The row is locked, memberMachine decides,
 * and the status, the timeline, the audit log and the notices are written in the caller's
 * transaction. What each status means downstream is `memberStanding` (selling, claims).
 */

/** Who acts: an agent (only on their own members) or staff (any member of the agency). */
export type MemberStatusActor = { userId: string; ip: string | null } & ({ as: "agent"; agentId: string } | { as: "staff" });

/** A policy a terminated member still holds in force: staff cancel it separately (decision 035). */
export interface OpenPolicy {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  productName: string;
}

export type MoveMemberResult =
  | { ok: true; from: MemberStatus; to: MemberStatus; openPolicies: OpenPolicy[]; accountClosed: boolean }
  | { ok: false; notFound: true }
  | { ok: false; notFound?: false; field: "reasonCode" | "reasonText" | "form"; message: string };

const IN_FORCE: PolicyStatus[] = ["active", "grace", "pending_payment", "pending_underwriting"];

export async function moveMember(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "name" | "branding">,
  memberId: string,
  input: MemberStatusInput,
  actor: MemberStatusActor,
  origin: string,
): Promise<MoveMemberResult> {
  let query = db
    .selectFrom("members as m")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "m.tenant_id").onRef("u.id", "=", "m.user_id"))
    .innerJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
    .innerJoin("users as au", (j) => j.onRef("au.tenant_id", "=", "a.tenant_id").onRef("au.id", "=", "a.user_id"))
    .select(["m.id", "m.status", "m.user_id", "m.name", "u.email", "a.id as agent_id", "au.id as agent_user_id"])
    .where("m.id", "=", memberId)
    .forUpdate("m");
  if (actor.as === "agent") query = query.where("m.agent_id", "=", actor.agentId);
  const member = await query.executeTakeFirst();
  if (!member) return { ok: false, notFound: true };
  if (actor.as === "agent" && !(await agentIsActive(db, actor.agentId)))
    return { ok: false, field: "form", message: "Only an active agent can change a member's status. Contact the agency." };

  const reason = reasonWords(input.event, input.reasonCode, input.reasonText);
  const moved = transition(memberMachine, member.status, input.event, { reason });
  if (!moved.ok) {
    if (moved.code === "guard") return { ok: false, field: "reasonCode", message: `${moved.reason}: the member is told it.` };
    return { ok: false, field: "form", message: `A member who is ${member.status} cannot be ${MEMBER_EVENT_LABELS[input.event].done}.` };
  }

  await db.updateTable("members").set({ status: moved.to, updated_at: new Date() }).where("id", "=", member.id).execute();
  await recordStateChange(db, {
    entity: "member",
    entityId: member.id,
    from: moved.from,
    to: moved.to,
    event: input.event,
    reason,
    actorUserId: actor.userId,
  });

  // Termination closes the member's sign-in, unless the account also works for the agency (an agent
  // registered as a member keeps their portal): only the customer role is theirs as a member.
  let accountClosed = false;
  if (moved.to === "terminated") {
    const roles = await db.selectFrom("user_roles").select("role").where("user_id", "=", member.user_id).execute();
    if (roles.every((r) => r.role === "customer")) {
      await db.updateTable("users").set({ status: "suspended", updated_at: new Date() }).where("id", "=", member.user_id).execute();
      await revokeAllSessions(db, member.user_id, "account_closed");
      accountClosed = true;
    }
  }
  const openPolicies = moved.to === "terminated" ? await openPoliciesOf(db, member.user_id) : [];

  await recordAudit(
    db,
    { userId: actor.userId, ip: actor.ip },
    {
      action: `member.${input.event}`,
      targetType: "member",
      targetId: member.id,
      details: {
        from: moved.from,
        to: moved.to,
        by: actor.as,
        reasonCode: input.reasonCode,
        reason,
        ...(moved.to === "terminated" ? { accountClosed, openPolicies: openPolicies.length } : {}),
      },
    },
  );

  if (input.event !== "activate") {
    await notify(db, tenant.id, {
      event: `member_${input.event}`,
      to: { userId: member.user_id, email: member.email },
      vars: { reason, link: `${origin}/account` },
    });
    // An agent who made the change knows it; staff's change is told to the member's agent.
    if (actor.as === "staff")
      await notify(db, tenant.id, {
        event: `member_${input.event}_agent`,
        to: { userId: member.agent_user_id },
        vars: { memberName: member.name, reason, link: `${origin}/agent/members/${member.id}` },
      });
  }
  return { ok: true, from: moved.from, to: moved.to, openPolicies, accountClosed };
}

/** The member's policies still in force or on their way (not cancelled, lapsed, expired or declined). */
export async function openPoliciesOf(db: TenantDb, userId: string): Promise<OpenPolicy[]> {
  const rows = await db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select(["p.id", "p.policy_number", "p.status", "pr.name as product_name"])
    .where("p.user_id", "=", userId)
    .where("p.status", "in", IN_FORCE)
    .orderBy("p.created_at")
    .execute();
  return rows.map((r) => ({ id: r.id, policyNumber: r.policy_number, status: r.status, productName: r.product_name }));
}

/**
 * Why this account cannot be sold a new policy or file a new claim because of its membership (null
 * when it can, and for a customer who is nobody's member). Read in the writer's transaction.
 */
export async function memberStanding(db: TenantDb, userId: string, doing: "sell" | "claim"): Promise<string | null> {
  const row = await db.selectFrom("members").select("status").where("user_id", "=", userId).executeTakeFirst();
  return row ? memberStandingMessage(row.status, doing) : null;
}

/**
 * A status form posted to a member page (agent's or staff's), answered as the page needs: a 302 to
 * `done` with ?status=<event>, or the form's errors (400; 409 when the status moved meanwhile), or
 * 404 for a member this actor may not touch. The route stays thin.
 */
export async function answerStatusForm(
  formData: FormData,
  move: (input: MemberStatusInput) => Promise<MoveMemberResult>,
  done: string,
): Promise<Response> {
  const event = z.enum(MEMBER_EVENTS).safeParse(formData.get("event"));
  if (!event.success) throw new Response("Unknown action", { status: 400 });
  const submission = parseWithZod(formData, { schema: memberStatusSchema });
  if (submission.status !== "success")
    return json({ intent: "status" as const, event: event.data, reply: submission.reply() }, { status: 400 });
  const result = await move(submission.value);
  if (!result.ok && result.notFound) throw new Response("Not found", { status: 404 });
  if (!result.ok)
    return json(
      { intent: "status" as const, event: event.data, reply: submission.reply(replyErrors({ [result.field]: [result.message] })) },
      { status: result.field === "form" ? 409 : 400 },
    );
  return redirect(`${done}?status=${event.data}`);
}

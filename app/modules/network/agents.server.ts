import { randomInt } from "node:crypto";
import type { TenantDb } from "~db/client";
import type { AgentStatus } from "~db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { inviteUser, registerCustomer, type Outcome, type RequestContext } from "~/modules/auth/accounts.server";
import { notify } from "~/modules/notifications/notify.server";
import { blindIndex, decryptPii, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { maskIdentifier } from "~/modules/pii/identifiers";
import { nextAgentNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { agentMachine, transition, type AgentEvent } from "~/modules/workflows";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { attachToSponsor, moveAgent } from "./upline.server";

/**
 * Agents: their numbers and referral codes, joining (through a referral link or by an admin),
 * their statuses (agentMachine, on the timeline and in the audit log, told to the agent by email)
 * and their bank details (encrypted, blind-indexed, masked).
 */

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

// Uppercase letters and digits without the look-alikes 0/O and 1/I: easy to read out and type.
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const REFERRAL_CODE_LENGTH = 8;

export function newReferralCode(): string {
  return Array.from({ length: REFERRAL_CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
}

export interface NewAgent {
  userId: string;
  sponsorId: string | null;
  /** Where the agent starts: pending (the usual), or walked on through the machine for seeds/admins. */
  status?: Extract<AgentStatus, "pending" | "active" | "suspended">;
  phone?: string | null;
  actorUserId?: string | null;
}

export interface CreatedAgent {
  id: string;
  agentNumber: string;
  referralCode: string;
}

/** Creates an agent under a sponsor (or as a root) with a fresh number and referral code. */
export async function createAgent(db: TenantDb, input: NewAgent): Promise<CreatedAgent> {
  const agentNumber = await nextAgentNumber(db);
  for (let attempt = 0; attempt < 10; attempt++) {
    const referralCode = newReferralCode();
    // Only a clash of referral codes is absorbed (and retried); anything else is a real error.
    const row = await db
      .insertInto("agents")
      .values({
        user_id: input.userId,
        agent_number: agentNumber,
        referral_code: referralCode,
        sponsor_id: input.sponsorId,
        phone: input.phone ?? null,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "referral_code"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!row) continue;
    await attachToSponsor(db, row.id, input.sponsorId);
    await recordStateChange(db, {
      entity: "agent",
      entityId: row.id,
      from: null,
      to: "pending",
      event: "create",
      actorUserId: input.actorUserId,
    });
    const actor = input.actorUserId ?? null;
    if (input.status === "active" || input.status === "suspended") await applyEvent(db, row.id, "approve", "", actor);
    if (input.status === "suspended") await applyEvent(db, row.id, "suspend", "Suspended when the network was set up", actor);
    return { id: row.id, agentNumber, referralCode };
  }
  throw new Error("Could not find a free referral code after 10 tries");
}

type Moved = { ok: true; from: AgentStatus; to: AgentStatus } | { ok: false; field: "reason" | "form"; message: string };

const EVENT_DONE: Record<AgentEvent, string> = {
  approve: "approved",
  reject: "rejected",
  suspend: "suspended",
  reinstate: "reinstated",
  terminate: "terminated",
};

/** One step of agentMachine on the row, on the timeline. The caller has the row locked or just made it. */
async function applyEvent(db: TenantDb, agentId: string, event: AgentEvent, reason: string, actorUserId: string | null): Promise<Moved> {
  const agent = await db.selectFrom("agents").select(["status"]).where("id", "=", agentId).forUpdate().executeTakeFirst();
  if (!agent) return { ok: false, field: "form", message: "There is no such agent." };
  const moved = transition(agentMachine, agent.status, event, { reason });
  if (!moved.ok) {
    return moved.code === "guard"
      ? { ok: false, field: "reason", message: `${moved.reason}: the agent is told it.` }
      : { ok: false, field: "form", message: `An agent who is ${agent.status} cannot be ${EVENT_DONE[event]}.` };
  }
  const now = new Date();
  await db
    .updateTable("agents")
    .set({
      status: moved.to,
      status_reason: reason.trim() || null,
      updated_at: now,
      ...(event === "approve" ? { approved_at: now } : {}),
    })
    .where("id", "=", agentId)
    .execute();
  await recordStateChange(db, {
    entity: "agent",
    entityId: agentId,
    from: moved.from,
    to: moved.to,
    event,
    reason: reason.trim() || null,
    actorUserId,
  });
  return { ok: true, from: moved.from, to: moved.to };
}

/** An admin approves, rejects, suspends, reinstates or terminates an agent; the agent is emailed. */
export async function changeAgentStatus(
  db: TenantDb,
  tenant: TenantInfo,
  input: { agentId: string; event: AgentEvent; reason?: string },
  actor: Actor & { userId: string },
  origin: string,
): Promise<Moved> {
  const reason = input.reason?.trim() ?? "";
  const moved = await applyEvent(db, input.agentId, input.event, reason, actor.userId);
  if (!moved.ok) return moved;
  const agent = await db
    .selectFrom("agents")
    .innerJoin("users", "users.id", "agents.user_id")
    .select(["agents.agent_number", "agents.user_id"])
    .where("agents.id", "=", input.agentId)
    .executeTakeFirstOrThrow();
  await recordAudit(db, actor, {
    action: `agent.${input.event}`,
    targetType: "agent",
    targetId: input.agentId,
    details: { from: moved.from, to: moved.to, ...(reason ? { reason } : {}) },
  });
  await notify(db, tenant.id, {
    event: `agent_${input.event}`,
    to: { userId: agent.user_id },
    vars: { agentNumber: agent.agent_number, reason: reason || "—", link: `${origin}/agent` },
  });
  return moved;
}

/** The agent record of a signed-in user, if they are one. */
export async function agentByUserId(db: TenantDb, userId: string) {
  return db
    .selectFrom("agents")
    .select(["id", "agent_number", "referral_code", "status", "sponsor_id", "phone", "phone_verified_at"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** The sponsor a referral code names, if it may recruit: an active agent. Shows only a first name. */
export async function sponsorByCode(db: TenantDb, code: string) {
  const row = await db
    .selectFrom("agents")
    .innerJoin("users", "users.id", "agents.user_id")
    .select(["agents.id", "agents.agent_number", "agents.referral_code", "users.name"])
    .where("agents.referral_code", "=", code)
    .where("agents.status", "=", "active")
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.id, agentNumber: row.agent_number, code: row.referral_code, firstName: row.name.trim().split(/\s+/)[0] ?? row.name };
}

/**
 * Someone joins through a sponsor's referral code: an account with the agent role (the usual
 * registration, with its email confirmation) and a pending agent under the sponsor. As with any
 * registration, an address that already has an account here changes nothing but an email to its
 * owner (`userId` null), and the caller answers the same.
 */
export async function joinThroughReferral(
  db: TenantDb,
  tenant: TenantInfo,
  input: { code: string; name: string; email: string; phone: string; password: string },
  ctx: RequestContext,
): Promise<Outcome<{ userId: string | null; agent: CreatedAgent | null }>> {
  const sponsor = await sponsorByCode(db, input.code);
  if (!sponsor) return fail("code", "This referral code is not valid any more. Ask your sponsor for a new link.");
  const account = await registerCustomer(
    db,
    tenant,
    { name: input.name, email: input.email, phone: input.phone, password: input.password, role: "agent" },
    ctx,
  );
  if (!account.userId) return { ok: true, userId: null, agent: null };
  const agent = await createAgent(db, { userId: account.userId, sponsorId: sponsor.id, phone: input.phone, actorUserId: account.userId });
  await recordAudit(
    db,
    { userId: account.userId, ip: ctx.ip },
    { action: "agent.joined", targetType: "agent", targetId: agent.id, details: { sponsor: sponsor.agentNumber } },
  );
  return { ok: true, userId: account.userId, agent };
}

/** A sponsor named by agent number: it must exist and not have left the network. */
async function sponsorByNumber(
  db: TenantDb,
  agentNumber: string,
): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string[]> }> {
  const sponsor = await db.selectFrom("agents").select(["id", "status"]).where("agent_number", "=", agentNumber).executeTakeFirst();
  if (!sponsor) return fail("sponsorNumber", `There is no agent number ${agentNumber}.`);
  if (sponsor.status === "rejected" || sponsor.status === "terminated") {
    return fail("sponsorNumber", `Agent ${agentNumber} is ${sponsor.status}: choose another sponsor.`);
  }
  return { ok: true, id: sponsor.id };
}

/**
 * An admin adds an agent: an account that exists already (it gains the agent role) or a new one
 * (invited by email to set a password), under a sponsor given by agent number, or as a root.
 */
export async function createAgentByAdmin(
  db: TenantDb,
  tenant: TenantInfo,
  input: { email: string; name?: string; phone?: string; sponsorNumber?: string; approve?: boolean },
  actor: Actor & { userId: string },
  origin: string,
): Promise<Outcome<{ agentId: string }>> {
  let sponsorId: string | null = null;
  if (input.sponsorNumber) {
    const sponsor = await sponsorByNumber(db, input.sponsorNumber);
    if (!sponsor.ok) return sponsor;
    sponsorId = sponsor.id;
  }
  let userId: string;
  const existing = await db.selectFrom("users").select(["id"]).where("email", "=", input.email).executeTakeFirst();
  if (existing) {
    if (await agentByUserId(db, existing.id)) return fail("email", "This person is already an agent.");
    userId = existing.id;
    await db
      .insertInto("user_roles")
      .values({ user_id: userId, role: "agent" })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } else {
    if (!input.name) return fail("name", "Enter the new agent's full name: nobody has an account with this email yet.");
    const invited = await inviteUser(
      db,
      tenant,
      { name: input.name, email: input.email, role: "agent", origin },
      { userId: actor.userId, ip: actor.ip ?? null },
    );
    if (!invited.ok) return invited;
    userId = invited.userId;
  }
  const agent = await createAgent(db, { userId, sponsorId, phone: input.phone ?? null, actorUserId: actor.userId });
  await recordAudit(db, actor, {
    action: "agent.created",
    targetType: "agent",
    targetId: agent.id,
    details: { agentNumber: agent.agentNumber, sponsor: input.sponsorNumber ?? null },
  });
  if (input.approve) {
    const approved = await changeAgentStatus(db, tenant, { agentId: agent.id, event: "approve" }, actor, origin);
    if (!approved.ok) throw new Error(`Approving a new agent: ${approved.message}`);
  }
  return { ok: true, agentId: agent.id };
}

/** Moves an agent (with their downline) under the agent with this number, or to the top. */
export async function moveAgentToSponsor(
  db: TenantDb,
  input: { agentId: string; sponsorNumber?: string; reason: string },
  actor: Actor & { userId: string },
): Promise<Outcome> {
  let sponsorId: string | null = null;
  if (input.sponsorNumber) {
    const sponsor = await sponsorByNumber(db, input.sponsorNumber);
    if (!sponsor.ok) return sponsor;
    sponsorId = sponsor.id;
  }
  const moved = await moveAgent(db, { agentId: input.agentId, newSponsorId: sponsorId, reason: input.reason, actorUserId: actor.userId });
  if (!moved.ok) return fail("sponsorNumber", `${moved.reason}.`);
  await recordAudit(db, actor, {
    action: "agent.moved",
    targetType: "agent",
    targetId: input.agentId,
    details: { sponsor: input.sponsorNumber ?? null, reason: input.reason },
  });
  return { ok: true };
}

// ── Bank details ────────────────────────────────────────────────────────────────────────────

const bankContext = (tenantId: string) => piiContext(tenantId, "bank_account");

/** Saves where commissions are paid. The account number is stored encrypted; the log never holds it. */
export async function updateBankDetails(
  db: TenantDb,
  tenantId: string,
  input: { agentId: string; bankName: string; accountNumber: string; accountHolder: string },
  actor: Actor,
): Promise<void> {
  const key = piiKeysFromEnv();
  const context = bankContext(tenantId);
  const masked = maskIdentifier("bank_account", input.accountNumber);
  await db
    .updateTable("agents")
    .set({
      bank_name: input.bankName,
      bank_account_ciphertext: encryptPii(input.accountNumber, { key, context }),
      bank_account_blind_index: blindIndex(input.accountNumber, { key, context }),
      bank_account_masked: masked,
      bank_account_holder: input.accountHolder,
      updated_at: new Date(),
    })
    .where("id", "=", input.agentId)
    .execute();
  await recordAudit(db, actor, {
    action: "agent.bank_updated",
    targetType: "agent",
    targetId: input.agentId,
    details: { bank: input.bankName, account: masked },
  });
}

/** The full account number, for the bank-transfer file only: never put it on a page. */
export function decryptBankAccount(tenantId: string, ciphertext: string): string {
  return decryptPii(ciphertext, { key: piiKeysFromEnv(), context: bankContext(tenantId) });
}

/** What an agent's own profile page shows (the bank account only masked). */
export async function agentProfile(db: TenantDb, agentId: string) {
  return db
    .selectFrom("agents")
    .innerJoin("users", "users.id", "agents.user_id")
    .select([
      "agents.id",
      "agents.agent_number",
      "agents.referral_code",
      "agents.status",
      "agents.phone",
      "agents.phone_verified_at",
      "agents.bank_name",
      "agents.bank_account_masked",
      "agents.bank_account_holder",
      "users.email",
      "users.email_verified_at",
    ])
    .where("agents.id", "=", agentId)
    .executeTakeFirst();
}

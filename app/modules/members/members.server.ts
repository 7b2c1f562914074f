import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type {
  Frequency,
  MemberStatus,
  OrderStep,
  PolicyStatus,
  TransactionMethod,
  TransactionProvider,
  TransactionStatus,
} from "~db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { invitationLink, type Outcome } from "~/modules/auth/accounts.server";
import { likeContains } from "~/modules/auth/users.server";
import { notify } from "~/modules/notifications/notify.server";
import { blindIndex, blindIndexCandidates, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { isValidIdentifier, maskIdentifier, normaliseNric } from "~/modules/pii/identifiers";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { MEMBERS_PAGE_SIZE, type MemberEditInput, type MemberInput } from "./schemas";

/**
 * Members: the policyholders an agent registers (issue 5 §3). A member is an account (users, the
 * customer role, so they can sign in and see their policies) plus a members row linked to the
 * agent, with their MyKad number encrypted, blind-indexed (unique per tenant) and masked.
 *
 * An agent sees only their own members: every query here is scoped to the agent, so another
 * agent's member simply does not exist (the routes answer 404, as for another tenant's id).
 */

export interface MemberAgent {
  id: string;
  userId: string;
  name: string;
}

export interface RequestOrigin {
  origin: string;
  ip: string | null;
}

const fail = (field: string, message: string): { ok: false; errors: Record<string, string[]> } => ({
  ok: false,
  errors: { [field]: [message] },
});

export const NRIC_TAKEN = "This MyKad (NRIC) number is already registered.";

/** The agent as the database has it now (a page may be stale): only an active agent registers or sells. */
export async function agentIsActive(db: TenantDb, agentId: string): Promise<boolean> {
  const row = await db.selectFrom("agents").select("status").where("id", "=", agentId).executeTakeFirst();
  return row?.status === "active";
}

const INACTIVE = "Only an active agent can register members. Contact the agency.";

function nricStored(tenantId: string, normalised: string) {
  const key = piiKeysFromEnv();
  const context = piiContext(tenantId, "nric");
  return {
    nric_ciphertext: encryptPii(normalised, { key, context }),
    nric_blind_index: blindIndex(normalised, { key, context }),
    nric_masked: maskIdentifier("nric", normalised),
  };
}

async function nricTaken(db: TenantDb, tenantId: string, normalised: string): Promise<boolean> {
  const candidates = blindIndexCandidates(normalised, { key: piiKeysFromEnv(), context: piiContext(tenantId, "nric") });
  const row = await db.selectFrom("members").select("id").where("nric_blind_index", "in", candidates).executeTakeFirst();
  return Boolean(row);
}

/**
 * An agent registers a member. A new email gets an account (customer role, no password) and an
 * invitation to set one; an email that already has an account here is linked as it is (the person
 * signs in with their own password), unless that person is already a member. A MyKad number
 * already registered in this agency is refused on its field.
 */
export async function registerMember(
  db: TenantDb,
  tenant: TenantInfo,
  agent: MemberAgent,
  input: MemberInput,
  ctx: RequestOrigin,
): Promise<Outcome<{ memberId: string; userId: string; linkedExistingAccount: boolean }>> {
  if (!(await agentIsActive(db, agent.id))) return fail("form", INACTIVE);
  if (await nricTaken(db, tenant.id, input.nric)) return fail("nric", NRIC_TAKEN);

  // The account: the one this email already has here, or a new one.
  const existing = await db
    .selectFrom("users")
    .select(["id", "name", "phone"])
    .where("email", "=", input.email)
    .forUpdate()
    .executeTakeFirst();
  let userId: string;
  let linked = false;
  if (existing) {
    if (existing.id === agent.userId) return fail("email", "This is your own email: a member is someone you register, not yourself.");
    const member = await db.selectFrom("members").select("agent_id").where("user_id", "=", existing.id).executeTakeFirst();
    if (member)
      return fail(
        "email",
        member.agent_id === agent.id
          ? "This person is already one of your members."
          : "This person is already registered as a member of another agent.",
      );
    userId = existing.id;
    linked = true;
    if (!existing.phone)
      await db.updateTable("users").set({ phone: input.phone, updated_at: new Date() }).where("id", "=", userId).execute();
  } else {
    const created = await db
      .insertInto("users")
      .values({ email: input.email, name: input.name, phone: input.phone })
      .onConflict((oc) => oc.doNothing())
      .returning("id")
      .executeTakeFirst();
    // Lost a race with a sign-up of the same email: try again, and it is linked.
    if (!created) return fail("email", "An account with this email was just created. Submit the form again to link it.");
    userId = created.id;
    await db.insertInto("user_roles").values({ user_id: userId, role: "customer" }).execute();
  }

  const inserted = await db
    .insertInto("members")
    .values({
      agent_id: agent.id,
      user_id: userId,
      name: input.name,
      ...nricStored(tenant.id, input.nric),
      race: input.race,
      relationship_with_agent: input.relationshipWithAgent,
      emergency_contact_name: input.emergencyContactName,
      emergency_contact_phone: input.emergencyContactPhone,
      emergency_contact_relationship: input.emergencyContactRelationship,
    })
    // Two registrations of the same NRIC or person at once: the second one loses here, not with an error page.
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    if (await nricTaken(db, tenant.id, input.nric)) return fail("nric", NRIC_TAKEN);
    return fail("email", "This person was just registered as a member.");
  }

  if (linked) {
    await notify(db, tenant.id, {
      event: "member_linked",
      to: { userId, email: input.email },
      vars: { agentName: agent.name, link: `${ctx.origin}/account/policies` },
      dedupeKey: `member_linked:${inserted.id}`,
    });
  } else {
    const link = await invitationLink(db, userId, ctx.origin);
    await notify(db, tenant.id, {
      event: "member_invite",
      to: { userId, email: input.email, name: input.name },
      vars: { agentName: agent.name, link },
    });
  }
  await recordStateChange(db, {
    entity: "member",
    entityId: inserted.id,
    from: null,
    to: "active",
    event: "register",
    actorUserId: agent.userId,
  });
  await recordAudit(
    db,
    { userId: agent.userId, ip: ctx.ip },
    {
      action: "member.registered",
      targetType: "member",
      targetId: inserted.id,
      details: { agentId: agent.id, userId, linkedExistingAccount: linked, nric: maskIdentifier("nric", input.nric) },
    },
  );
  return { ok: true, memberId: inserted.id, userId, linkedExistingAccount: linked };
}

export interface MemberRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  nricMasked: string;
  status: MemberStatus;
  policies: number;
  createdAt: Date;
  agentId: string;
  agentName: string;
  agentNumber: string;
}

type MemberSearch = { q?: string; status?: MemberStatus; agentNumber?: string };

/**
 * Members searched by name, email, phone or a full MyKad number (its blind index), filtered by
 * status: one agent's own (`agentId`), or the whole agency's for staff (`agentId` null, optionally
 * narrowed to one agent by their number).
 */
function membersMatching(db: TenantDb, tenantId: string, agentId: string | null, options: MemberSearch) {
  let query = db
    .selectFrom("members as m")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "m.tenant_id").onRef("u.id", "=", "m.user_id"))
    .innerJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
    .innerJoin("users as au", (j) => j.onRef("au.tenant_id", "=", "a.tenant_id").onRef("au.id", "=", "a.user_id"));
  if (agentId !== null) query = query.where("m.agent_id", "=", agentId);
  else if (options.agentNumber) query = query.where("a.agent_number", "=", options.agentNumber);
  if (options.status) query = query.where("m.status", "=", options.status);
  const q = options.q?.trim();
  if (q) {
    const pattern = likeContains(q);
    const nric = normaliseNric(q);
    const candidates = isValidIdentifier("nric", nric)
      ? blindIndexCandidates(nric, { key: piiKeysFromEnv(), context: piiContext(tenantId, "nric") })
      : [];
    query = query.where((eb) =>
      eb.or([
        eb("m.name", "ilike", pattern),
        eb("u.email", "ilike", pattern),
        eb("u.phone", "ilike", pattern),
        ...(candidates.length ? [eb("m.nric_blind_index", "in", candidates)] : []),
      ]),
    );
  }
  const rows = query
    .select(["m.id", "m.name", "m.nric_masked", "m.status", "m.created_at", "u.email", "u.phone", "m.agent_id", "a.agent_number"])
    .select("au.name as agent_name")
    .select(sql<string>`m.created_at::text`.as("cursor_at"))
    .select((eb) =>
      eb
        .selectFrom("policies as p")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("p.user_id", "=", "m.user_id")
        .as("policies"),
    );
  return { query, rows };
}

type MemberRecord = Awaited<ReturnType<ReturnType<typeof membersMatching>["rows"]["execute"]>>[number];

const memberRow = (r: MemberRecord): MemberRow & { cursorAt: string } => ({
  id: r.id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  nricMasked: r.nric_masked,
  status: r.status,
  policies: r.policies ?? 0,
  createdAt: r.created_at,
  agentId: r.agent_id,
  agentName: r.agent_name,
  agentNumber: r.agent_number,
  cursorAt: r.cursor_at,
});

/** Members (see `membersMatching`), newest first, a page at a time. */
export async function listMembers(
  db: TenantDb,
  tenantId: string,
  agentId: string | null,
  options: MemberSearch & { page: number; pageSize?: number },
): Promise<{ rows: MemberRow[]; hasMore: boolean; total: number }> {
  const pageSize = options.pageSize ?? MEMBERS_PAGE_SIZE;
  const { query, rows } = membersMatching(db, tenantId, agentId, options);
  const [page, total] = await Promise.all([
    rows
      .orderBy("m.created_at", "desc")
      .orderBy("m.id")
      .limit(pageSize + 1)
      .offset((options.page - 1) * pageSize)
      .execute(),
    query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: page.slice(0, pageSize).map(memberRow), hasMore: page.length > pageSize, total: total.n };
}

/**
 * The same members for the API's cursor pages: newest first by (created_at, id), `limit + 1` after
 * `after` (created_at as Postgres prints it, microseconds kept).
 */
export async function membersAfter(
  db: TenantDb,
  tenantId: string,
  agentId: string | null,
  options: MemberSearch,
  after: { at: string; id: string } | null,
  limit: number,
): Promise<(MemberRow & { cursorAt: string })[]> {
  let { rows } = membersMatching(db, tenantId, agentId, options);
  if (after) rows = rows.where(sql<boolean>`(m.created_at, m.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  const page = await rows
    .orderBy("m.created_at", "desc")
    .orderBy("m.id", "desc")
    .limit(limit + 1)
    .execute();
  return page.map(memberRow);
}

export interface Member {
  id: string;
  agentId: string;
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  nricMasked: string;
  race: string;
  relationshipWithAgent: string;
  emergencyContactName: string;
  emergencyContactPhone: string;
  emergencyContactRelationship: string;
  status: MemberStatus;
  /** The account has no password yet: the invitation is still to be accepted. */
  invitationPending: boolean;
  createdAt: Date;
}

/**
 * One of the agent's members, or undefined: another agent's member is not found, like a missing id.
 * Staff (who may read any member) pass `agentId` null.
 */
export async function getMember(db: TenantDb, agentId: string | null, memberId: string): Promise<Member | undefined> {
  let query = db
    .selectFrom("members as m")
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "m.tenant_id").onRef("u.id", "=", "m.user_id"))
    .select([
      "m.id",
      "m.agent_id",
      "m.user_id",
      "m.name",
      "m.nric_masked",
      "m.race",
      "m.relationship_with_agent",
      "m.emergency_contact_name",
      "m.emergency_contact_phone",
      "m.emergency_contact_relationship",
      "m.status",
      "m.created_at",
      "u.email",
      "u.phone",
      sql<boolean>`u.password_hash is null`.as("invitation_pending"),
    ])
    .where("m.id", "=", memberId);
  if (agentId !== null) query = query.where("m.agent_id", "=", agentId);
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    agentId: row.agent_id,
    userId: row.user_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    nricMasked: row.nric_masked,
    race: row.race,
    relationshipWithAgent: row.relationship_with_agent,
    emergencyContactName: row.emergency_contact_name,
    emergencyContactPhone: row.emergency_contact_phone,
    emergencyContactRelationship: row.emergency_contact_relationship,
    status: row.status,
    invitationPending: row.invitation_pending,
    createdAt: row.created_at,
  };
}

/** Edits a member's details (not their MyKad number, nor their email: their sign-in is theirs). */
export async function updateMember(
  db: TenantDb,
  agent: MemberAgent,
  memberId: string,
  input: MemberEditInput,
  ctx: Pick<RequestOrigin, "ip">,
): Promise<Outcome | { ok: false; notFound: true; errors: Record<string, string[]> }> {
  const member = await db
    .selectFrom("members")
    .select([
      "id",
      "user_id",
      "name",
      "race",
      "relationship_with_agent",
      "emergency_contact_name",
      "emergency_contact_phone",
      "emergency_contact_relationship",
    ])
    .where("id", "=", memberId)
    .where("agent_id", "=", agent.id)
    .forUpdate()
    .executeTakeFirst();
  if (!member) return { ok: false, notFound: true, errors: {} };
  if (!(await agentIsActive(db, agent.id))) return fail("form", "Only an active agent can edit members. Contact the agency.");
  const user = await db.selectFrom("users").select("phone").where("id", "=", member.user_id).executeTakeFirstOrThrow();
  const before = {
    name: member.name,
    phone: user.phone,
    race: member.race,
    relationshipWithAgent: member.relationship_with_agent,
    emergencyContactName: member.emergency_contact_name,
    emergencyContactPhone: member.emergency_contact_phone,
    emergencyContactRelationship: member.emergency_contact_relationship,
  };
  const changed = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== input[k]);
  if (changed.length === 0) return { ok: true };
  await db
    .updateTable("members")
    .set({
      name: input.name,
      race: input.race,
      relationship_with_agent: input.relationshipWithAgent,
      emergency_contact_name: input.emergencyContactName,
      emergency_contact_phone: input.emergencyContactPhone,
      emergency_contact_relationship: input.emergencyContactRelationship,
      updated_at: new Date(),
    })
    .where("id", "=", member.id)
    .execute();
  if (before.phone !== input.phone)
    await db.updateTable("users").set({ phone: input.phone, updated_at: new Date() }).where("id", "=", member.user_id).execute();
  await recordAudit(
    db,
    { userId: agent.userId, ip: ctx.ip },
    { action: "member.updated", targetType: "member", targetId: member.id, details: { changed } },
  );
  return { ok: true };
}

export interface OrderInProgress {
  id: string;
  reference: string;
  step: OrderStep;
  products: string;
  createdAt: Date;
  /** An offline payment recorded for it, waiting for staff. */
  offlinePending: boolean;
}

export interface MemberPolicy {
  id: string;
  policyNumber: string | null;
  status: PolicyStatus;
  productName: string;
  insurerName: string;
  frequency: Frequency;
  instalmentMinor: number;
  currency: string;
  startDate: string | null;
  endDate: string | null;
  next: { dueDate: string; amountMinor: number } | null;
}

export interface MemberPayment {
  id: string;
  createdAt: Date;
  status: TransactionStatus;
  method: TransactionMethod;
  provider: TransactionProvider;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  /** The receipt we issued, else the provider's receipt or the agent's slip number. */
  receipt: string | null;
  orderReference: string | null;
  policyNumber: string | null;
  instalmentSequence: number | null;
}

export interface MemberActivity {
  policies: MemberPolicy[];
  morePolicies: boolean;
  payments: MemberPayment[];
  morePayments: boolean;
  orders: OrderInProgress[];
}

export const MEMBER_ACTIVITY_ROWS = 25;

/**
 * What the member has through this agent: the policies and payments of orders credited to the agent
 * (the agent's sales, and the member's own storefront purchases since they became a member), and the
 * orders credited to the agent that are not paid yet. An account linked at registration keeps its
 * earlier history to itself: the agent never sees what was bought without them. Staff (`agentId`
 * null) see all of the member's.
 */
export async function memberActivity(db: TenantDb, agentId: string | null, member: Pick<Member, "userId">): Promise<MemberActivity> {
  const policies = await db
    .selectFrom("policies as p")
    .innerJoin("orders as o", (j) => j.onRef("o.tenant_id", "=", "p.tenant_id").onRef("o.id", "=", "p.order_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("insurers as i", (j) => j.onRef("i.tenant_id", "=", "pr.tenant_id").onRef("i.id", "=", "pr.insurer_id"))
    .select([
      "p.id",
      "p.policy_number",
      "p.status",
      "p.frequency",
      "p.instalment_minor",
      "p.currency",
      "p.start_date",
      "p.end_date",
      "pr.name as product_name",
      "i.name as insurer_name",
    ])
    .select((eb) =>
      eb
        .selectFrom("instalments as n")
        .select(
          sql<{ dueDate: string; amountMinor: number }>`json_build_object('dueDate', n.due_date, 'amountMinor', n.amount_minor)`.as("next"),
        )
        .whereRef("n.policy_id", "=", "p.id")
        .where("n.status", "in", ["scheduled", "due", "overdue"])
        .orderBy("n.sequence")
        .limit(1)
        .as("next"),
    )
    .where("p.user_id", "=", member.userId)
    .$if(agentId !== null, (qb) => qb.where("o.agent_id", "=", agentId!))
    .orderBy("p.created_at", "desc")
    .orderBy("p.id")
    .limit(MEMBER_ACTIVITY_ROWS + 1)
    .execute();
  const payments = await db
    .selectFrom("transactions as t")
    .leftJoin("instalments as ins", (j) => j.onRef("ins.tenant_id", "=", "t.tenant_id").onRef("ins.id", "=", "t.instalment_id"))
    .leftJoin("policies as ip", (j) => j.onRef("ip.tenant_id", "=", "ins.tenant_id").onRef("ip.id", "=", "ins.policy_id"))
    .innerJoin("orders as o", (j) =>
      j
        .onRef("o.tenant_id", "=", "t.tenant_id")
        .on((eb) => eb.or([eb("o.id", "=", eb.ref("t.order_id")), eb("o.id", "=", eb.ref("ip.order_id"))])),
    )
    .leftJoin("receipts as r", (j) => j.onRef("r.tenant_id", "=", "t.tenant_id").onRef("r.transaction_id", "=", "t.id"))
    .select([
      "t.id",
      "t.created_at",
      "t.status",
      "t.method",
      "t.provider",
      "t.amount_minor",
      "t.refunded_minor",
      "t.currency",
      "t.provider_receipt",
      "t.order_id",
      "o.reference as order_reference",
      "ip.policy_number",
      "ins.sequence as instalment_sequence",
      "r.receipt_number",
    ])
    .where("t.user_id", "=", member.userId)
    .$if(agentId !== null, (qb) => qb.where("o.agent_id", "=", agentId!))
    .orderBy("t.created_at", "desc")
    .orderBy("t.id")
    .limit(MEMBER_ACTIVITY_ROWS + 1)
    .execute();
  const orders = await db
    .selectFrom("orders as o")
    .select(["o.id", "o.reference", "o.step", "o.created_at"])
    .select((eb) =>
      eb
        .selectFrom("order_items as oi")
        .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "oi.tenant_id").onRef("pr.id", "=", "oi.product_id"))
        .select(sql<string>`string_agg(pr.name, ', ' order by oi.position)`.as("names"))
        .whereRef("oi.order_id", "=", "o.id")
        .as("products"),
    )
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom("transactions as t")
            .select("t.id")
            .whereRef("t.order_id", "=", "o.id")
            .where("t.provider", "=", "offline")
            .where("t.status", "=", "pending"),
        )
        .as("offline_pending"),
    )
    .where("o.user_id", "=", member.userId)
    .$if(agentId !== null, (qb) => qb.where("o.agent_id", "=", agentId!))
    .where("o.status", "=", "draft")
    .orderBy("o.created_at", "desc")
    .limit(MEMBER_ACTIVITY_ROWS)
    .execute();
  return {
    policies: policies.slice(0, MEMBER_ACTIVITY_ROWS).map((p) => ({
      id: p.id,
      policyNumber: p.policy_number,
      status: p.status,
      productName: p.product_name,
      insurerName: p.insurer_name,
      frequency: p.frequency,
      instalmentMinor: p.instalment_minor,
      currency: p.currency,
      startDate: p.start_date,
      endDate: p.end_date,
      next: p.next ?? null,
    })),
    morePolicies: policies.length > MEMBER_ACTIVITY_ROWS,
    payments: payments.slice(0, MEMBER_ACTIVITY_ROWS).map((t) => ({
      id: t.id,
      createdAt: t.created_at,
      status: t.status,
      method: t.method,
      provider: t.provider,
      amountMinor: t.amount_minor,
      refundedMinor: t.refunded_minor,
      currency: t.currency,
      receipt: t.receipt_number ?? t.provider_receipt,
      orderReference: t.order_id ? t.order_reference : null,
      policyNumber: t.policy_number,
      instalmentSequence: t.instalment_sequence,
    })),
    morePayments: payments.length > MEMBER_ACTIVITY_ROWS,
    orders: orders.map((o) => ({
      id: o.id,
      reference: o.reference,
      step: o.step,
      products: o.products ?? "",
      createdAt: o.created_at,
      offlinePending: Boolean(o.offline_pending),
    })),
  };
}

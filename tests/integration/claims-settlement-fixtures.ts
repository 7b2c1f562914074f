/**
 * Claims for the settlement, letter and notification tests (not a test file itself).
 *
 * ┌──────────────────────────────────────────────────────────────────────────────────────────────┐
 * │ STAND-IN, to be switched after merging: `fileClaim` inserts a claim the way filing will      │
 * │ (claims-customer helper) and `approveClaim` / `rejectClaim` / `requestDocuments` move it the │
 * │ way the workbench will (claims-office helper). Once both are merged, call their functions    │
 * │ here instead and keep these signatures, so the tests need no other change.                   │
 * └──────────────────────────────────────────────────────────────────────────────────────────────┘
 *
 * Everything goes through the real pieces underneath: claim numbers from `nextNumber`, the
 * `state_changes` create row, `startWorkflow(claimWorkflow(…))`, and `moveClaim` for every move
 * (which creates the settlement on approval and queues the notifications).
 */
import { randomUUID } from "node:crypto";
import { withTenant } from "~db/client";
import { notifyClaimFiled } from "~/modules/claims/notifications.server";
import { moveClaim } from "~/modules/claims/transition.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { createAgent } from "~/modules/network/agents.server";
import { nextNumber } from "~/modules/tenancy/numbers.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { startWorkflow } from "~/modules/workflows/engine.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { createUser } from "../support/db";
import { insertPolicy } from "./customer-policies-fixtures";

export interface ClaimantFixture {
  user: { id: string; email: string };
  policyId: string;
  policyNumber: string;
}

/** A customer with an active motor policy (on a tenant with the payments catalogue: `paymentsTenant()`). */
export async function claimantWithPolicy(
  tenant: Pick<TenantInfo, "id">,
  options: { name?: string; phone?: string; email?: string } = {},
): Promise<ClaimantFixture> {
  const user = await createUser(tenant.id, { name: options.name ?? "Wanjiru Kamau", email: options.email });
  if (options.phone) {
    await withTenant(tenant.id, (db) => db.updateTable("users").set({ phone: options.phone }).where("id", "=", user.id).execute());
  }
  const policy = await insertPolicy(tenant.id, user.id, {
    productSlug: "motor-comprehensive",
    holder: { name: options.name ?? "Wanjiru Kamau", email: user.email, phone: options.phone },
    startDate: `${new Date().getFullYear() - 1}-12-01`,
  });
  return { user, policyId: policy.policyId, policyNumber: policy.policyNumber! };
}

/** The claimant as a member registered by an agent (who can sign in): their claims go to that agent too. */
export async function memberOfAgent(
  tenant: Pick<TenantInfo, "id">,
  claimant: ClaimantFixture,
): Promise<{ memberId: string; agent: { id: string; email: string } }> {
  const agent = await createUser(tenant.id, { name: "Rajesh Kumar", roles: ["agent"] });
  const memberId = await withTenant(tenant.id, async (db) => {
    const created = await createAgent(db, { userId: agent.id, sponsorId: null, status: "active", actorUserId: null });
    const member = await db
      .insertInto("members")
      .values({
        agent_id: created.id,
        user_id: claimant.user.id,
        name: "Aminah binti Yusof",
        nric_ciphertext: "v1.not.real",
        nric_blind_index: randomUUID(),
        nric_masked: "******-**-1234",
        race: "Malay",
        relationship_with_agent: "Friend",
        emergency_contact_name: "Yusof",
        emergency_contact_phone: "0123456789",
        emergency_contact_relationship: "Father",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return member.id;
  });
  return { memberId, agent };
}

/** Files a claim as filing will (STAND-IN: see the box above). */
export async function fileClaim(
  tenant: TenantInfo,
  origin: string,
  input: { claimant: ClaimantFixture; claimedMinor: number; claimType?: string; memberId?: string; filedBy?: string },
): Promise<{ claimId: string; claimNumber: string }> {
  const workflow = claimWorkflow(tenant, origin);
  return withTenant(tenant.id, async (db) => {
    const policy = await db
      .selectFrom("policies")
      .innerJoin("products", "products.id", "policies.product_id")
      .innerJoin("categories", "categories.id", "products.category_id")
      .select(["policies.start_date", "categories.slug", "categories.claim_family"])
      .where("policies.id", "=", input.claimant.policyId)
      .executeTakeFirstOrThrow();
    const claimNumber = await nextNumber(db, tenant.numberPrefix, "claim", new Date().getFullYear());
    const claim = await db
      .insertInto("claims")
      .values({
        claim_number: claimNumber,
        policy_id: input.claimant.policyId,
        claimant_user_id: input.claimant.user.id,
        member_id: input.memberId ?? null,
        filed_by_user_id: input.filedBy ?? input.claimant.user.id,
        claim_type: input.claimType ?? "accident",
        incident_date: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
        incident_place: "Mombasa Road, Nairobi",
        description: "Rear-ended at the lights; bumper and boot lid damaged.",
        claimed_minor: input.claimedMinor,
        currency: tenant.currency,
        policy_year_start: policy.start_date!,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordStateChange(db, {
      entity: "claim",
      entityId: claim.id,
      from: null,
      to: "submitted",
      event: "create",
      actorUserId: input.filedBy ?? input.claimant.user.id,
    });
    await startWorkflow(db, workflow, {
      subjectId: claim.id,
      scopes: [policy.slug, policy.claim_family].filter((s): s is string => Boolean(s)),
      claimType: claim.claim_type,
    });
    await notifyClaimFiled(db, workflow, claim);
    return { claimId: claim.id, claimNumber };
  });
}

async function assess(tenant: TenantInfo, origin: string, claimId: string, actorUserId: string) {
  const workflow = claimWorkflow(tenant, origin);
  await withTenant(tenant.id, async (db) => {
    await moveClaim(db, workflow, { claimId, event: "start_review", actorUserId });
    await moveClaim(db, workflow, {
      claimId,
      event: "complete_assessment",
      actorUserId,
      set: { assessed_by: actorUserId, assessed_at: new Date() },
    });
  });
}

/** Approves a claim as the workbench will (STAND-IN: see the box above); payable = approved − excess. */
export async function approveClaim(
  tenant: TenantInfo,
  origin: string,
  claimId: string,
  input: { approvedMinor: number; excessMinor?: number; actorUserId: string; partly?: boolean },
): Promise<void> {
  await assess(tenant, origin, claimId, input.actorUserId);
  const excess = input.excessMinor ?? 0;
  await withTenant(tenant.id, async (db) => {
    const claim = await db.selectFrom("claims").select("claimed_minor").where("id", "=", claimId).executeTakeFirstOrThrow();
    await moveClaim(db, claimWorkflow(tenant, origin), {
      claimId,
      event: "approve",
      actorUserId: input.actorUserId,
      ctx: { approvedAmount: input.approvedMinor, claimedAmount: claim.claimed_minor },
      set: {
        approved_minor: input.approvedMinor,
        excess_minor: excess,
        payable_minor: input.approvedMinor - excess,
        decision: input.partly ? "partially_approved" : "approved",
        decided_at: new Date(),
      },
    });
  });
}

/** Rejects a claim as the workbench will (STAND-IN: see the box above). */
export async function rejectClaim(
  tenant: TenantInfo,
  origin: string,
  claimId: string,
  input: { reasonCodes: string[]; note: string; actorUserId: string },
): Promise<void> {
  await assess(tenant, origin, claimId, input.actorUserId);
  await withTenant(tenant.id, (db) =>
    moveClaim(db, claimWorkflow(tenant, origin), {
      claimId,
      event: "reject",
      actorUserId: input.actorUserId,
      reason: input.note,
      ctx: { reason: input.note },
      set: { reason_codes: input.reasonCodes, decision_note: input.note, decision: "rejected", decided_at: new Date() },
    }),
  );
}

/** An assessor asks for documents as the workbench will (STAND-IN: see the box above). */
export async function requestDocuments(
  tenant: TenantInfo,
  origin: string,
  claimId: string,
  input: { message: string; documents: { code: string; label: string }[]; actorUserId: string },
): Promise<void> {
  await withTenant(tenant.id, async (db) => {
    await db
      .insertInto("claim_requests")
      .values({ claim_id: claimId, message: input.message, documents: JSON.stringify(input.documents), requested_by: input.actorUserId })
      .execute();
    await moveClaim(db, claimWorkflow(tenant, origin), {
      claimId,
      event: "request_documents",
      actorUserId: input.actorUserId,
      reason: input.message,
      ctx: { requestedDocuments: input.documents.map((d) => d.label) },
    });
  });
}

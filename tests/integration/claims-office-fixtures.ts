import { withPlatform, withTenant } from "~db/client";
import type { EligibilityFlag, ProductClaimRules, Role } from "~db/schema";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { fileKey, fileStore } from "~/modules/files/storage.server";
import { claimPolicy } from "~/modules/claims/eligibility.server";
import { fileClaim } from "~/modules/claims/filing.server";
import { requiredDocuments } from "~/modules/claims/rules";
import { quoteDateIn } from "~/modules/rating/dates";
import { tenantById } from "~/modules/tenancy/resolve.server";
import { createUser, uniqueSlug } from "../support/db";
import type { Browser } from "../support/http";
import { signIn } from "./accounts-support";
import { fakePdf, insertPolicy } from "./customer-policies-fixtures";
import { createStoreTenant } from "./quotes-support";

/**
 * Claims for the back-office tests (not a test file itself), filed through the claimant side's
 * `fileClaim` (its eligibility check, numbering, timeline, workflow and notice), with the documents
 * the claim type needs counted as sent; then moved back to the day a test says it was filed.
 */

/** A 1×1 PNG: an image the workbench previews inline. */
export const TINY_PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

export interface ClaimFixture {
  id: string;
  number: string;
}

export interface ClaimFixtureOptions {
  policyId: string;
  claimantUserId: string;
  filedByUserId?: string;
  claimType?: string;
  claimedMinor?: number;
  incidentDate?: string;
  description?: string;
  flags?: EligibilityFlag[];
  documents?: { kind: string; filename: string; contentType: "image/png" | "application/pdf" }[];
  /** When the claim was filed (default now). */
  filedAt?: Date;
}

export async function fileTestClaim(tenantId: string, options: ClaimFixtureOptions): Promise<ClaimFixture> {
  const tenant = await tenantById(tenantId);
  if (!tenant) throw new Error("No such tenant");
  const workflow = claimWorkflow(tenant, `http://${tenant.slug}.localhost`);
  const filedAt = options.filedAt ?? new Date();
  const claimType = options.claimType ?? "accident";
  const files = (options.documents ?? []).map((d) => ({
    ...d,
    key: fileKey(tenantId, "claim-documents", d.filename),
    body: d.contentType === "image/png" ? TINY_PNG : fakePdf(d.filename),
  }));
  const claim = await withTenant(tenantId, async (db) => {
    const policy = await claimPolicy(db, options.policyId);
    if (!policy) throw new Error("No such policy");
    const filed = await fileClaim(db, workflow, {
      actor: { userId: options.filedByUserId ?? options.claimantUserId, roles: ["customer"] },
      policyId: options.policyId,
      claimType,
      incidentDate: options.incidentDate ?? quoteDateIn(tenant.timeZone, filedAt),
      incidentPlace: "Mombasa Road, Nairobi",
      description: options.description ?? "Rear-ended at a traffic light.",
      claimedMinor: options.claimedMinor ?? 12_000_000,
      currency: policy.currency,
      facilityId: null,
      providedDocuments: requiredDocuments(policy.claimFamily, claimType, policy.claimRules).map((d) => d.code),
    });
    if (!filed.ok) throw new Error(`The claim was not filed: ${JSON.stringify(filed.errors)}`);
    const id = filed.claim.id;
    await db
      .updateTable("claims")
      .set({ created_at: filedAt, updated_at: filedAt, ...(options.flags ? { eligibility_flags: JSON.stringify(options.flags) } : {}) })
      .where("id", "=", id)
      .execute();
    for (const f of files) {
      await db
        .insertInto("claim_documents")
        .values({
          claim_id: id,
          kind: f.kind,
          file_key: f.key,
          filename: f.filename,
          content_type: f.contentType,
          size_bytes: f.body.length,
          uploaded_by: options.claimantUserId,
        })
        .execute();
    }
    return { id, number: filed.claim.claim_number };
  });
  // Rows first, files after (as uploads are stored).
  for (const f of files) await fileStore().put(f.key, f.body, { contentType: f.contentType });
  return claim;
}

/** A product's claim rules (excess, yearly limit, documents per claim type). */
export async function setClaimRules(tenantId: string, productSlug: string, rules: ProductClaimRules): Promise<void> {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ claim_rules: JSON.stringify(rules) })
      .where("slug", "=", productSlug)
      .execute(),
  );
}

/** The tenant's claim settings, set directly. */
export async function setClaimSettings(tenantId: string, settings: { fourEyesMinor?: number; autoAssign?: boolean }): Promise<void> {
  const values = {
    ...(settings.fourEyesMinor !== undefined ? { four_eyes_minor: settings.fourEyesMinor } : {}),
    ...(settings.autoAssign !== undefined ? { auto_assign: settings.autoAssign } : {}),
  };
  await withTenant(tenantId, (db) =>
    db
      .insertInto("claim_settings")
      .values(values)
      .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
      .execute(),
  );
}

/** The claim as it stands, with its open workflow task. */
export async function claimState(tenantId: string, claimId: string) {
  return withTenant(tenantId, async (db) => {
    const claim = await db.selectFrom("claims").selectAll().where("id", "=", claimId).executeTakeFirstOrThrow();
    const instance = await db
      .selectFrom("workflow_instances")
      .select(["id", "current_stage", "status"])
      .where("subject", "=", "claim")
      .where("subject_id", "=", claimId)
      .executeTakeFirstOrThrow();
    const task = await db
      .selectFrom("workflow_tasks")
      .select(["id", "stage", "assigned_user_id", "due_at", "started_at"])
      .where("instance_id", "=", instance.id)
      .where("status", "=", "open")
      .executeTakeFirst();
    return { claim, stage: instance.current_stage, instanceStatus: instance.status, task };
  });
}

/** The workbench's revision for a form post (what the page showed). */
export async function revisionOf(tenantId: string, claimId: string): Promise<string> {
  return String((await claimState(tenantId, claimId)).claim.revision);
}

export type Person = { id: string; email: string };

/**
 * A fresh agency with the test catalogue (createStoreTenant) and the people a claim meets: two
 * assessors, two claims managers, staff, an admin and two customers with a motor policy each.
 */
export async function claimsAgency(options: { agentNetwork?: boolean } = {}) {
  const tenant = await createStoreTenant();
  if (options.agentNetwork) {
    await withPlatform((db) =>
      db
        .updateTable("tenants")
        .set({ features: JSON.stringify({ marketplace: true, agentNetwork: true }) })
        .where("id", "=", tenant.id)
        .execute(),
    );
  }
  const person = (name: string, role: Role) => createUser(tenant.id, { name, roles: [role], email: `${uniqueSlug(role)}@example.com` });
  const [assessor, assessor2, manager, manager2, staff, admin, customer, customer2] = await Promise.all([
    person("Achieng Assessor", "assessor"),
    person("Baraka Assessor", "assessor"),
    person("Chebet Manager", "claims_manager"),
    person("Dalmas Manager", "claims_manager"),
    person("Esther Staff", "staff"),
    person("Faith Admin", "admin"),
    person("Wanjiku Claimant", "customer"),
    person("Kamau Claimant", "customer"),
  ]);
  const [policy, policy2] = await Promise.all([
    insertPolicy(tenant.id, customer.id, { startDate: "2026-01-01", identifiers: [{ kind: "national_id", masked: "****5678" }] }),
    insertPolicy(tenant.id, customer2.id, { productSlug: "family-medical", startDate: "2026-01-01" }),
  ]);
  return { tenant, assessor, assessor2, manager, manager2, staff, admin, customer, customer2, policy, policy2 };
}
export type ClaimsAgency = Awaited<ReturnType<typeof claimsAgency>>;

/** Signs each person in on the agency's host. */
export async function browsersFor<K extends string>(host: string, people: Record<K, Person>): Promise<Record<K, Browser>> {
  const entries = await Promise.all(Object.entries<Person>(people).map(async ([k, p]) => [k, await signIn(host, p.email)] as const));
  return Object.fromEntries(entries) as Record<K, Browser>;
}

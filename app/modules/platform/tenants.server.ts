import { ensureSandbox } from "~/modules/payments/settings.server";
import { sql } from "kysely";
import { actAsTenant, type PlatformDb } from "~db/client";
import type { TenantBranding, TenantContact } from "~db/schema";
import { recordAudit, recordPlatformAudit } from "~/modules/audit/audit.server";
import { inviteUser, type FieldErrors } from "~/modules/auth/accounts.server";
import { toTenantInfo } from "~/modules/tenancy/resolve.server";
import type { BrandingForm, Onboarding } from "./schemas";
import { lineText } from "~/lib/text";

// The form schemas live in ./schemas (the browser uses them too); the server decides with them.
export { brandingFormSchema, onboardingSchema, suspendSchema, type BrandingForm, type Onboarding } from "./schemas";

export type OperatorActor = { operatorId: string; ip: string | null };

const DEFAULT_BRANDING: TenantBranding = {
  colors: { primary: "#1d3557", primaryContrast: "#ffffff", accent: "#e76f51", surface: "#f5f7fa", text: "#1b1f24" },
};

export async function listTenants(db: PlatformDb) {
  return db
    .selectFrom("tenants")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("users")
          .select(["tenant_id", sql<number>`count(*)::int`.as("user_count")])
          .groupBy("tenant_id")
          .as("u"),
      (join) => join.onRef("u.tenant_id", "=", "tenants.id"),
    )
    .select([
      "tenants.id",
      "tenants.slug",
      "tenants.name",
      "tenants.status",
      "tenants.currency",
      "tenants.locale",
      "tenants.time_zone",
      "tenants.created_at",
    ])
    .select(sql<number>`coalesce(u.user_count, 0)`.as("user_count"))
    .orderBy("tenants.name")
    .execute();
}

export async function findTenant(db: PlatformDb, id: string) {
  if (!lineText().uuid().safeParse(id).success) return undefined;
  const row = await db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? { ...toTenantInfo(row), suspendedReason: row.suspended_reason, createdAt: row.created_at } : undefined;
}

/** People-facing numbers start with a prefix (BWM-POL-…): three letters of the slug by default. */
function numberPrefix(slug: string): string {
  return slug
    .replace(/[^a-z]/g, "")
    .slice(0, 3)
    .toUpperCase()
    .padEnd(2, "X");
}

/**
 * Onboards an agency in one transaction: the tenant, and its first administrator invited by
 * email to set a password. A third agency needs no code change, only this form.
 * `origin(slug)` is the new storefront's origin, which the invitation link points at.
 */
export async function onboardTenant(
  db: PlatformDb,
  input: Onboarding,
  actor: OperatorActor,
  origin: (slug: string) => string,
): Promise<{ ok: true; tenantId: string; adminUserId: string } | { ok: false; errors: FieldErrors }> {
  const slugTaken: FieldErrors = { slug: ["Another agency already uses this address; choose another"] };
  const taken = await db.selectFrom("tenants").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (taken) return { ok: false, errors: slugTaken };
  const row = await db
    .insertInto("tenants")
    .values({
      slug: input.slug,
      name: input.name,
      currency: input.currency,
      locale: input.locale,
      time_zone: input.timeZone,
      features: JSON.stringify({ marketplace: input.marketplace, agentNetwork: input.agentNetwork }),
      branding: JSON.stringify(DEFAULT_BRANDING),
      contact: JSON.stringify({}),
      manifest: JSON.stringify({ numbering: { prefix: numberPrefix(input.slug) } }),
    })
    // Two operators onboarding the same address at once: the second one gets the field error.
    .onConflict((oc) => oc.column("slug").doNothing())
    .returning(["id"])
    .executeTakeFirst();
  if (!row) return { ok: false, errors: slugTaken };
  const tenant = (await findTenant(db, row.id))!;
  const tenantDb = await actAsTenant(db, row.id);
  const invited = await inviteUser(
    tenantDb,
    tenant,
    { name: input.adminName, email: input.adminEmail, role: "admin", origin: origin(input.slug) },
    actor,
  );
  if (!invited.ok) throw new Error("Inviting the first admin of a new tenant cannot conflict");
  // A new agency can try its whole storefront before it has real payment credentials.
  await ensureSandbox(tenantDb, row.id);
  await recordPlatformAudit(db, actor, {
    action: "tenant.onboarded",
    tenantId: row.id,
    targetType: "tenant",
    targetId: row.id,
    details: { slug: input.slug, adminEmail: input.adminEmail },
  });
  return { ok: true, tenantId: row.id, adminUserId: invited.userId };
}

/** The people behind an agency, for its console page: how many accounts, and who administers it. */
export async function tenantPeople(db: PlatformDb, tenantId: string) {
  const count = await db
    .selectFrom("users")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  const admins = await db
    .selectFrom("users")
    .innerJoin("user_roles", (j) => j.onRef("user_roles.user_id", "=", "users.id").onRef("user_roles.tenant_id", "=", "users.tenant_id"))
    .select(["users.id", "users.name", "users.email", "users.status", "users.created_at"])
    .select(sql<boolean>`users.password_hash is null`.as("invitation_pending"))
    .where("users.tenant_id", "=", tenantId)
    .where("user_roles.role", "=", "admin")
    .orderBy("users.created_at")
    .limit(20)
    .execute();
  return { userCount: count.n, admins };
}

export async function updateBranding(db: PlatformDb, tenantId: string, input: BrandingForm, actor: OperatorActor): Promise<boolean> {
  const current = await db
    .selectFrom("tenants")
    .select(["name", "branding", "contact"])
    .where("id", "=", tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (!current) return false;
  const branding: TenantBranding = {
    ...current.branding,
    logoUrl: input.logoUrl || undefined,
    tagline: input.tagline || undefined,
    colors: {
      primary: input.primary,
      primaryContrast: input.primaryContrast,
      accent: input.accent,
      surface: input.surface,
      text: input.text,
    },
  };
  const contact = {
    ...current.contact,
    email: input.contactEmail || undefined,
    phone: input.contactPhone || undefined,
    address: input.contactAddress || undefined,
  };
  await db
    .updateTable("tenants")
    .set({ name: input.name, branding: JSON.stringify(branding), contact: JSON.stringify(contact), updated_at: new Date() })
    .where("id", "=", tenantId)
    .execute();
  // What changed, so the audit log answers "who renamed this agency?" without a diff tool.
  const before = { name: current.name, ...flatBranding(current.branding, current.contact) };
  const after = { name: input.name, ...flatBranding(branding, contact) };
  const changed = Object.keys(after).filter((k) => before[k as keyof typeof before] !== after[k as keyof typeof after]);
  await recordPlatformAudit(db, actor, {
    action: "tenant.branding_updated",
    tenantId,
    targetType: "tenant",
    targetId: tenantId,
    details: { changed, ...(changed.includes("name") ? { previousName: current.name } : {}) },
  });
  return true;
}

function flatBranding(branding: TenantBranding, contact: TenantContact) {
  return {
    tagline: branding.tagline,
    logoUrl: branding.logoUrl,
    ...branding.colors,
    contactEmail: contact.email,
    contactPhone: contact.phone,
    contactAddress: contact.address,
  };
}

/** Suspends or reactivates an agency; the tenant's own audit log records it too. */
export async function setTenantStatus(
  db: PlatformDb,
  tenantId: string,
  input: { status: "active" | "suspended"; reason?: string },
  actor: OperatorActor,
): Promise<boolean> {
  const updated = await db
    .updateTable("tenants")
    .set({ status: input.status, suspended_reason: input.status === "suspended" ? (input.reason ?? null) : null, updated_at: new Date() })
    .where("id", "=", tenantId)
    .where("status", "!=", input.status)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return false;
  const action = input.status === "suspended" ? "tenant.suspended" : "tenant.reactivated";
  await recordPlatformAudit(db, actor, { action, tenantId, targetType: "tenant", targetId: tenantId, details: { reason: input.reason } });
  await recordAudit(
    await actAsTenant(db, tenantId),
    { operatorId: actor.operatorId, ip: actor.ip },
    { action, targetType: "tenant", targetId: tenantId, details: { reason: input.reason } },
  );
  return true;
}

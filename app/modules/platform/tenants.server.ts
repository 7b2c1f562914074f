import { sql } from "kysely";
import { z } from "zod";
import { actAsTenant, type PlatformDb } from "~db/client";
import type { TenantBranding } from "~db/schema";
import { recordAudit, recordPlatformAudit } from "~/modules/audit/audit.server";
import { inviteUser, type FieldErrors } from "~/modules/auth/accounts.server";
import { brandingSchema, currencySchema, localeSchema, SLUG_PATTERN, timeZoneSchema } from "~/modules/tenancy/manifest";
import { toTenantInfo } from "~/modules/tenancy/resolve.server";

// Hosts the platform itself uses can never be an agency's slug.
const RESERVED_SLUGS = new Set(["www", "api", "admin", "console", "app", "platform", "covera", "mail", "static", "assets"]);

export const onboardingSchema = z.object({
  slug: z
    .string({ required_error: "Choose the agency's web address" })
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, "3–40 lowercase letters, digits or dashes, starting with a letter")
    .refine((s) => !RESERVED_SLUGS.has(s), "This address is reserved"),
  name: z.string({ required_error: "Enter the agency's name" }).trim().min(2, "At least 2 characters").max(120),
  currency: currencySchema,
  locale: localeSchema,
  timeZone: timeZoneSchema,
  marketplace: z.boolean().default(true),
  agentNetwork: z.boolean().default(false),
  adminName: z.string({ required_error: "Enter the first administrator's name" }).trim().min(2).max(120),
  adminEmail: z.string({ required_error: "Enter the first administrator's email" }).trim().toLowerCase().email("Enter a valid email"),
});
export type Onboarding = z.infer<typeof onboardingSchema>;

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
  if (!z.string().uuid().safeParse(id).success) return undefined;
  const row = await db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? { ...toTenantInfo(row), suspendedReason: row.suspended_reason, createdAt: row.created_at } : undefined;
}

/**
 * Onboards an agency in one transaction: the tenant, and its first administrator invited by
 * email to set a password. A third agency needs no code change, only this form.
 */
export async function onboardTenant(
  db: PlatformDb,
  input: Onboarding,
  actor: { operatorId: string; ip: string | null },
  origin: (slug: string) => string,
): Promise<{ ok: true; tenantId: string } | { ok: false; errors: FieldErrors }> {
  const taken = await db.selectFrom("tenants").select("id").where("slug", "=", input.slug).executeTakeFirst();
  if (taken) return { ok: false, errors: { slug: ["Another agency already uses this address"] } };
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
      manifest: JSON.stringify({ numbering: { prefix: input.slug.replace(/-/g, "").slice(0, 3).toUpperCase() } }),
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  const tenant = (await findTenant(db, row.id))!;
  const tenantDb = await actAsTenant(db, row.id);
  const invited = await inviteUser(
    tenantDb,
    tenant,
    { name: input.adminName, email: input.adminEmail, role: "admin", origin: origin(input.slug) },
    actor,
  );
  if (!invited.ok) throw new Error("Inviting the first admin of a new tenant cannot conflict");
  await recordPlatformAudit(db, actor, {
    action: "tenant.onboarded",
    tenantId: row.id,
    targetType: "tenant",
    targetId: row.id,
    details: { slug: input.slug },
  });
  return { ok: true, tenantId: row.id };
}

export const brandingFormSchema = z.object({
  name: z.string().trim().min(2, "At least 2 characters").max(120),
  tagline: z.string().trim().max(160).optional(),
  logoUrl: z
    .string()
    .trim()
    .refine((v) => v.startsWith("/") || /^https:\/\//.test(v), "Use a path like /tenants/acme/logo.svg or an https:// address")
    .optional(),
  primary: brandingSchema.shape.colors.shape.primary,
  primaryContrast: brandingSchema.shape.colors.shape.primaryContrast,
  accent: brandingSchema.shape.colors.shape.accent,
  surface: brandingSchema.shape.colors.shape.surface,
  text: brandingSchema.shape.colors.shape.text,
  contactEmail: z.string().trim().email("Enter a valid email").optional(),
  contactPhone: z.string().trim().max(40).optional(),
  contactAddress: z.string().trim().max(200).optional(),
});
export type BrandingForm = z.infer<typeof brandingFormSchema>;

export async function updateBranding(
  db: PlatformDb,
  tenantId: string,
  input: BrandingForm,
  actor: { operatorId: string; ip: string | null },
): Promise<boolean> {
  const current = await db.selectFrom("tenants").select(["branding", "contact"]).where("id", "=", tenantId).executeTakeFirst();
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
  await recordPlatformAudit(db, actor, { action: "tenant.branding_updated", tenantId, targetType: "tenant", targetId: tenantId });
  return true;
}

/** Suspends or reactivates an agency; the tenant's own audit log records it too. */
export async function setTenantStatus(
  db: PlatformDb,
  tenantId: string,
  input: { status: "active" | "suspended"; reason?: string },
  actor: { operatorId: string; ip: string | null },
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

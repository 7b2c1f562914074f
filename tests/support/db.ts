import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { withPlatform, withTenant } from "~db/client";
import type { Database, Role } from "~db/schema";
import { hashPassword } from "~/modules/auth/password.server";

let owner: Kysely<Database> | undefined;

/** The owner (superuser) connection: for assertions that must see every tenant's rows. */
export function ownerDb(): Kysely<Database> {
  owner ??= new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 }) }),
  });
  return owner;
}

let counter = 0;
export function uniqueSlug(prefix = "t"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 40);
}

/** A fresh tenant for one test, so tests never depend on each other's data. */
export async function createTenant(overrides: { slug?: string; name?: string; status?: "active" | "suspended" } = {}) {
  const slug = overrides.slug ?? uniqueSlug();
  return withPlatform(async (db) =>
    db
      .insertInto("tenants")
      .values({
        slug,
        name: overrides.name ?? `Agency ${slug}`,
        status: overrides.status ?? "active",
        currency: "KES",
        locale: "en-KE",
        time_zone: "Africa/Nairobi",
        features: JSON.stringify({ marketplace: true, agentNetwork: false }),
        branding: JSON.stringify({
          colors: { primary: "#123456", primaryContrast: "#ffffff", accent: "#ff9900", surface: "#f5f5f5", text: "#111111" },
        }),
        contact: JSON.stringify({}),
        manifest: JSON.stringify({ numbering: { prefix: "TST" } }),
      })
      .returning(["id", "slug", "name"])
      .executeTakeFirstOrThrow(),
  );
}

export const TEST_PASSWORD = "Correct#horse1";

export async function createUser(
  tenantId: string,
  options: { email?: string; name?: string; roles?: Role[]; password?: string; verified?: boolean } = {},
) {
  const email = options.email ?? `${uniqueSlug("u")}@example.com`;
  const passwordHash = await hashPassword(options.password ?? TEST_PASSWORD);
  return withTenant(tenantId, async (db) => {
    const user = await db
      .insertInto("users")
      .values({
        email,
        name: options.name ?? "Test Person",
        password_hash: passwordHash,
        email_verified_at: options.verified === false ? null : new Date(),
      })
      .returning(["id", "email"])
      .executeTakeFirstOrThrow();
    await db.insertInto("password_history").values({ user_id: user.id, password_hash: passwordHash }).execute();
    await db
      .insertInto("user_roles")
      .values((options.roles ?? ["customer"]).map((role) => ({ user_id: user.id, role })))
      .execute();
    return user;
  });
}

/** Waits for a condition the job worker brings about (an email delivered to the outbox). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("Timed out waiting for a condition");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The newest message to an address, as the outbox shows it (status 'outbox' once delivered). */
export async function latestMessage(tenantId: string, to: string, template?: string) {
  return withTenant(tenantId, (db) => {
    let q = db.selectFrom("messages").selectAll().where("recipient", "=", to);
    if (template) q = q.where("template", "=", template);
    return q.orderBy("created_at", "desc").executeTakeFirst();
  });
}

/** Pulls a token out of an email body's link. */
export function tokenFrom(body: string): string {
  const match = body.match(/token=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error(`No token link in: ${body}`);
  return match[1]!;
}

/**
 * The backup test's helper process (`node --import tsx tests/support/restore-child.ts <command>`),
 * against the cluster in DATABASE_URL, with the app's own runtime roles (APP_/PLATFORM_DATABASE_URL
 * derived from it): a process of its own because env() and the pools are per process.
 *
 *   seed           migrate and seed (the demo tenants)
 *   read <tenant>  what the app sees of a tenant: through withTenant (covera_app, under RLS) and
 *                  withPlatform (covera_platform)
 */
import { closeDb, withPlatform, withTenant } from "~db/client";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { env } from "~/lib/env.server";

async function main() {
  const [command, tenantId] = process.argv.slice(2);
  if (command === "seed") {
    const config = env();
    await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
    return seed();
  }
  if (command === "read" && tenantId) {
    const tenant = await withTenant(tenantId, async (db) => ({
      user: (await db.selectFrom("users").select(["email"]).orderBy("email").execute()).map((u) => u.email),
      policies: await db.selectFrom("policies").select(["id", "policy_number", "certificate_file_key"]).orderBy("id").execute(),
      receipts: (await db.selectFrom("receipts").select(["file_key"]).orderBy("file_key").execute()).map((r) => r.file_key),
      beneficiaries: (await db.selectFrom("beneficiaries").select(["name"]).orderBy("name").execute()).map((b) => b.name),
      products: Number(
        (
          await db
            .selectFrom("products")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    }));
    const tenants = await withPlatform(async (db) =>
      (await db.selectFrom("tenants").select(["slug"]).orderBy("slug").execute()).map((t) => t.slug),
    );
    return { ...tenant, tenants };
  }
  throw new Error(`Unknown command: ${process.argv.slice(2).join(" ")}`);
}

const result = await main();
await closeDb();
console.log(`RESULT ${JSON.stringify(result)}`);

import { sql } from "kysely";
import { seedTenantHistory } from "~/modules/demo/history.server";
import { tenantById, tenantOrigin } from "~/modules/tenancy/resolve.server";
import { logger } from "~/lib/log.server";
import { withPlatform, withTenant } from "./client";
import { loadManifests } from "./seed";

/**
 * The demo history (`tenants/<slug>/history.json`): a year of customers, policies, payments, an
 * agent network's sales, ledger, statements and payouts, played through the app's own modules
 * (app/modules/demo/history.server.ts). `npm run dev` runs it after `seed()`; the test suite does
 * not (its tests count on the demo agencies as the manifests alone make them).
 *
 * Once per agency: a finished history is marked in the tenant's settings (`demoHistory`), and a
 * later run finds the mark and adds nothing. The agencies play side by side (two cores: one
 * agency's database round trips overlap the other's work).
 */
export async function seedDemoHistory(options: { dir?: string; now?: Date } = {}): Promise<{ seeded: string[]; skipped: string[] }> {
  const now = options.now ?? new Date();
  const manifests = (await loadManifests(options.dir)).filter((m) => m.history);
  const seeded: string[] = [];
  const skipped: string[] = [];
  await Promise.all(
    manifests.map(async (manifest) => {
      const tenant = await withPlatform((db) =>
        db.selectFrom("tenants").select(["id", "settings"]).where("slug", "=", manifest.slug).executeTakeFirst(),
      );
      if (!tenant) throw new Error(`Seed ${manifest.slug} before its demo history`);
      if ((tenant.settings as { demoHistory?: unknown }).demoHistory) return void skipped.push(manifest.slug);
      const history = manifest.history!;
      // A history that stopped half-way (an error, Ctrl-C) left its first new customer behind.
      const demoEmails = new Set([...manifest.demoUsers, ...(manifest.network?.demoAgents ?? [])].map((u) => u.email.toLowerCase()));
      const someone = [...history.customers, ...history.members].map((p) => p.email).find((e) => !demoEmails.has(e));
      if (someone && (await hasUser(tenant.id, someone))) {
        logger.warn(`${manifest.slug}: a demo history was started here before and did not finish; delete .data to seed it afresh`);
        return void skipped.push(manifest.slug);
      }
      const info = (await tenantById(tenant.id))!;
      const password = manifest.demoUsers[0]?.password;
      if (!password) throw new Error(`${manifest.slug}: a demo history needs the manifest's demo users`);
      await seedTenantHistory(info, history, { now, origin: await tenantOrigin(info), password });
      await withPlatform((db) =>
        db
          .updateTable("tenants")
          .set({ settings: sql`jsonb_set(settings, '{demoHistory}', ${JSON.stringify({ seededAt: now.toISOString() })}::jsonb)` })
          .where("id", "=", tenant.id)
          .execute(),
      );
      seeded.push(manifest.slug);
    }),
  );
  return { seeded: seeded.sort(), skipped: skipped.sort() };
}

async function hasUser(tenantId: string, email: string): Promise<boolean> {
  return Boolean(await withTenant(tenantId, (db) => db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()));
}

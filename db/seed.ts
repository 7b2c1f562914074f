import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { hashPassword } from "~/modules/auth/password.server";
import { catalogueSchema, type Catalogue } from "~/modules/catalogue/manifest";
import { seedCatalogue } from "~/modules/catalogue/seed.server";
import { seedCommissionRules } from "~/modules/commissions/seed.server";
import { historyManifestSchema, type HistoryManifest } from "~/modules/demo/manifest";
import { networkManifestSchema, type NetworkManifest } from "~/modules/network/manifest";
import { seedDemoNetwork } from "~/modules/network/seed.server";
import { facilitiesManifestSchema, type FacilitiesManifest } from "~/modules/facilities/schemas";
import { loadFacilities } from "~/modules/facilities/import.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { checkedManifestSchema, type Manifest } from "~/modules/tenancy/manifest";
import { sql } from "kysely";
import { withPlatform, withTenant } from "./client";

export const DEMO_OPERATOR = { email: "operator@covera.demo", name: "Covera Operations", password: "Demo#2026pass" };

/** Reads and validates every `tenants/<slug>/manifest.json`; a bad manifest stops the seed with its path. */
export async function loadManifests(dir = "tenants"): Promise<SeedManifest[]> {
  const manifests: SeedManifest[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name, "manifest.json");
    const parsed = checkedManifestSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
    if (!parsed.success) {
      throw new Error(
        `${file} is not a valid manifest:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
      );
    }
    if (parsed.data.slug !== entry.name) throw new Error(`${file}: slug "${parsed.data.slug}" must match its folder "${entry.name}"`);
    manifests.push({
      ...parsed.data,
      catalogue: await loadBeside(path.join(dir, entry.name, "catalogue.json"), catalogueSchema, "catalogue"),
      network: await loadBeside(path.join(dir, entry.name, "network.json"), networkManifestSchema, "network file"),
      facilities: await loadBeside(path.join(dir, entry.name, "facilities.json"), facilitiesManifestSchema, "facilities file"),
      history: await loadBeside(path.join(dir, entry.name, "history.json"), historyManifestSchema, "demo history"),
    });
  }
  return manifests;
}

/**
 * A manifest with the files beside it, each optional and validated: its catalogue (`catalogue.json`),
 * agent network (`network.json`), directory of hospitals and clinics (`facilities.json`) and demo history
 * (`history.json`, played only by `npm run dev`).
 */
export type SeedManifest = Omit<Manifest, "catalogue"> & {
  catalogue?: Catalogue;
  network?: NetworkManifest;
  facilities?: FacilitiesManifest;
  history?: HistoryManifest;
};

/** One of a manifest's optional files, validated by its schema; a bad one stops the seed with its path. */
async function loadBeside<T extends z.ZodTypeAny>(file: string, schema: T, what: string): Promise<z.output<T> | undefined> {
  let raw: string;
  try {
    raw = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(`${file} is not a valid ${what}:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return parsed.data as z.output<T>;
}

/**
 * Loads the manifests, their demo users and a platform operator. Idempotent: a second run
 * changes nothing. A tenant is rewritten from its manifest only when the manifest file changed,
 * so branding edited in the operator console survives restarts.
 */
export async function seed(options: { dir?: string } = {}): Promise<{ tenants: string[] }> {
  const manifests = await loadManifests(options.dir);
  for (const manifest of manifests) {
    const tenantId = await upsertTenant(manifest);
    await withTenant(tenantId, async (db) => {
      await ensureSandbox(db, tenantId);
      for (const demo of manifest.demoUsers) {
        const existing = await db.selectFrom("users").select("id").where("email", "=", demo.email).executeTakeFirst();
        if (existing) continue;
        const passwordHash = await hashPassword(demo.password);
        const user = await db
          .insertInto("users")
          .values({ email: demo.email, name: demo.name, password_hash: passwordHash, email_verified_at: new Date() })
          .returning("id")
          .executeTakeFirstOrThrow();
        await db.insertInto("password_history").values({ user_id: user.id, password_hash: passwordHash }).execute();
        await db
          .insertInto("user_roles")
          .values(demo.roles.map((role) => ({ user_id: user.id, role })))
          .execute();
      }
    });
    await upsertCatalogue(tenantId, manifest);
    await upsertFacilities(tenantId, manifest);
    const network = manifest.network;
    if (network && manifest.features.agentNetwork) {
      await withTenant(tenantId, async (db) => {
        await seedDemoNetwork(db, network, manifest.demoUsers);
        await seedCommissionRules(db, network.rules, { timeZone: manifest.timeZone });
      });
    }
  }
  await withPlatform(async (db) => {
    const existing = await db.selectFrom("platform_operators").select("id").where("email", "=", DEMO_OPERATOR.email).executeTakeFirst();
    if (existing) return;
    const passwordHash = await hashPassword(DEMO_OPERATOR.password);
    const op = await db
      .insertInto("platform_operators")
      .values({ email: DEMO_OPERATOR.email, name: DEMO_OPERATOR.name, password_hash: passwordHash })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("platform_operator_password_history").values({ operator_id: op.id, password_hash: passwordHash }).execute();
  });
  return { tenants: manifests.map((m) => m.slug) };
}

async function upsertTenant(manifest: SeedManifest): Promise<string> {
  // The stored manifest is the agency's identity; the catalogue lives in its own tables and
  // demo passwords live nowhere but the file.
  const {
    catalogue: _catalogue,
    network: _network,
    facilities: _facilities,
    history: _history,
    demoUsers: _demoUsers,
    ...stored
  } = manifest;
  const fields = {
    slug: manifest.slug,
    name: manifest.name,
    currency: manifest.currency,
    locale: manifest.locale,
    time_zone: manifest.timeZone,
    languages: manifest.languages,
    default_language: manifest.defaultLanguage,
    features: JSON.stringify(manifest.features),
    branding: JSON.stringify(manifest.branding),
    contact: JSON.stringify(manifest.contact),
    manifest: JSON.stringify(stored),
  };
  return withPlatform(async (db) => {
    const existing = await db.selectFrom("tenants").select(["id", "manifest"]).where("slug", "=", manifest.slug).executeTakeFirst();
    let id = existing?.id;
    if (!existing) {
      id = (await db.insertInto("tenants").values(fields).returning("id").executeTakeFirstOrThrow()).id;
    } else if (canonical(existing.manifest) !== canonical(stored)) {
      await db
        .updateTable("tenants")
        .set({ ...fields, updated_at: new Date() })
        .where("id", "=", existing.id)
        .execute();
    }
    for (const host of manifest.domains) {
      await db
        .insertInto("tenant_domains")
        .values({ tenant_id: id!, host })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return id!;
  });
}

/**
 * Loads the catalogue when its file changed since the last seed (a hash in the tenant's
 * settings), so a second run changes nothing and back-office edits survive restarts.
 */
async function upsertCatalogue(tenantId: string, manifest: SeedManifest): Promise<void> {
  if (!manifest.catalogue) return;
  const { catalogue } = manifest;
  const hash = createHash("sha256").update(canonical(catalogue)).digest("hex");
  const current = await withPlatform((db) =>
    db.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirstOrThrow(),
  );
  if (current.settings.catalogueHash === hash) return;
  await withTenant(tenantId, (db) => seedCatalogue(db, catalogue, { currency: manifest.currency, timeZone: manifest.timeZone }));
  const settings = {
    ...current.settings,
    levies: catalogue.levies,
    quoteValidityDays: catalogue.quoteValidityDays,
    bundleDiscounts: catalogue.bundleDiscounts,
    catalogueHash: hash,
  };
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({ settings: JSON.stringify(settings) })
      .where("id", "=", tenantId)
      .execute(),
  );
}

/**
 * Loads the directory of hospitals and clinics through the facilities module when its file changed
 * since the last seed (as the catalogue), so back-office edits survive restarts.
 */
async function upsertFacilities(tenantId: string, manifest: SeedManifest): Promise<void> {
  if (!manifest.facilities) return;
  const { facilities } = manifest.facilities;
  const hash = createHash("sha256").update(canonical(facilities)).digest("hex");
  const current = await withPlatform((db) =>
    db.selectFrom("tenants").select("settings").where("id", "=", tenantId).executeTakeFirstOrThrow(),
  );
  if (current.settings.facilitiesHash === hash) return;
  await withTenant(tenantId, (db) => loadFacilities(db, facilities, { userId: null }, "seed"));
  // Merged into the settings in place: they hold the catalogue's levies and hash too.
  await withPlatform((db) =>
    db
      .updateTable("tenants")
      .set({ settings: sql`settings || ${JSON.stringify({ facilitiesHash: hash })}::jsonb` })
      .where("id", "=", tenantId)
      .execute(),
  );
}

/** JSON with sorted keys: jsonb does not keep key order, so compare content, not text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

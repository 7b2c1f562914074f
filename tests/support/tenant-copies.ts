import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { seed } from "~db/seed";

/**
 * Agencies loaded the way the platform loads the demo ones: a copy of a folder under tenants/
 * (manifest, catalogue, network …) under a slug of its own, seeded by `seed`. The fuzz test's
 * writable copies of the demo agencies and the claims benchmark's fifty agencies are made here.
 */
export interface TenantCopy {
  /** The folder under tenants/ to copy. */
  from: string;
  slug: string;
  name: string;
  /** Only these files of the folder (default: all of them). */
  files?: string[];
  /** Changes to the copied manifest beyond slug and name (which are set, with no domains). */
  manifest?: (manifest: Record<string, unknown>) => Record<string, unknown>;
}

export async function seedTenantCopies(copies: TenantCopy[]): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "covera-tenant-copies-"));
  try {
    for (const copy of copies) {
      const source = path.join("tenants", copy.from);
      const target = path.join(dir, copy.slug);
      if (copy.files) {
        await mkdir(target);
        for (const file of copy.files) await cp(path.join(source, file), path.join(target, file));
      } else await cp(source, target, { recursive: true });
      const manifest = JSON.parse(await readFile(path.join(target, "manifest.json"), "utf8")) as Record<string, unknown>;
      // A name of its own too: pages and tests that look an agency up by name must not find two.
      const edited = { ...(copy.manifest?.(manifest) ?? manifest), slug: copy.slug, name: copy.name, domains: [] };
      await writeFile(path.join(target, "manifest.json"), JSON.stringify(edited));
    }
    await seed({ dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

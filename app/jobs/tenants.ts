import type { Task } from "graphile-worker";
import { z } from "zod";
import { runtimeDb, withTenant } from "~db/client";
import { addJob } from "~db/jobs";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { lineText } from "~/lib/text";

/** What every job payload carries (docs/architecture.md §5), and a payload with one more id. */
export const tenantPayload = z.object({ tenantId: lineText().uuid() });
export const withId = <K extends string>(key: K) => tenantPayload.extend({ [key]: lineText().uuid() } as Record<K, z.ZodString>);

export async function requireTenantById(tenantId: string): Promise<TenantInfo> {
  const tenant = await tenantById(tenantId);
  if (!tenant) throw new Error(`No tenant ${tenantId}`);
  return tenant;
}

async function activeTenantIds(): Promise<string[]> {
  const rows = await runtimeDb().selectFrom("tenants").select("id").where("status", "=", "active").execute();
  return rows.map((r) => r.id);
}

/** Cron fan-out: one job per tenant, keyed so a slow run is not stacked on. */
export function fanOut(task: string): Task {
  return async () => {
    for (const tenantId of await activeTenantIds()) {
      await withTenant(tenantId, (db) => addJob(db, task, { tenantId }, { jobKey: `${task}:${tenantId}` }));
    }
  };
}

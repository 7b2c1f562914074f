import { sql, type Kysely } from "kysely";

/**
 * Enables and forces row-level security on a tenant-owned table, keyed on `app.tenant_id`
 * (docs/architecture.md §2). Every migration that adds a tenant-owned table calls this.
 */
export async function enableTenantRls(db: Kysely<any>, table: string): Promise<void> {
  await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  await sql`alter table ${sql.table(table)} force row level security`.execute(db);
  // Inserts inside withTenant need not name the tenant; the policy's check still verifies it.
  await sql`alter table ${sql.table(table)} alter column tenant_id set default current_tenant_id()`.execute(db);
  await sql`
    create policy tenant_isolation on ${sql.table(table)}
    using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()))
  `.execute(db);
}

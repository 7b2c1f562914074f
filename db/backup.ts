import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";

/**
 * Backups (docs/runbooks/backup-and-restore.md). The whole database is pg_dump's custom format.
 * One tenant is an archive of its own rows: the shared tables hold every tenant's rows under
 * row-level security, so pg_dump cannot take one tenant out. The archive is gzipped lines, a JSON
 * header (format, tenant, the migrations applied) then `<table>\t<row as JSON>` for the tenant's
 * row of `tenants` and its rows of every table with a tenant_id column, found in the catalogue so
 * that tables added later are included without a change here.
 */

export const TENANT_ARCHIVE_FORMAT = "covera-tenant-archive";

interface ArchiveHeader {
  format: typeof TENANT_ARCHIVE_FORMAT;
  version: 1;
  createdAt: string;
  tenant: { id: string; slug: string };
  migrations: string[];
  tables: string[];
}

/** Thrown for anything the operator must act on (wrong file, schema mismatch, tenant present). */
export class BackupError extends Error {}

// --- pg_dump and pg_restore --------------------------------------------------------------------

/**
 * A PostgreSQL client program: from PG_BIN when set, else from PATH. It must be at least the
 * server's major version (pg_dump refuses a newer server); `serverMajor` checks that.
 */
export function pgTool(name: "pg_dump" | "pg_restore", serverMajor?: number): { path: string; major: number } {
  const bin = process.env.PG_BIN ? path.join(process.env.PG_BIN, name) : name;
  const result = spawnSync(bin, ["--version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new BackupError(
      `${name} was not found (${process.env.PG_BIN ? `PG_BIN=${process.env.PG_BIN}` : "PATH"}): install PostgreSQL's client programs, or set PG_BIN to their directory.`,
    );
  }
  const major = Number(result.stdout.match(/(\d+)(?:\.\d+)?/)?.[1]);
  if (serverMajor !== undefined && major < serverMajor) {
    throw new BackupError(
      `${name} ${major} cannot work with a PostgreSQL ${serverMajor} server: install the version-${serverMajor} client, or set PG_BIN to it.`,
    );
  }
  return { path: bin, major };
}

export async function serverMajor(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ v: number }>("select current_setting('server_version_num')::int as v");
    return Math.floor(rows[0]!.v / 10000);
  });
}

/** The whole database, every schema (graphile-worker's queue too), in pg_dump's custom format. */
export async function dumpDatabase(url: string, file: string): Promise<void> {
  const tool = pgTool("pg_dump", await serverMajor(url));
  // Written aside and renamed when complete: a failed dump never looks like a finished file.
  const partial = `${file}.partial`;
  try {
    run(tool.path, ["--format=custom", "--file", partial, "--dbname", url]);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Restores a whole-database dump into an empty database, in one transaction, owned by the
 * restoring role (so any owner role works); the caller then runs `migrate`, which recreates the
 * runtime roles' grants (left out of the restore, as the roles may be new to this server).
 */
export async function restoreDatabase(url: string, file: string): Promise<void> {
  const tables = await withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
    );
    return rows[0]!.n;
  });
  if (tables > 0) throw new BackupError("The target database is not empty: restore a whole database into a new, empty one.");
  const tool = pgTool("pg_restore", await serverMajor(url));
  run(tool.path, ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname", url, file]);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new BackupError(`${path.basename(command)} failed (exit ${result.status ?? result.signal})`);
}

/** Which kind of backup a file holds: pg_dump's custom format starts with "PGDMP", ours is gzip. */
export async function backupKind(file: string): Promise<"database" | "tenant"> {
  if (!existsSync(file)) throw new BackupError(`No such file: ${file}`);
  const handle = await open(file, "r");
  try {
    const { buffer } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (buffer.toString("latin1") === "PGDMP") return "database";
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) return "tenant";
  } finally {
    await handle.close();
  }
  throw new BackupError(`${file} is neither a pg_dump custom-format dump nor a tenant archive.`);
}

// --- one tenant ----------------------------------------------------------------------------------

/** Writes one tenant's archive, from one consistent snapshot. Returns the rows written per table. */
export async function exportTenant(url: string, slug: string, file: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    await client.query("begin isolation level repeatable read read only");
    try {
      const tenant = (
        await client.query<{ id: string; row: string }>("select id, row_to_json(t)::text as row from tenants t where slug = $1", [slug])
      ).rows[0];
      if (!tenant) throw new BackupError(`No tenant "${slug}" in this database.`);
      // The owner is subject to forced row-level security too: read as the tenant.
      await client.query("select set_config('app.tenant_id', $1, true)", [tenant.id]);
      const tables = await tenantTablesInOrder(client);
      const header: ArchiveHeader = {
        format: TENANT_ARCHIVE_FORMAT,
        version: 1,
        createdAt: new Date().toISOString(),
        tenant: { id: tenant.id, slug },
        migrations: await appliedMigrations(client),
        tables,
      };
      const gzip = createGzip();
      const done = gzip.pipe(createWriteStream(file));
      const write = async (line: string) => {
        if (!gzip.write(line + "\n")) await once(gzip, "drain");
      };
      await write(JSON.stringify(header));
      await write(`tenants\t${tenant.row}`);
      const counts: Record<string, number> = { tenants: 1 };
      for (const table of tables) {
        counts[table] = 0;
        await client.query(
          `declare archive_rows no scroll cursor for select row_to_json(t)::text as row from ${ident(table)} t where tenant_id = $1`,
          [tenant.id],
        );
        for (;;) {
          const { rows } = await client.query<{ row: string }>("fetch 2000 from archive_rows");
          for (const { row } of rows) await write(`${table}\t${row}`);
          counts[table] += rows.length;
          if (rows.length < 2000) break;
        }
        await client.query("close archive_rows");
      }
      gzip.end();
      await once(done, "finish");
      await client.query("commit");
      return counts;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    }
  });
}

/**
 * Restores one tenant's archive in one transaction: refused when the database's migrations differ
 * from the archive's, or when the tenant (its id or slug) is already there; a domain another
 * tenant holds fails the restore as a whole. Rows keep their ids; identity sequences move past them.
 */
export async function importTenant(url: string, file: string): Promise<{ slug: string; counts: Record<string, number> }> {
  const lines = readline.createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  let header: ArchiveHeader;
  try {
    header = JSON.parse(String(first.value)) as ArchiveHeader;
  } catch {
    throw new BackupError(`${file} is not a tenant archive.`);
  }
  if (header.format !== TENANT_ARCHIVE_FORMAT || header.version !== 1)
    throw new BackupError(`${file} is not a tenant archive this version can read.`);

  return withClient(url, async (client) => {
    await client.query("begin");
    try {
      const migrations = await appliedMigrations(client);
      if (migrations.join("\n") !== header.migrations.join("\n")) {
        throw new BackupError(
          `Schema versions differ: the archive was taken at ${header.migrations.at(-1) ?? "no migration"}, this database is at ${migrations.at(-1) ?? "no migration"}. Restore into a database at the archive's version (then migrate it).`,
        );
      }
      const present = await client.query("select slug from tenants where id = $1 or slug = $2", [header.tenant.id, header.tenant.slug]);
      if (present.rowCount)
        throw new BackupError(`Tenant "${header.tenant.slug}" is already in this database: the restore would mix two copies.`);
      await client.query("select set_config('app.tenant_id', $1, true)", [header.tenant.id]);

      const deferred = await deferOutOfOrderReferences(client, ["tenants", ...header.tables]);
      const counts: Record<string, number> = {};
      let table: string | undefined;
      let columns: string[] = [];
      let batch: string[] = [];
      const flush = async () => {
        if (!table || !batch.length) return;
        const list = columns.map(ident).join(", ");
        await client.query(
          `insert into ${ident(table)} (${list}) overriding system value select ${list} from json_populate_recordset(null::${ident(table)}, $1::json)`,
          [`[${batch.join(",")}]`],
        );
        counts[table] = (counts[table] ?? 0) + batch.length;
        batch = [];
      };
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const line = String(next.value);
        if (!line) continue;
        const tab = line.indexOf("\t");
        const name = line.slice(0, tab);
        if (name !== table) {
          await flush();
          if (table) await advanceSequences(client, table);
          if (name !== "tenants" && !header.tables.includes(name))
            throw new BackupError(`The archive has rows of an unexpected table: ${name}`);
          table = name;
          columns = await insertableColumns(client, table);
        }
        batch.push(line.slice(tab + 1));
        if (batch.length >= 1000) await flush();
      }
      await flush();
      if (table) await advanceSequences(client, table);
      // Every reference checked now, then the constraints as they were.
      await client.query("set constraints all immediate");
      for (const { table: child, name } of deferred) {
        await client.query(`alter table ${ident(child)} alter constraint ${ident(name)} not deferrable initially immediate`);
      }
      await client.query("commit");
      return { slug: header.tenant.slug, counts };
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    }
  });
}

/**
 * Every table with a tenant_id column, parents before the tables that refer to them where the
 * references allow it (instalments and transactions refer to each other: one must come first).
 */
async function tenantTablesInOrder(client: pg.Client): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(`
    select c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
    where c.relkind in ('r', 'p') and not c.relispartition order by c.relname`);
  const references = await foreignKeys(client);
  const names = new Set(tables.map((t) => t.name));
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return; // done, or on the path: a cycle, broken here and deferred on import
    seen.add(name);
    for (const r of references) if (r.table === name && names.has(r.parent)) visit(r.parent);
    ordered.push(name);
  };
  for (const name of names) visit(name);
  return ordered;
}

async function foreignKeys(client: pg.Client): Promise<{ table: string; name: string; parent: string; deferrable: boolean }[]> {
  const { rows } = await client.query<{ table: string; name: string; parent: string; deferrable: boolean }>(`
    select c.relname as table, k.conname as name, p.relname as parent, k.condeferrable as deferrable from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = 'public'::regnamespace`);
  return rows;
}

/**
 * The references the archive's order cannot satisfy row by row (to a table restored later, or to
 * the same table: reversals, sponsors) are made deferrable for this transaction only, so they are
 * checked once every row is in. Altering them locks those tables until the restore commits.
 */
async function deferOutOfOrderReferences(client: pg.Client, order: string[]): Promise<{ table: string; name: string }[]> {
  const position = new Map(order.map((name, i) => [name, i]));
  const deferred = (await foreignKeys(client)).filter(
    (k) => !k.deferrable && position.has(k.table) && position.has(k.parent) && position.get(k.parent)! >= position.get(k.table)!,
  );
  for (const { table, name } of deferred) {
    await client.query(`alter table ${ident(table)} alter constraint ${ident(name)} deferrable initially deferred`);
  }
  return deferred;
}

async function insertableColumns(client: pg.Client, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
    [ident(table)],
  );
  return rows.map((r) => r.name);
}

/** Identity and serial sequences are shared by every tenant: move each past the restored ids. */
async function advanceSequences(client: pg.Client, table: string): Promise<void> {
  const { rows } = await client.query<{ column: string; sequence: string }>(
    `select attname as column, pg_get_serial_sequence($1, attname) as sequence from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped and pg_get_serial_sequence($1, attname) is not null`,
    [ident(table)],
  );
  for (const { column, sequence } of rows) {
    await client.query(
      `select setval($1, greatest((select max(${ident(column)}) from ${ident(table)}), (select last_value from ${sequence})))
       where exists (select 1 from ${ident(table)})`,
      [sequence],
    );
  }
}

async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>("select name from schema_migrations order by name");
  return rows.map((r) => r.name);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: "covera-backup" });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new BackupError(`Unexpected table or column name: ${name}`);
  return `"${name}"`;
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";

/**
 * The back office's view of a tenant's accounts. Reads only: changing roles goes through
 * `setUserRoles` (accounts.server.ts), which audits the change.
 */

export const USERS_PAGE_SIZE = 25;

/** Escapes LIKE's wildcards so a search for "a_b" or "50%" means exactly that. */
export function likeContains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const rolesOf = sql<Role[]>`array(select r.role from user_roles r
  where r.tenant_id = users.tenant_id and r.user_id = users.id order by r.role)`;

export interface UserFilters {
  q?: string;
  role?: Role;
  page: number;
}

/** Users of this tenant, newest first, filtered by name/email text and by role. */
export async function listUsers(db: TenantDb, filters: UserFilters) {
  let query = db.selectFrom("users");
  if (filters.q) {
    const pattern = likeContains(filters.q);
    query = query.where((eb) => eb.or([eb("users.name", "ilike", pattern), eb("users.email", "ilike", pattern)]));
  }
  if (filters.role) {
    const role = filters.role;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("user_roles as r")
          .select(sql`1`.as("one"))
          .whereRef("r.tenant_id", "=", "users.tenant_id")
          .whereRef("r.user_id", "=", "users.id")
          .where("r.role", "=", role),
      ),
    );
  }
  // One transaction is one connection: the two queries run one after the other anyway.
  const rows = await query
    .select(["users.id", "users.name", "users.email", "users.status", "users.email_verified_at", "users.created_at"])
    .select(rolesOf.as("roles"))
    .orderBy("users.created_at", "desc")
    .orderBy("users.id")
    .limit(USERS_PAGE_SIZE + 1)
    .offset((filters.page - 1) * USERS_PAGE_SIZE)
    .execute();
  const total = await query.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  return { rows: rows.slice(0, USERS_PAGE_SIZE), hasMore: rows.length > USERS_PAGE_SIZE, total: total.n };
}

/** One user with roles and session facts, or undefined (absent here — including another tenant's id). */
export async function getUserDetail(db: TenantDb, userId: string) {
  return (
    db
      .selectFrom("users")
      .select([
        "users.id",
        "users.name",
        "users.email",
        "users.phone",
        "users.status",
        "users.email_verified_at",
        "users.created_at",
        "users.password_hash",
      ])
      .select(rolesOf.as("roles"))
      .select(
        sql<number>`(select count(*)::int from sessions s where s.tenant_id = users.tenant_id and s.user_id = users.id
        and s.revoked_at is null and s.expires_at > now())`.as("active_sessions"),
      )
      .select(
        sql<Date | null>`(select max(s.last_seen_at) from sessions s where s.tenant_id = users.tenant_id and s.user_id = users.id)`.as(
          "last_seen_at",
        ),
      )
      // Sign-in lockouts are per client network (decision 012): the latest lock in force, from how many networks.
      .select(
        sql<Date | null>`(select max(f.locked_until) from sign_in_failures f where f.tenant_id = users.tenant_id and f.user_id = users.id
        and f.locked_until > now())`.as("locked_until"),
      )
      .select(
        sql<number>`(select count(*)::int from sign_in_failures f where f.tenant_id = users.tenant_id and f.user_id = users.id
        and f.locked_until > now())`.as("locked_networks"),
      )
      .select(
        sql<number>`(select coalesce(sum(f.failed_count), 0)::int from sign_in_failures f where f.tenant_id = users.tenant_id
        and f.user_id = users.id)`.as("failed_login_count"),
      )
      .where("users.id", "=", userId)
      .executeTakeFirst()
      .then((row) => {
        if (!row) return undefined;
        // Never hand a password hash to a page; only whether one is set (an invitation not yet accepted).
        const { password_hash, ...rest } = row;
        return { ...rest, has_password: password_hash !== null };
      })
  );
}

/** The dashboard's numbers: people per role, and accounts that need attention. */
export async function userStats(db: TenantDb, now = new Date()) {
  const byRole = await db
    .selectFrom("user_roles")
    .select(["role", sql<number>`count(*)::int`.as("n")])
    .groupBy("role")
    .execute();
  const totals = await db
    .selectFrom("users")
    .select([
      sql<number>`count(*)::int`.as("total"),
      sql<number>`(count(*) filter (where email_verified_at is null))::int`.as("unverified"),
      sql<number>`(count(*) filter (where exists (select 1 from sign_in_failures f
        where f.tenant_id = users.tenant_id and f.user_id = users.id and f.locked_until > ${now})))::int`.as("locked"),
      sql<number>`(count(*) filter (where password_hash is null))::int`.as("invited"),
    ])
    .executeTakeFirstOrThrow();
  return { byRole: Object.fromEntries(byRole.map((r) => [r.role, r.n])) as Partial<Record<Role, number>>, ...totals };
}

/** What the account page shows about the signed-in person. */
export async function getProfile(db: TenantDb, userId: string) {
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "phone", "email_verified_at", "created_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

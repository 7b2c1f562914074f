import type { TenantDb } from "~db/client";
import { newSecret, sha256 } from "./tokens.server";

/**
 * Partners' API keys (decision 045): created by an agency's admin with scopes, shown once, stored
 * hashed with a visible prefix, revocable. A key acts for the agency, never as a person: it reaches
 * only the routes whose scope it holds.
 */
export const API_SCOPES = {
  "catalogue:read": "Read products, insurers and facilities",
  "quotes:write": "Create and read quotes",
  "policies:read": "Read policies and their documents",
  "claims:read": "Read claims",
  "claims:write": "File claims and add documents",
  "members:read": "Read members and their benefits",
  "network:read": "Read agents, sales and commissions",
} as const;

export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

export function isApiScope(value: string): value is ApiScope {
  return value in API_SCOPES;
}

export interface ApiKeyPrincipal {
  id: string;
  name: string;
  scopes: ApiScope[];
}

/** Creates a key; the returned `key` is the only time anyone sees it. */
export async function createApiKey(
  db: TenantDb,
  input: { name: string; scopes: ApiScope[]; createdBy: string },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `cvk_${newSecret()}`;
  const prefix = key.slice(0, 12);
  const row = await db
    .insertInto("api_keys")
    .values({ name: input.name, prefix, key_hash: sha256(key), scopes: [...new Set(input.scopes)], created_by: input.createdBy })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, key, prefix };
}

export async function revokeApiKey(db: TenantDb, id: string, revokedBy: string): Promise<boolean> {
  const result = await db
    .updateTable("api_keys")
    .set({ revoked_at: new Date(), revoked_by: revokedBy })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The live key a partner presented, or null. Touches `last_used_at` at most once a minute. */
export async function findApiKey(db: TenantDb, key: string): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith("cvk_") || key.length > 200) return null;
  const row = await db
    .selectFrom("api_keys")
    .select(["id", "name", "scopes", "last_used_at"])
    .where("key_hash", "=", sha256(key))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable("api_keys").set({ last_used_at: new Date() }).where("id", "=", row.id).execute();
  }
  return { id: row.id, name: row.name, scopes: row.scopes.filter(isApiScope) };
}

export async function listApiKeys(db: TenantDb) {
  return db
    .selectFrom("api_keys")
    .select(["id", "name", "prefix", "scopes", "created_at", "created_by", "last_used_at", "revoked_at"])
    .orderBy("created_at", "desc")
    .execute();
}

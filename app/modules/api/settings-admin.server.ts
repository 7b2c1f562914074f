import { z } from "zod";
import type { TenantDb } from "~db/client";
import { lineText, multilineText } from "~/lib/text";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { API_SCOPE_NAMES, createApiKey, isApiScope, revokeApiKey, type ApiScope } from "~/modules/auth/api-keys.server";

/**
 * What an agency's admin sets for its API (decision 045): partners' keys, the sites allowed to call
 * the API from a browser (CORS), and the hourly allowances. The plumbing reads them on every call
 * (`endpoint.server.ts`); this is only where they are written and audited.
 */
export const MAX_ORIGINS = 20;
export const DEFAULT_ALLOWANCES = { anonymousPerHour: 100, authenticatedPerHour: 1000 };

/**
 * One allowed origin: https, or plain http only on localhost (an app in development). Exactly an
 * origin, since the browser's Origin header is compared as written: no path, no trailing slash.
 */
export function originProblem(line: string): string | null {
  let url: URL;
  try {
    url = new URL(line);
  } catch {
    return `“${line}” is not a web address`;
  }
  const local = url.hostname === "localhost" || url.hostname.endsWith(".localhost") || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    return `“${line}” must start with https:// (plain http:// only for localhost)`;
  }
  if (url.origin !== line) return `“${line}” must be only the website's origin, such as ${url.origin}, with no path or trailing slash`;
  return null;
}

const allowance = () =>
  z.coerce
    .number({ invalid_type_error: "Enter a whole number of calls an hour" })
    .int("Enter a whole number of calls an hour")
    .min(1, "Allow at least 1 call an hour")
    .max(1_000_000, "Allow at most 1,000,000 calls an hour");

export const apiSettingsSchema = z.object({
  origins: multilineText()
    .optional()
    .transform((text) => [
      ...new Set(
        (text ?? "")
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ])
    .superRefine((origins, ctx) => {
      if (origins.length > MAX_ORIGINS) ctx.addIssue({ code: "custom", message: `Allow at most ${MAX_ORIGINS} websites` });
      for (const origin of origins) {
        const problem = originProblem(origin);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }
    }),
  anonymousPerHour: allowance(),
  authenticatedPerHour: allowance(),
});

export type ApiSettingsInput = z.output<typeof apiSettingsSchema>;

export async function apiSettings(db: TenantDb) {
  const row = await db
    .selectFrom("api_settings")
    .select(["allowed_origins", "anonymous_per_hour", "authenticated_per_hour"])
    .executeTakeFirst();
  return {
    origins: row?.allowed_origins ?? [],
    anonymousPerHour: row?.anonymous_per_hour ?? DEFAULT_ALLOWANCES.anonymousPerHour,
    authenticatedPerHour: row?.authenticated_per_hour ?? DEFAULT_ALLOWANCES.authenticatedPerHour,
  };
}

export async function saveApiSettings(db: TenantDb, input: ApiSettingsInput, actor: Actor): Promise<void> {
  const values = {
    allowed_origins: input.origins,
    anonymous_per_hour: input.anonymousPerHour,
    authenticated_per_hour: input.authenticatedPerHour,
    updated_at: new Date(),
  };
  await db
    .insertInto("api_settings")
    .values(values)
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet(values))
    .execute();
  await recordAudit(db, actor, { action: "api.settings_saved", targetType: "api_settings", targetId: "api", details: { ...input } });
}

export const newKeySchema = z.object({
  name: lineText("Name the key after the partner or integration")
    .min(1, "Name the key after the partner or integration")
    .max(80, "Keep the name under 80 characters"),
  scopes: z
    .array(lineText())
    .transform((list) => list.filter(isApiScope))
    .refine((list) => list.length > 0, "Choose at least one thing the key may do"),
});

export { API_SCOPE_NAMES };

/** Creates a key and records who did; the key itself is returned once and never stored. */
export async function createKeyFor(db: TenantDb, input: { name: string; scopes: ApiScope[] }, actor: Actor & { userId: string }) {
  const created = await createApiKey(db, { ...input, createdBy: actor.userId });
  await recordAudit(db, actor, {
    action: "api.key_created",
    targetType: "api_key",
    targetId: created.id,
    details: { name: input.name, prefix: created.prefix, scopes: input.scopes },
  });
  return created;
}

export async function revokeKeyFor(db: TenantDb, keyId: string, actor: Actor & { userId: string }): Promise<boolean> {
  const revoked = await revokeApiKey(db, keyId, actor.userId);
  if (revoked) await recordAudit(db, actor, { action: "api.key_revoked", targetType: "api_key", targetId: keyId });
  return revoked;
}

import type { TenantDb } from "~db/client";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { identifierKindsFor } from "~/modules/checkout/steps";
import { blindIndex, encryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { maskIdentifier, type IdentifierKind } from "~/modules/pii/identifiers";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { pendingEmailChange } from "./email-change.server";
import { pendingAccountPhone } from "./phone.server";

/**
 * The customer's profile (issue 13 item 6): name, phone, email and their own identity numbers.
 * Identity numbers are the agency country's (Kenya: national ID and KRA PIN; Malaysia: NRIC),
 * re-entered in full to change and stored as checkout stores an order's (encrypted, blind-indexed,
 * masked: docs/architecture.md §3); only the mask ever leaves this module.
 */

export type AccountIdentifierKind = Exclude<IdentifierKind, "bank_account">;

export function accountIdentifierKinds(tenant: Pick<TenantInfo, "currency">): AccountIdentifierKind[] {
  return identifierKindsFor(tenant).filter((k): k is AccountIdentifierKind => k !== "bank_account");
}

export async function profileOf(db: TenantDb, tenant: Pick<TenantInfo, "currency">, userId: string, now = new Date()) {
  const user = await db
    .selectFrom("users")
    .select(["id", "name", "email", "phone", "email_verified_at", "created_at", "language"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return null;
  const [identifiers, phoneCode, emailChange] = await Promise.all([
    db.selectFrom("user_identifiers").select(["kind", "masked"]).where("user_id", "=", userId).execute(),
    pendingAccountPhone(db, userId, now),
    pendingEmailChange(db, userId, now),
  ]);
  return {
    user,
    identifiers: accountIdentifierKinds(tenant).map((kind) => ({
      kind,
      masked: identifiers.find((i) => i.kind === kind)?.masked ?? null,
    })),
    phoneCode: phoneCode ?? null,
    emailChange: emailChange ?? null,
  };
}

export async function renameAccount(db: TenantDb, userId: string, name: string, actor: Actor, now = new Date()): Promise<void> {
  await db.updateTable("users").set({ name, updated_at: now }).where("id", "=", userId).execute();
  await recordAudit(db, actor, { action: "account.name_changed", targetType: "user", targetId: userId });
}

/**
 * Stores each number given (normalised by the form's schema) of a kind the agency's country uses;
 * a number left empty keeps the stored one.
 */
export async function saveAccountIdentifiers(
  db: TenantDb,
  tenant: Pick<TenantInfo, "id" | "currency">,
  userId: string,
  values: Partial<Record<AccountIdentifierKind, string>>,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const key = piiKeysFromEnv();
  const kinds: AccountIdentifierKind[] = [];
  for (const kind of accountIdentifierKinds(tenant)) {
    const normalised = values[kind];
    if (!normalised) continue;
    const context = piiContext(tenant.id, kind);
    const stored = {
      ciphertext: encryptPii(normalised, { key, context }),
      blind_index: blindIndex(normalised, { key, context }),
      masked: maskIdentifier(kind, normalised),
      updated_at: now,
    };
    await db
      .insertInto("user_identifiers")
      .values({ user_id: userId, kind, ...stored })
      .onConflict((oc) => oc.columns(["tenant_id", "user_id", "kind"]).doUpdateSet(stored))
      .execute();
    kinds.push(kind);
  }
  // The kinds changed, never the numbers: the audit log is read by more people than the numbers are.
  if (kinds.length)
    await recordAudit(db, actor, { action: "account.identifiers_changed", targetType: "user", targetId: userId, details: { kinds } });
}

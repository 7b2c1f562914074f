import { sql } from "kysely";
import { revokeUserFamilies } from "~/modules/auth/api-tokens.server";
import type { TenantDb } from "~db/client";
import type { Role } from "~db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { verifyPassword } from "~/modules/auth/password.server";
import { notify } from "~/modules/notifications/notify.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { recordStateChange } from "~/modules/workflows/timeline.server";
import { exportKey } from "./exports.server";

/**
 * "Close my account" (right to erasure, within the law's retention; decision 034). In one
 * transaction: personal data is removed or anonymised, the financial and insurance records stay
 * (policies and their versions, instalments, payments, refunds, receipts, claims' amounts and
 * decisions, settlements, the commission ledger), the person's uploads go (rows here, files after
 * the commit: `filesToDelete`), every session ends and the account can never sign in again. The
 * address becomes free: the same email may register a new, unrelated account later.
 */

export const CLOSED_NAME = "Closed account";
/** `.invalid` is reserved (RFC 2606): mail to it can never be delivered to anyone. */
export const closedEmail = (userId: string) => `closed-${userId}@closed.invalid`;
export const ERASED = "erased";

const LIVE_POLICY = ["active", "grace", "pending_underwriting", "pending_payment"] as const;
const FINISHED_CLAIM = ["settled", "rejected", "withdrawn"] as const;

export interface ClosureBlocker {
  code: "not_customer" | "active_policy" | "open_claim" | "payment_in_progress";
  message: string;
  /** The policy or claim numbers the message names, for the page to say it in the reader's words. */
  numbers?: string[];
}

/** Why the account cannot be closed yet, in the customer's words; empty when it can. */
export async function closureBlockers(db: TenantDb, userId: string, roles: readonly Role[]): Promise<ClosureBlocker[]> {
  const blockers: ClosureBlocker[] = [];
  if (roles.some((r) => r !== "customer")) {
    blockers.push({
      code: "not_customer",
      message: "This account also works for the agency (as staff or an agent). Ask an administrator to close it.",
    });
  }
  const policies = await db
    .selectFrom("policies")
    .select(["policy_number", "status"])
    .where("user_id", "=", userId)
    .where("status", "in", LIVE_POLICY)
    .execute();
  if (policies.length) {
    const numbers = policies.map((p) => p.policy_number).filter(Boolean);
    blockers.push({
      code: "active_policy",
      numbers: numbers as string[],
      message: `You still have cover in force or on its way${numbers.length ? ` (${numbers.join(", ")})` : ""}. Cancel it first, then close your account.`,
    });
  }
  const claims = await db
    .selectFrom("claims")
    .select("claim_number")
    .where("claimant_user_id", "=", userId)
    .where("status", "not in", FINISHED_CLAIM)
    .execute();
  if (claims.length) {
    blockers.push({
      code: "open_claim",
      numbers: claims.map((c) => c.claim_number),
      message: `Your claim${claims.length > 1 ? "s" : ""} ${claims.map((c) => c.claim_number).join(", ")} ${claims.length > 1 ? "are" : "is"} still open. Close your account once ${claims.length > 1 ? "they are" : "it is"} decided and paid, or withdraw ${claims.length > 1 ? "them" : "it"}.`,
    });
  }
  const moving = await db
    .selectFrom("transactions as t")
    .select("t.id")
    .where("t.user_id", "=", userId)
    .where((eb) =>
      eb.or([
        eb("t.status", "=", "pending"),
        eb.exists(
          eb
            .selectFrom("refunds as r")
            .select(sql`1`.as("one"))
            .whereRef("r.tenant_id", "=", "t.tenant_id")
            .whereRef("r.transaction_id", "=", "t.id")
            .where("r.status", "in", ["requested", "pending"]),
        ),
      ]),
    )
    .executeTakeFirst();
  if (moving) {
    blockers.push({
      code: "payment_in_progress",
      message: "A payment or a refund to you is still in progress. Please wait until it completes.",
    });
  }
  return blockers;
}

export type ClosureOutcome =
  { ok: true; filesToDelete: string[] } | { ok: false; errors: Record<string, string[]>; blockers?: ClosureBlocker[] };

export async function closeAccount(
  db: TenantDb,
  tenant: TenantInfo,
  user: { id: string; roles: readonly Role[] },
  input: { password: string },
  ctx: { ip: string | null; now?: Date },
): Promise<ClosureOutcome> {
  const now = ctx.now ?? new Date();
  const userId = user.id;
  const account = await db
    .selectFrom("users")
    .select(["id", "name", "email", "phone", "password_hash", "closed_at", "language"])
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  if (!account || account.closed_at) return { ok: false, errors: { form: ["This account is already closed."] } };
  if (!(await verifyPassword(account.password_hash, input.password))) {
    await recordAudit(
      db,
      { userId, ip: ctx.ip },
      { action: "privacy.close_refused", targetType: "user", targetId: userId, details: { reason: "password" } },
    );
    return { ok: false, errors: { password: ["That is not your password."] } };
  }
  const blockers = await closureBlockers(db, userId, user.roles);
  if (blockers.length) {
    await recordAudit(
      db,
      { userId, ip: ctx.ip },
      {
        action: "privacy.close_refused",
        targetType: "user",
        targetId: userId,
        details: { reason: blockers.map((b) => b.code) },
      },
    );
    return { ok: false, errors: { form: blockers.map((b) => b.message) }, blockers };
  }

  const filesToDelete = [...(await deleteUploads(db, userId)), ...(await releaseExports(db, tenant.id, userId, now))];
  await eraseIdentifiers(db, userId);
  await anonymiseRecords(db, userId);
  await forgetMessages(
    db,
    [account.email, account.phone].filter((r): r is string => Boolean(r)),
    closedEmail(userId),
  );
  await forgetMembership(db, userId);
  await endAccess(db, userId);
  await db
    .updateTable("users")
    .set({
      name: CLOSED_NAME,
      email: closedEmail(userId),
      phone: null,
      password_hash: null,
      email_verified_at: null,
      status: "suspended",
      closed_at: now,
      updated_at: now,
    })
    .where("id", "=", userId)
    .execute();
  await recordAudit(
    db,
    { userId, ip: ctx.ip },
    {
      action: "privacy.account_closed",
      targetType: "user",
      targetId: userId,
      details: { filesDeleted: filesToDelete.length },
    },
  );
  // The last message to the old address: the confirmation they are owed. No topic: always sent.
  // By address, not account: the account is closed now, and notify sends nothing to a closed one.
  await notify(db, tenant.id, {
    event: "account_closed",
    to: { email: account.email, name: account.name, language: account.language },
    vars: {},
  });
  return { ok: true, filesToDelete };
}

/** What they sent at checkout and with claims, and unfinished claim drafts: rows now, files after commit. */
async function deleteUploads(db: TenantDb, userId: string): Promise<string[]> {
  const uploads = await db
    .deleteFrom("uploads")
    .where("order_id", "in", db.selectFrom("orders").select("id").where("user_id", "=", userId))
    .returning("file_key")
    .execute();
  const claimDocuments = await db
    .deleteFrom("claim_documents")
    .where("claim_id", "in", db.selectFrom("claims").select("id").where("claimant_user_id", "=", userId))
    .returning("file_key")
    .execute();
  const draftDocuments = await db
    .deleteFrom("claim_draft_documents")
    .where("draft_id", "in", db.selectFrom("claim_drafts").select("id").where("user_id", "=", userId))
    .returning("file_key")
    .execute();
  await db.deleteFrom("claim_drafts").where("user_id", "=", userId).execute();
  return [...uploads, ...claimDocuments, ...draftDocuments].map((r) => r.file_key);
}

/** Their data exports: a ready one's file goes, one in flight stops (its job then finds nothing to build). */
async function releaseExports(db: TenantDb, tenantId: string, userId: string, now: Date): Promise<string[]> {
  await db
    .updateTable("data_exports")
    .set({ status: "expired", file_key: null, updated_at: now })
    .where("user_id", "=", userId)
    .where("status", "=", "ready")
    .execute();
  await db
    .updateTable("data_exports")
    .set({ status: "failed", error: "The account was closed.", updated_at: now })
    .where("user_id", "=", userId)
    .where("status", "in", ["requested", "building"])
    .execute();
  // A key is derived from its export's id: every file an export of theirs may have left is named.
  const all = await db.selectFrom("data_exports").select("id").where("user_id", "=", userId).execute();
  return all.map((e) => exportKey(tenantId, e.id));
}

/** Their identifiers: the encrypted value and its lookup index go, the mask stays on the records kept. */
async function eraseIdentifiers(db: TenantDb, userId: string) {
  await db
    .updateTable("personal_identifiers")
    .set({ ciphertext: ERASED, blind_index: sql<string>`${ERASED} || ':' || id::text` })
    .where("order_id", "in", db.selectFrom("orders").select("id").where("user_id", "=", userId))
    .execute();
  await db
    .updateTable("claim_settlements")
    .set({ payee_account_ciphertext: null, payee_phone: null })
    .where("claim_id", "in", db.selectFrom("claims").select("id").where("claimant_user_id", "=", userId))
    .execute();
}

/** The records kept lose what describes the person beyond what the record itself needs. */
async function anonymiseRecords(db: TenantDb, userId: string) {
  await db
    .updateTable("orders")
    .set({ holder: JSON.stringify({ name: CLOSED_NAME }), payment_phone: null })
    .where("user_id", "=", userId)
    .execute();
  await db
    .updateTable("beneficiaries")
    .set({ name: sql<string>`'Beneficiary ' || position` })
    .where("order_id", "in", db.selectFrom("orders").select("id").where("user_id", "=", userId))
    .execute();
  // What happened, in their words (often medical): the claim's dates, amounts and decision stay.
  await db
    .updateTable("claims")
    .set({ description: "", incident_place: "", appeal_reason: null, withdrawal_reason: null })
    .where("claimant_user_id", "=", userId)
    .execute();
  await db
    .updateTable("claim_requests")
    .set({ answer: null })
    .where("claim_id", "in", db.selectFrom("claims").select("id").where("claimant_user_id", "=", userId))
    .execute();
  // A star rating without its author or words is no one's data, and keeps products' averages right.
  await db.updateTable("reviews").set({ title: "", body: "" }).where("user_id", "=", userId).execute();
  await db
    .deleteFrom("cart_items")
    .where("cart_id", "in", db.selectFrom("carts").select("id").where("user_id", "=", userId))
    .execute();
  await db.deleteFrom("carts").where("user_id", "=", userId).execute();
}

/** Messages to them: undelivered ones are dropped, delivered ones keep only that something was sent. */
async function forgetMessages(db: TenantDb, recipients: string[], placeholder: string) {
  if (!recipients.length) return;
  await db.deleteFrom("messages").where("recipient", "in", recipients).where("status", "in", ["queued", "failed"]).execute();
  await db
    .updateTable("messages")
    .set({ recipient: placeholder, subject: null, body_text: "", body_html: null, attachments: JSON.stringify([]) })
    .where("recipient", "in", recipients)
    .execute();
}

/** A KHHoldings member: their agent's book keeps the member (the sales are in the ledger), anonymised and ended. */
async function forgetMembership(db: TenantDb, userId: string) {
  const member = await db.selectFrom("members").select(["id", "status"]).where("user_id", "=", userId).forUpdate().executeTakeFirst();
  if (!member) return;
  await db
    .updateTable("members")
    .set({
      name: CLOSED_NAME,
      nric_ciphertext: ERASED,
      nric_blind_index: sql<string>`${ERASED} || ':' || id::text`,
      race: "",
      relationship_with_agent: "",
      emergency_contact_name: "",
      emergency_contact_phone: "",
      emergency_contact_relationship: "",
      status: "terminated",
      updated_at: new Date(),
    })
    .where("id", "=", member.id)
    .execute();
  if (member.status !== "terminated") {
    await recordStateChange(db, {
      entity: "member",
      entityId: member.id,
      from: member.status,
      to: "terminated",
      event: "account_closed",
      reason: "The member closed their account.",
      actorUserId: userId,
    });
  }
}

/** Every way back in: sessions, links in emails, old passwords, lockouts, two-factor sign-in. */
async function endAccess(db: TenantDb, userId: string) {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  await revokeUserFamilies(db, userId, "account_closed");
  await db.deleteFrom("auth_tokens").where("user_id", "=", userId).execute();
  await db.deleteFrom("password_history").where("user_id", "=", userId).execute();
  await db.deleteFrom("sign_in_failures").where("user_id", "=", userId).execute();
  // The authenticator key and recovery codes (decision 033): a second way in, and nothing the law asks us to keep.
  await db.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("user_two_factor").where("user_id", "=", userId).execute();
  // The account's own identity numbers, codes, email changes and choices (decision 032).
  await db.deleteFrom("user_identifiers").where("user_id", "=", userId).execute();
  await db.deleteFrom("account_phone_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("email_changes").where("user_id", "=", userId).execute();
  await db.deleteFrom("notification_preferences").where("user_id", "=", userId).execute();
  // Saved cards (decision 029): the provider's reusable reference is erased so nothing can charge the
  // card again, and auto-debit stops; the rows stay because kept payments name the card they used.
  await db.updateTable("policies").set({ autodebit_method_id: null }).where("user_id", "=", userId).execute();
  await db
    .updateTable("payment_methods")
    .set((eb) => ({
      reference_ciphertext: ERASED,
      fingerprint: sql<string>`${ERASED} || ':' || ${eb.ref("id")}`,
      is_default: false,
      removed_at: sql<Date>`coalesce(removed_at, now())`,
      updated_at: new Date(),
    }))
    .where("user_id", "=", userId)
    .execute();
}

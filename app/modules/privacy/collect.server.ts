import type { TenantDb } from "~db/client";
import type { IdentifierKind } from "~/modules/pii/identifiers";
import { decryptPii, piiContext, piiKeysFromEnv } from "~/modules/pii/crypto.server";

/**
 * Everything the agency holds about one person, as the JSON of their data export (decision 034).
 * Read under the tenant (RLS) and always through this person's id: their account, their orders,
 * policies, payments and claims, and what was sent to them. Nothing about anyone else: the agent
 * who sold to them is named, never described; staff who acted on their claims are not named.
 *
 * Secrets are never exported (password and token hashes, blind indexes, session ids, callback
 * tokens): `withoutSecrets` drops such columns from every row, so a column added later is dropped
 * too if it is named like one. Their own identifiers are given in full (decrypted) beside the mask:
 * the right of access covers the data itself, and the file opens for them alone.
 */

const SECRET_COLUMN = /(hash|ciphertext|blind_index|secret|token|password)/i;

type Row = Record<string, unknown>;

function withoutSecrets<T extends object>(row: T): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) if (!SECRET_COLUMN.test(key) && key !== "tenant_id") out[key] = value;
  return out;
}

const clean = <T extends object>(rows: T[]) => rows.map(withoutSecrets);

function reveal(tenantId: string, kind: IdentifierKind, ciphertext: string | null): string | null {
  if (!ciphertext) return null;
  try {
    return decryptPii(ciphertext, { key: piiKeysFromEnv(), context: piiContext(tenantId, kind) });
  } catch (_error) {
    // Erased at closure, or written under a key no longer held: the mask is all there is.
    return null;
  }
}

export const EXPORT_FORMAT_VERSION = 1;

export async function collectPersonalData(db: TenantDb, tenantId: string, userId: string, now = new Date()) {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "name", "phone", "status", "email_verified_at", "created_at", "updated_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const roles = await db.selectFrom("user_roles").select(["role", "granted_at"]).where("user_id", "=", userId).execute();

  const orders = await db.selectFrom("orders").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
  const orderIds = orders.map((o) => o.id);
  const byOrder = <T>(rows: T[]) => (orderIds.length ? rows : []);
  const identifiers = orderIds.length
    ? await db.selectFrom("personal_identifiers").selectAll().where("order_id", "in", orderIds).orderBy("created_at").execute()
    : [];
  const beneficiaries = orderIds.length
    ? await db.selectFrom("beneficiaries").selectAll().where("order_id", "in", orderIds).orderBy("order_id").orderBy("position").execute()
    : [];
  const uploads = orderIds.length ? await db.selectFrom("uploads").selectAll().where("order_id", "in", orderIds).execute() : [];
  const orderItems = orderIds.length ? await db.selectFrom("order_items").selectAll().where("order_id", "in", orderIds).execute() : [];

  const quotes = await db.selectFrom("quotes").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
  const policies = await db.selectFrom("policies").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
  const policyIds = policies.map((p) => p.id);
  const versions = policyIds.length
    ? await db
        .selectFrom("policy_versions")
        .selectAll()
        .where("policy_id", "in", policyIds)
        .orderBy("policy_id")
        .orderBy("version")
        .execute()
    : [];
  const instalments = policyIds.length
    ? await db.selectFrom("instalments").selectAll().where("policy_id", "in", policyIds).orderBy("policy_id").orderBy("sequence").execute()
    : [];

  const payments = await db.selectFrom("transactions").selectAll().where("user_id", "=", userId).orderBy("created_at").execute();
  const paymentIds = payments.map((t) => t.id);
  const refunds = paymentIds.length
    ? await db.selectFrom("refunds").selectAll().where("transaction_id", "in", paymentIds).orderBy("created_at").execute()
    : [];
  const receipts = paymentIds.length
    ? await db.selectFrom("receipts").selectAll().where("transaction_id", "in", paymentIds).orderBy("created_at").execute()
    : [];

  const claims = await db.selectFrom("claims").selectAll().where("claimant_user_id", "=", userId).orderBy("created_at").execute();
  const claimIds = claims.map((c) => c.id);
  const ofClaims = async <T>(load: () => Promise<T[]>) => (claimIds.length ? load() : []);
  const claimRequests = await ofClaims(() =>
    db
      .selectFrom("claim_requests")
      .select(["id", "claim_id", "message", "documents", "created_at", "answered_at", "answer"])
      .where("claim_id", "in", claimIds)
      .execute(),
  );
  const claimDocuments = await ofClaims(() =>
    db
      .selectFrom("claim_documents")
      .select(["id", "claim_id", "kind", "filename", "content_type", "size_bytes", "status", "review_note", "created_at"])
      .where("claim_id", "in", claimIds)
      .execute(),
  );
  const settlements = await ofClaims(() => db.selectFrom("claim_settlements").selectAll().where("claim_id", "in", claimIds).execute());

  const member = await db.selectFrom("members").selectAll().where("user_id", "=", userId).executeTakeFirst();
  const agent = member
    ? await db
        .selectFrom("agents as a")
        .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "a.tenant_id").onRef("u.id", "=", "a.user_id"))
        .select(["u.name", "u.email"])
        .where("a.id", "=", member.agent_id)
        .executeTakeFirst()
    : undefined;

  const recipients = [user.email, user.phone].filter((r): r is string => Boolean(r));
  const messages = await db
    .selectFrom("messages")
    .select(["id", "channel", "template", "recipient", "subject", "body_text", "status", "created_at", "sent_at"])
    .where("recipient", "in", recipients)
    .orderBy("created_at")
    .execute();
  const sessions = await db
    .selectFrom("sessions")
    .select(["ip", "user_agent", "created_at", "last_seen_at", "expires_at", "revoked_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  const audit = await db
    .selectFrom("audit_log")
    .select(["action", "target_type", "target_id", "ip", "details", "created_at"])
    .where("actor_user_id", "=", userId)
    .orderBy("id")
    .execute();
  const reviews = await db.selectFrom("reviews").selectAll().where("user_id", "=", userId).execute();
  const accountIdentifiers = await db.selectFrom("user_identifiers").selectAll().where("user_id", "=", userId).orderBy("kind").execute();
  const notificationPreferences = await db
    .selectFrom("notification_preferences")
    .select(["topic", "channel", "enabled", "updated_at"])
    .where("user_id", "=", userId)
    .orderBy("topic")
    .orderBy("channel")
    .execute();
  // Saved cards as the customer sees them (decision 029): never the provider's reusable reference.
  const savedCards = await db
    .selectFrom("payment_methods")
    .select(["id", "provider", "brand", "last4", "exp_month", "exp_year", "is_default", "created_at", "removed_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at")
    .execute();
  const exportsMade = await db
    .selectFrom("data_exports")
    .select(["id", "status", "requested_at", "ready_at", "expires_at"])
    .where("user_id", "=", userId)
    .orderBy("requested_at")
    .execute();

  return {
    format: { name: "covera-personal-data", version: EXPORT_FORMAT_VERSION },
    generatedAt: now.toISOString(),
    notes: [
      "Amounts are in minor units (cents) of the currency beside them.",
      "Identifiers are given in full and masked; keep this file safe.",
      "The documents folder holds your certificates, receipts, letters and the files you sent us.",
    ],
    profile: { ...user, roles },
    identifiers: [
      ...accountIdentifiers.map((i) => ({
        kind: i.kind,
        masked: i.masked,
        value: reveal(tenantId, i.kind, i.ciphertext),
        updatedAt: i.updated_at,
      })),
      ...identifiers.map((i) => ({
        orderId: i.order_id,
        kind: i.kind,
        masked: i.masked,
        value: reveal(tenantId, i.kind, i.ciphertext),
        createdAt: i.created_at,
      })),
      ...(member
        ? [
            {
              kind: "nric" as const,
              masked: member.nric_masked,
              value: reveal(tenantId, "nric", member.nric_ciphertext),
              memberId: member.id,
            },
          ]
        : []),
      ...settlements
        .filter((s) => s.payee_account_ciphertext)
        .map((s) => ({
          kind: "bank_account" as const,
          masked: s.payee_account_masked,
          value: reveal(tenantId, "bank_account", s.payee_account_ciphertext),
          settlementId: s.id,
        })),
    ],
    consents: {
      termsAccepted: orders.filter((o) => o.terms_accepted_at).map((o) => ({ order: o.reference, acceptedAt: o.terms_accepted_at })),
    },
    membership: member ? { ...withoutSecrets(member), agent: agent ?? null } : null,
    quotes: clean(quotes),
    orders: clean(byOrder(orders)).map((o) => ({
      ...o,
      items: clean(orderItems.filter((i) => i.order_id === o.id)),
      beneficiaries: clean(beneficiaries.filter((b) => b.order_id === o.id)),
      uploads: clean(uploads.filter((u) => u.order_id === o.id)),
    })),
    policies: clean(policies).map((p) => ({
      ...p,
      versions: clean(versions.filter((v) => v.policy_id === p.id)),
      instalments: clean(instalments.filter((i) => i.policy_id === p.id)),
    })),
    payments: clean(payments).map((t) => ({
      ...t,
      receipts: clean(receipts.filter((r) => r.transaction_id === t.id)),
      refunds: clean(refunds.filter((r) => r.transaction_id === t.id)),
    })),
    claims: clean(claims).map((c) => ({
      ...c,
      requests: clean(claimRequests.filter((r) => r.claim_id === c.id)),
      documents: clean(claimDocuments.filter((d) => d.claim_id === c.id)),
      settlements: clean(settlements.filter((s) => s.claim_id === c.id)),
    })),
    reviews: clean(reviews),
    notificationPreferences,
    savedCards,
    messages: clean(messages),
    sessions: clean(sessions),
    activity: clean(audit),
    dataExports: clean(exportsMade),
  };
}

import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { SavedMethodProvider as SavedMethodProviderName, TransactionProvider } from "~db/schema";
import { decryptPii, encryptPii, piiKeysFromEnv } from "~/modules/pii/crypto.server";
import { logExchange } from "./gateway-log.server";
import { savesMethods, type ReusableMethod } from "./providers/index.server";
import { tenantProvider } from "./settings.server";

/**
 * Saved payment methods (decision 029): a card a customer chose to keep at checkout, held as the
 * provider's reusable reference — encrypted like provider credentials (AES-256-GCM bound to the
 * tenant and provider), never shown — with the brand, last 4 and expiry a page may show. Every
 * function here takes the customer's id and touches only their methods: another customer's (or
 * agency's) method is "not found", exactly like one that does not exist.
 */

export const SAVED_METHOD_PROVIDERS = ["stripe", "paystack", "sandbox"] as const satisfies readonly SavedMethodProviderName[];

export function isSavedMethodProvider(provider: TransactionProvider): provider is SavedMethodProviderName {
  return (SAVED_METHOD_PROVIDERS as readonly string[]).includes(provider);
}

const referenceContext = (tenantId: string, provider: SavedMethodProviderName) => `saved_method:${tenantId}:${provider}`;

/** A method's provider reference, encrypted as every saved method's is (a mandate's too, decision 046). */
export function encryptMethodReference(tenantId: string, provider: SavedMethodProviderName, reference: Record<string, string>): string {
  return encryptPii(JSON.stringify(reference), { key: piiKeysFromEnv(), context: referenceContext(tenantId, provider) });
}

export interface SavedMethodView {
  id: string;
  provider: SavedMethodProviderName;
  label: string;
  expires: string | null;
  isDefault: boolean;
  createdAt: Date;
}

/** "Visa •••• 4242": what the customer recognises their card by. */
export function methodLabel(m: { brand: string | null; last4: string | null }): string {
  const brand = m.brand ? m.brand.charAt(0).toUpperCase() + m.brand.slice(1) : "Card";
  return m.last4 ? `${brand} •••• ${m.last4}` : brand;
}

function expiresOf(m: { exp_month: number | null; exp_year: number | null }): string | null {
  return m.exp_month && m.exp_year ? `${String(m.exp_month).padStart(2, "0")}/${String(m.exp_year).slice(-2)}` : null;
}

/**
 * Keeps the card a completed payment saved, in that payment's transaction (the apply path):
 * the same card again updates the one row. The customer's first method is their default. A Stripe
 * card named only by id gets its brand and last 4 from a job (`describe_saved_method`).
 */
export async function keepSavedMethod(
  db: TenantDb,
  tenantId: string,
  input: { userId: string; provider: SavedMethodProviderName; reusable: ReusableMethod },
): Promise<string> {
  const { userId, provider, reusable } = input;
  const display = {
    ...(reusable.brand ? { brand: reusable.brand } : {}),
    ...(reusable.last4 ? { last4: reusable.last4 } : {}),
    ...(reusable.expMonth ? { exp_month: reusable.expMonth } : {}),
    ...(reusable.expYear ? { exp_year: reusable.expYear } : {}),
  };
  const ciphertext = encryptPii(JSON.stringify(reusable.reference), {
    key: piiKeysFromEnv(),
    context: referenceContext(tenantId, provider),
  });
  const existing = await db
    .selectFrom("payment_methods")
    .select("id")
    .where("user_id", "=", userId)
    .where("provider", "=", provider)
    .where("fingerprint", "=", reusable.fingerprint)
    .where("removed_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  let id: string;
  if (existing) {
    await db
      .updateTable("payment_methods")
      .set({ ...display, reference_ciphertext: ciphertext, updated_at: new Date() })
      .where("id", "=", existing.id)
      .execute();
    id = existing.id;
  } else {
    // Locks the customer's default, so two cards saved at once cannot both become it.
    const hasDefault = await db
      .selectFrom("payment_methods")
      .select("id")
      .where("user_id", "=", userId)
      .where("is_default", "=", true)
      .where("removed_at", "is", null)
      .forUpdate()
      .executeTakeFirst();
    const row = await db
      .insertInto("payment_methods")
      .values({
        user_id: userId,
        provider,
        reference_ciphertext: ciphertext,
        fingerprint: reusable.fingerprint,
        is_default: !hasDefault,
        ...display,
      })
      .onConflict((oc) =>
        oc
          .columns(["tenant_id", "user_id", "provider", "fingerprint"])
          .where("removed_at", "is", null)
          .doUpdateSet({ reference_ciphertext: ciphertext, updated_at: new Date() }),
      )
      .returning("id")
      .executeTakeFirstOrThrow();
    id = row.id;
  }
  if (!reusable.last4 && provider === "stripe") {
    await addJob(db, "describe_saved_method", { tenantId, methodId: id }, { jobKey: `describe_saved_method:${tenantId}:${id}` });
  }
  return id;
}

/** The provider's reference of one of the customer's methods, decrypted (never leaves the server). */
export async function savedMethodReference(
  db: TenantDb,
  tenantId: string,
  methodId: string,
): Promise<
  | {
      id: string;
      userId: string;
      provider: SavedMethodProviderName;
      reference: Record<string, string>;
      kind: "card" | "mandate";
      mandateStatus: string | null;
      maxAmountMinor: number | null;
    }
  | undefined
> {
  const row = await db
    .selectFrom("payment_methods")
    .select(["id", "user_id", "provider", "reference_ciphertext", "kind", "mandate_status", "max_amount_minor"])
    .where("id", "=", methodId)
    .where("removed_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  const reference = JSON.parse(
    decryptPii(row.reference_ciphertext, { key: piiKeysFromEnv(), context: referenceContext(tenantId, row.provider) }),
  ) as Record<string, string>;
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    reference,
    kind: row.kind,
    mandateStatus: row.mandate_status,
    maxAmountMinor: row.max_amount_minor,
  };
}

/** The Stripe Customer the customer's cards are kept under, once one card is saved. */
export async function stripeCustomerOf(db: TenantDb, tenantId: string, userId: string): Promise<string | null> {
  const rows = await db
    .selectFrom("payment_methods")
    .select("id")
    .where("user_id", "=", userId)
    .where("provider", "=", "stripe")
    .orderBy("created_at", "desc")
    .execute();
  for (const row of rows) {
    const method = await savedMethodReferenceAny(db, tenantId, row.id);
    if (method?.customerId) return method.customerId;
  }
  return null;
}

/** A method's reference even once removed: the Stripe Customer outlives the cards under it. */
async function savedMethodReferenceAny(db: TenantDb, tenantId: string, methodId: string): Promise<Record<string, string> | undefined> {
  const row = await db
    .selectFrom("payment_methods")
    .select(["provider", "reference_ciphertext"])
    .where("id", "=", methodId)
    .executeTakeFirst();
  if (!row) return undefined;
  return JSON.parse(
    decryptPii(row.reference_ciphertext, { key: piiKeysFromEnv(), context: referenceContext(tenantId, row.provider) }),
  ) as Record<string, string>;
}

/**
 * The `describe_saved_method` job: asks the provider what a card saved by id looks like. "gone":
 * the method was removed meanwhile; anything else but "described" is worth trying again.
 */
export async function describeSavedCard(tenantId: string, methodId: string): Promise<string> {
  const method = await withTenant(tenantId, (db) => savedMethodReference(db, tenantId, methodId));
  if (!method) return "gone";
  const provider = await withTenant(tenantId, (db) => tenantProvider(db, tenantId, method.provider));
  if (!savesMethods(provider) || !provider.describeSaved) return "described";
  const result = await provider.describeSaved(method.reference);
  return withTenant(tenantId, async (db) => {
    if (result.exchange) await logExchange(db, { transactionId: null, provider: provider.name, kind: "query", exchange: result.exchange });
    if (!result.ok) return result.reasonCode;
    await setMethodDetails(db, methodId, result.details);
    return "described";
  });
}

async function setMethodDetails(
  db: TenantDb,
  methodId: string,
  details: { brand?: string; last4?: string; expMonth?: number; expYear?: number },
): Promise<void> {
  await db
    .updateTable("payment_methods")
    .set({
      brand: details.brand ?? null,
      last4: details.last4 && /^\d{4}$/.test(details.last4) ? details.last4 : null,
      exp_month: details.expMonth ?? null,
      exp_year: details.expYear ?? null,
      updated_at: new Date(),
    })
    .where("id", "=", methodId)
    .execute();
}

export async function listSavedMethods(db: TenantDb, userId: string): Promise<SavedMethodView[]> {
  const rows = await db
    .selectFrom("payment_methods")
    .select(["id", "provider", "brand", "last4", "exp_month", "exp_year", "is_default", "created_at"])
    .where("user_id", "=", userId)
    .where("kind", "=", "card")
    .where("removed_at", "is", null)
    .orderBy("is_default", "desc")
    .orderBy("created_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    provider: r.provider,
    label: methodLabel(r),
    expires: expiresOf(r),
    isDefault: r.is_default,
    createdAt: r.created_at,
  }));
}

/** One of the customer's kept methods, locked for a change; undefined for anyone else's. */
async function ownMethod(db: TenantDb, userId: string, methodId: string) {
  return (
    db
      .selectFrom("payment_methods")
      .select(["id", "is_default", "brand", "last4"])
      .where("id", "=", methodId)
      .where("user_id", "=", userId)
      // A mandate is managed on its policy's page (decision 046), not among the cards.
      .where("kind", "=", "card")
      .where("removed_at", "is", null)
      .forUpdate()
      .executeTakeFirst()
  );
}

export async function makeDefaultMethod(db: TenantDb, userId: string, methodId: string): Promise<boolean> {
  const method = await ownMethod(db, userId, methodId);
  if (!method) return false;
  if (method.is_default) return true;
  await db
    .updateTable("payment_methods")
    .set({ is_default: false, updated_at: new Date() })
    .where("user_id", "=", userId)
    .where("is_default", "=", true)
    .execute();
  await db.updateTable("payment_methods").set({ is_default: true, updated_at: new Date() }).where("id", "=", methodId).execute();
  return true;
}

export type RemoveResult = { ok: true; label: string; autoDebitOff: string[] } | { ok: false };

/**
 * Removes a method from the customer's account (the row stays: payments point at it). Policies
 * paid automatically with it stop being paid automatically — the caller says so — and another
 * kept method becomes the default.
 */
export async function removeSavedMethod(db: TenantDb, userId: string, methodId: string): Promise<RemoveResult> {
  const method = await ownMethod(db, userId, methodId);
  if (!method) return { ok: false };
  const policies = await db
    .updateTable("policies")
    .set({ autodebit_method_id: null, updated_at: new Date() })
    .where("autodebit_method_id", "=", methodId)
    .where("user_id", "=", userId)
    .returning(["policy_number"])
    .execute();
  await db
    .updateTable("payment_methods")
    .set({ removed_at: new Date(), is_default: false, updated_at: new Date() })
    .where("id", "=", methodId)
    .execute();
  if (method.is_default) {
    const next = await db
      .selectFrom("payment_methods")
      .select("id")
      .where("user_id", "=", userId)
      .where("removed_at", "is", null)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (next) await db.updateTable("payment_methods").set({ is_default: true }).where("id", "=", next.id).execute();
  }
  return { ok: true, label: methodLabel(method), autoDebitOff: policies.map((p) => p.policy_number ?? "") };
}

export interface AutoDebitPolicy {
  id: string;
  policyNumber: string;
  productName: string;
  status: string;
  methodId: string | null;
}

/** The customer's policies paid by instalments that are still running: the ones auto-debit can pay. */
export async function autoDebitPolicies(db: TenantDb, userId: string): Promise<AutoDebitPolicy[]> {
  const rows = await db
    .selectFrom("policies")
    .innerJoin("products", "products.id", "policies.product_id")
    .select(["policies.id", "policies.policy_number", "policies.status", "policies.autodebit_method_id", "products.name"])
    .where("policies.user_id", "=", userId)
    .where("policies.status", "in", ["active", "grace"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("instalments")
          .select("instalments.id")
          .whereRef("instalments.policy_id", "=", "policies.id")
          .where("instalments.status", "in", ["scheduled", "due", "overdue"]),
      ),
    )
    .orderBy("policies.policy_number")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    policyNumber: r.policy_number ?? "",
    productName: r.name,
    status: r.status,
    methodId: r.autodebit_method_id,
  }));
}

export type AutoDebitChange = { ok: true; on: boolean } | { ok: false; field: "policyId" | "methodId"; message: string };

/** Turns "pay instalments automatically" on (with one of the customer's methods) or off, for one policy. */
export async function setAutoDebit(db: TenantDb, userId: string, policyId: string, methodId: string | null): Promise<AutoDebitChange> {
  const policy = (await autoDebitPolicies(db, userId)).find((p) => p.id === policyId);
  if (!policy) return { ok: false, field: "policyId", message: "We could not find that policy, or it has no instalments left to pay." };
  if (methodId && !(await ownMethod(db, userId, methodId))) {
    return { ok: false, field: "methodId", message: "Choose one of your saved cards." };
  }
  await db.updateTable("policies").set({ autodebit_method_id: methodId, updated_at: new Date() }).where("id", "=", policyId).execute();
  return { ok: true, on: methodId !== null };
}

import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import { withTenant } from "~db/client";
import type { PaymentMethod, TransactionStatus } from "~db/schema";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { isProviderMethod } from "./methods";
import {
  SANDBOX_BANKS,
  SANDBOX_SIGNATURE_HEADER,
  SANDBOX_WALLETS,
  sandboxCallback,
  sandboxMandateBody,
  signSandboxBody,
  type SandboxCard,
  type SandboxChoice,
  type SandboxMandateChoice,
} from "./providers/sandbox.server";
import { providerConfig } from "./settings.server";
import { receiveWebhook } from "./webhooks.server";

/**
 * The sandbox page's side: what the "phone" or "card" shows, and the customer's choice posted as a
 * signed callback through the very same webhook path as a real provider's.
 */
export interface SandboxPayment {
  transactionId: string;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  status: TransactionStatus;
  reference: string;
  phoneMasked: string | null;
  /** The customer asked to keep the card (decision 029): an approval reports it reusable. */
  saveMethod: boolean;
  /** FPX or e-wallet: the bank or wallet the customer picked, by its sandbox name. */
  bankName: string | null;
}

export async function sandboxPayment(db: TenantDb, providerRef: string): Promise<SandboxPayment | undefined> {
  const row = await db
    .selectFrom("transactions")
    .leftJoin("orders", "orders.id", "transactions.order_id")
    .leftJoin("instalments", "instalments.id", "transactions.instalment_id")
    .leftJoin("policy_versions", "policy_versions.id", "transactions.policy_version_id")
    .leftJoin("policies", (j) => j.on(sql<boolean>`policies.id = coalesce(instalments.policy_id, policy_versions.policy_id)`))
    .select([
      "transactions.id",
      "transactions.amount_minor",
      "transactions.currency",
      "transactions.method",
      "transactions.status",
      "transactions.phone_masked",
      "transactions.save_method",
      "transactions.bank_code",
      "orders.reference as order_reference",
      "policies.policy_number",
    ])
    .where("transactions.provider", "=", "sandbox")
    .where("transactions.provider_ref", "=", providerRef)
    .executeTakeFirst();
  // The sandbox plays a phone or a card: never cash or a bank-in (those are offline, provider "offline").
  if (!row || !isProviderMethod(row.method)) return undefined;
  return {
    transactionId: row.id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    method: row.method,
    status: row.status,
    reference: row.order_reference ?? row.policy_number ?? "",
    phoneMasked: row.phone_masked,
    saveMethod: row.save_method,
    bankName: [...SANDBOX_BANKS, ...SANDBOX_WALLETS].find((b) => b.code === row.bank_code)?.name ?? null,
  };
}

export async function playSandboxChoice(
  tenant: Pick<TenantInfo, "id">,
  providerRef: string,
  choice: SandboxChoice,
  /** The card approved, for a payment that keeps it. */
  card?: SandboxCard,
): Promise<{ ok: true; transactionId: string } | { ok: false; message: string }> {
  const found = await withTenant(tenant.id, async (db) => ({
    payment: await sandboxPayment(db, providerRef),
    config: await providerConfig(db, tenant.id, "sandbox"),
  }));
  if (!found.payment) return { ok: false, message: "We could not find this sandbox payment." };
  if (!found.config?.enabled) return { ok: false, message: "The sandbox is not enabled for this agency." };
  if (found.payment.status !== "pending") return { ok: false, message: "This payment is no longer waiting for an answer." };
  const callback = sandboxCallback(String(found.config.config.secret), {
    providerRef,
    choice,
    amountMinor: found.payment.amountMinor,
    currency: found.payment.currency,
    ...(card && choice === "approve" && found.payment.saveMethod ? { card } : {}),
  });
  const answer = await receiveWebhook(tenant, "sandbox", callback);
  if (answer.status !== 200) return { ok: false, message: "The sandbox callback was refused." };
  return { ok: true, transactionId: found.payment.transactionId };
}

/** A mandate waiting on the sandbox page for the member's answer (decision 046). */
export interface SandboxMandate {
  id: string;
  policyId: string;
  status: string;
  reference: string;
  maxAmountMinor: number;
  currency: string;
  /** The authorisation's payment: the instalment it pays now (decision 046). */
  first: { amountMinor: number; dueDate: string } | null;
}

export async function sandboxMandate(db: TenantDb, providerRef: string): Promise<SandboxMandate | undefined> {
  const row = await db
    .selectFrom("payment_methods")
    .innerJoin("policies", "policies.id", "payment_methods.policy_id")
    .select([
      "payment_methods.id",
      "payment_methods.mandate_status",
      "payment_methods.max_amount_minor",
      "policies.id as policy_id",
      "policies.policy_number",
      "policies.currency",
    ])
    .where("payment_methods.provider", "=", "sandbox")
    .where("payment_methods.kind", "=", "mandate")
    .where("payment_methods.provider_ref", "=", providerRef)
    .executeTakeFirst();
  if (!row) return undefined;
  const first = await db
    .selectFrom("transactions")
    .innerJoin("instalments", "instalments.id", "transactions.instalment_id")
    .select(["transactions.amount_minor", "instalments.due_date"])
    .where("transactions.provider", "=", "sandbox")
    .where("transactions.provider_ref", "=", providerRef)
    .executeTakeFirst();
  return {
    id: row.id,
    policyId: row.policy_id,
    first: first ? { amountMinor: first.amount_minor, dueDate: first.due_date } : null,
    status: row.mandate_status!,
    reference: row.policy_number ?? "",
    maxAmountMinor: row.max_amount_minor!,
    currency: row.currency,
  };
}

/** The member's answer on the sandbox mandate page, delivered as a signed callback like a payment's. */
export async function playSandboxMandateChoice(
  tenant: Pick<TenantInfo, "id">,
  providerRef: string,
  choice: SandboxMandateChoice,
  bankCode?: string,
): Promise<{ ok: true; policyId: string } | { ok: false; message: string }> {
  const found = await withTenant(tenant.id, async (db) => ({
    mandate: await sandboxMandate(db, providerRef),
    config: await providerConfig(db, tenant.id, "sandbox"),
  }));
  if (!found.mandate) return { ok: false, message: "We could not find this sandbox mandate." };
  if (!found.config?.enabled) return { ok: false, message: "The sandbox is not enabled for this agency." };
  if (found.mandate.status !== "pending") return { ok: false, message: "This mandate is no longer waiting for an answer." };
  const rawBody = sandboxMandateBody({
    providerRef,
    choice,
    maxAmountMinor: found.mandate.maxAmountMinor,
    ...(bankCode ? { bankCode } : {}),
  });
  const headers = new Headers({
    "content-type": "application/json",
    [SANDBOX_SIGNATURE_HEADER]: signSandboxBody(String(found.config.config.secret), rawBody),
  });
  const answer = await receiveWebhook(tenant, "sandbox", { headers, rawBody });
  if (answer.status !== 200) return { ok: false, message: "The sandbox callback was refused." };
  return { ok: true, policyId: found.mandate.policyId };
}

import { withTenant } from "~db/client";
import { startPayment } from "~/modules/payments/payments.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import type { ProductLifecycle } from "~/modules/policies/lifecycle";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import {
  ORIGIN,
  type CartLine,
  customerWithOrder,
  documentsEmail,
  motorJson,
  paymentsTenant,
  policiesOf,
  transactionRow,
} from "../support/checkout";
import { eventually, ownerDb } from "../support/db";

/** Renewal fixtures (not a test file): an issued policy (motor unless told) paid by card in the sandbox, and what renewal wrote. */

export async function issuedPolicy(
  options: { tenant?: TenantInfo; beforePayment?: (orderId: string) => Promise<void>; line?: CartLine } = {},
) {
  const tenant = options.tenant ?? (await paymentsTenant());
  const { user, orderId } = await customerWithOrder(tenant, {
    lines: [options.line ?? { slug: "motor-comprehensive", input: motorJson(150_000_000), frequency: "annual" }],
    method: "card",
  });
  await options.beforePayment?.(orderId);
  const transactionId = await paySandbox(tenant, orderId, user);
  await eventually(async () => (await documentsEmail(tenant.id, orderId))?.status === "outbox", 30_000);
  const [policy] = await policiesOf(orderId);
  return { tenant, user, orderId, transactionId, policy: policy! };
}

/** Pays an order at its payment step by card in the sandbox, as the customer approving on the sandbox page. */
export async function paySandbox(tenant: TenantInfo, orderId: string, user: { id: string; email: string }) {
  const started = await startPayment(tenant, { target: { orderId }, userId: user.id, method: "card", email: user.email, origin: ORIGIN });
  if (!started.ok) throw new Error(started.message);
  await playSandboxChoice(tenant, (await transactionRow(started.transactionId)).provider_ref!, "approve");
  return started.transactionId;
}

export async function setLifecycle(tenantId: string, slug: string, lifecycle: Partial<ProductLifecycle>) {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ lifecycle: JSON.stringify(lifecycle) })
      .where("slug", "=", slug)
      .execute(),
  );
}

export const policyRow = (id: string) => ownerDb().selectFrom("policies").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

export const offersOf = (policyId: string) =>
  ownerDb().selectFrom("renewal_offers").selectAll().where("policy_id", "=", policyId).orderBy("offer_days", "desc").execute();

export const messagesKeyed = (tenantId: string, prefix: string) =>
  ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("channel", "=", "email")
    .where("dedupe_key", "like", `${prefix}%`)
    .orderBy("created_at")
    .execute();

export const renewalOf = (policyId: string) =>
  ownerDb().selectFrom("policies").selectAll().where("renewal_of_policy_id", "=", policyId).executeTakeFirst();

import { describe, expect, it } from "vitest";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { createUser, eventually, ownerDb } from "../support/db";
import { documentsEmail, issuanceCounts } from "../support/checkout";
import { insertChain, insertSale, networkTenant, product } from "./commissions-support";
import { insertPolicy } from "./customer-policies-fixtures";
import { createStoreTenant } from "./quotes-support";

/**
 * The fixtures write orders straight into the tables. Reconciliation re-issues any paid order
 * whose policies or certificates are missing (a worker that died half-way), and renders and emails
 * its documents: so every fixture order must be one the app can finish, as one the real flow
 * makes. Quotes written with an empty breakdown once made the suite's worker fail 540
 * `order_documents` attempts in a run that stayed green.
 */
describe("orders made by the test fixtures", () => {
  it("a commission sale left without its policy is issued by reconciliation, its documents emailed", async () => {
    const tenant = await networkTenant();
    const productId = await product(tenant.id);
    const [agentId] = await insertChain(tenant.id, 1);
    const yesterday = new Date(Date.now() - 86_400_000);
    const sale = await insertSale(tenant.id, {
      agentId: agentId!,
      productId,
      frequency: "monthly",
      amountMinor: 150_00,
      leviesMinor: 9_00,
      at: yesterday,
    });

    expect(await reconcileTenant(tenant.id)).toMatchObject({ reissued: 1 });
    await eventually(async () => (await documentsEmail(tenant.id, sale.orderId))?.status === "outbox", 20_000);
    expect(await issuanceCounts(tenant.id, sale.orderId)).toMatchObject({ policies: 1, receipts: 1, documentEmails: 1 });
  });

  it("a customer's policy without its certificate gets it from reconciliation, emailed once", async () => {
    const tenant = await createStoreTenant();
    const customer = await createUser(tenant.id);
    const fixture = await insertPolicy(tenant.id, customer.id, { withCertificateFile: false, instalments: ["paid", "scheduled"] });
    await ownerDb()
      .updateTable("orders")
      .set({ paid_at: new Date(Date.now() - 86_400_000) })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", fixture.orderId)
      .execute();

    expect(await reconcileTenant(tenant.id)).toMatchObject({ reissued: 1 });
    await eventually(async () => (await documentsEmail(tenant.id, fixture.orderId))?.status === "outbox", 20_000);
    const policy = await ownerDb()
      .selectFrom("policies")
      .select("certificate_file_key")
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", fixture.policyId)
      .executeTakeFirstOrThrow();
    expect(policy.certificate_file_key).toMatch(/\.pdf$/);
    expect(await issuanceCounts(tenant.id, fixture.orderId)).toMatchObject({ policies: 1, documentEmails: 1 });
  });
});

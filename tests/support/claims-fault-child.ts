/**
 * The claim settlement fault test's helper process (`node --import tsx tests/support/claims-fault-child.ts
 * <command>`), against the test's own PostgreSQL cluster (DATABASE_URL), as tests/support/fault-child.ts
 * does for payments.
 *
 *   setup      migrate and seed; a claim is filed and approved, and staff press "Pay" through the
 *              sandbox with no worker running: the payout job waits. Prints { tenantId, claimId, settlementId }.
 *   reconcile  one settlements reconciliation run for a tenant (argv[3]); prints the run.
 */
import { closeDb, withTenant } from "~db/client";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { env } from "~/lib/env.server";
import { reconcileSettlements } from "~/modules/claims/payouts.server";
import { paySettlement } from "~/modules/claims/settlement.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { tenantById, tenantOrigin } from "~/modules/tenancy/resolve.server";
import { approveClaim, claimantWithPolicy, fileClaim } from "../integration/claims-settlement-fixtures";
import { paymentsTenant } from "./checkout";
import { createUser } from "./db";

async function setup() {
  const config = env();
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  await seed();
  const tenant = await paymentsTenant();
  const origin = await tenantOrigin(tenant);
  const manager = await createUser(tenant.id, { name: "Otieno Claims", roles: ["claims_manager"] });
  const claimant = await claimantWithPolicy(tenant, { phone: "0712345678" });
  const { claimId } = await fileClaim(tenant, origin, { claimant, claimedMinor: 9_000_000 });
  await approveClaim(tenant, origin, claimId, { approvedMinor: 8_000_000, excessMinor: 500_000, actorUserId: manager.id });
  const settlementId = await withTenant(tenant.id, async (db) => {
    const s = await db.selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).executeTakeFirstOrThrow();
    const paid = await paySettlement(db, claimWorkflow(tenant, origin), { settlementId: s.id, method: "sandbox" }, { userId: manager.id });
    if (!paid.ok) throw new Error(paid.message);
    return s.id;
  });
  return { tenantId: tenant.id, claimId, settlementId, email: claimant.user.email };
}

async function reconcile(tenantId: string) {
  const tenant = await tenantById(tenantId);
  if (!tenant) throw new Error("no tenant");
  return reconcileSettlements(tenant, await tenantOrigin(tenant));
}

const [command, arg] = process.argv.slice(2);
const result = command === "setup" ? await setup() : command === "reconcile" ? await reconcile(arg!) : undefined;
if (!result) throw new Error(`unknown command ${command}`);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await closeDb();
process.exit(0);

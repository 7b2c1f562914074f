/**
 * The fault test's helper process (`tsx tests/support/fault-child.ts <command>`), run against the
 * test's own PostgreSQL cluster (DATABASE_URL). A process of its own because env() and the pools
 * are per process, and the suite's process is bound to the suite's cluster.
 *
 *   setup      migrate and seed, then a customer pays an order on the sandbox with no worker
 *              running: the order is paid and its issuance job waits. Prints { tenantId, orderId, … }.
 *   reconcile  one reconciliation run for a tenant (argv[3]); prints the run.
 */
import { closeDb, withTenant } from "~db/client";
import { migrate } from "~db/migrate";
import { seed } from "~db/seed";
import { env } from "~/lib/env.server";
import { processProviderEvent } from "~/modules/payments/events.server";
import { startPayment } from "~/modules/payments/payments.server";
import { reconcileTenant } from "~/modules/payments/reconcile.server";
import { playSandboxChoice } from "~/modules/payments/sandbox.server";
import { ORIGIN, customerWithOrder, paymentsTenant } from "./checkout";

async function setup() {
  const config = env();
  await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
  await seed();
  const tenant = await paymentsTenant();
  const customer = await customerWithOrder(tenant, { method: "mpesa" });
  const started = await startPayment(tenant, {
    target: { orderId: customer.orderId },
    userId: customer.user.id,
    method: "mpesa",
    phone: "0712345678",
    email: customer.user.email,
    origin: ORIGIN,
  });
  if (!started.ok) throw new Error(started.message);
  const tx = await withTenant(tenant.id, (db) =>
    db.selectFrom("transactions").select("provider_ref").where("id", "=", started.transactionId).executeTakeFirstOrThrow(),
  );
  const played = await playSandboxChoice(tenant, tx.provider_ref!, "approve");
  if (!played.ok) throw new Error(played.message);
  // What the worker's process_provider_event job would do: the payment completes, issuance is queued.
  const event = await withTenant(tenant.id, (db) =>
    db.selectFrom("provider_events").select("id").where("transaction_id", "=", started.transactionId).executeTakeFirstOrThrow(),
  );
  const outcome = await processProviderEvent(tenant.id, event.id);
  return {
    tenantId: tenant.id,
    orderId: customer.orderId,
    email: customer.user.email,
    transactionId: started.transactionId,
    items: customer.itemIds.length,
    outcome,
  };
}

const [command, arg] = process.argv.slice(2);
const result = command === "setup" ? await setup() : command === "reconcile" ? await reconcileTenant(arg!) : undefined;
if (!result) throw new Error(`unknown command ${command}`);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await closeDb();
process.exit(0);

import { closeDb } from "~db/client";
import { logger } from "~/lib/log.server";
import { ensureDatabase } from "./database";
import { seed } from "~db/seed";

/** `npm run db:seed`: idempotent; run it as often as you like. */
const cluster = await ensureDatabase();
const result = await seed();
logger.info(`Seeded tenants: ${result.tenants.join(", ")}`);
await closeDb();
await cluster?.stop();

import { closeDb } from "~db/client";
import { logger } from "~/lib/log.server";
import { ensureDatabase } from "./database";
import { migrate } from "~db/migrate";
import { env } from "~/lib/env.server";

/** `npm run db:migrate` (and Fly's release command). */
const cluster = await ensureDatabase();
const config = env();
const applied = await migrate(config.DATABASE_URL, { appUrl: config.APP_DATABASE_URL, platformUrl: config.PLATFORM_DATABASE_URL });
logger.info(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
await closeDb();
await cluster?.stop();

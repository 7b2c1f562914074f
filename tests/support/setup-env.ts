import { afterAll, inject } from "vitest";

// Every test file talks to the database and the app started by global-setup.ts.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.NODE_ENV = "test";

afterAll(async () => {
  // Close this file's pools before the cluster stops, so nothing reports a lost connection.
  const { closeDb } = await import("~db/client");
  await closeDb();
});

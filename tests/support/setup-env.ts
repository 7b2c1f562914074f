import { inject } from "vitest";

// Every test file talks to the database and the app started by global-setup.ts.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.NODE_ENV = "test";

import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~db": path.resolve("db"), "~": path.resolve("app") },
  },
  test: {
    include: ["tests/**/*.test.ts", "app/**/*.test.ts", "server/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-env.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only make the argon2 hashes queue.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});

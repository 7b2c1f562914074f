/**
 * Route modules reach the database through this `.server` file, never `~db/client` directly:
 * db/client.ts has module-level effects (pg's type parsers), so the browser build would keep it
 * — and `pg` — when a route imports it. A `.server` module is emptied in the browser build.
 */
export { runtimeDb, withPlatform, withTenant } from "~db/client";
export type { PlatformDb, TenantDb } from "~db/client";

import { readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { withPlatform, withTenant } from "~db/client";
import { startSession } from "~/modules/auth/sessions.server";
import { addToCart } from "~/modules/cart/cart.server";
import { createOrResumeOrder } from "~/modules/checkout/orders.server";
import { startOperatorSession } from "~/modules/platform/operators.server";
import { createQuote } from "~/modules/quotes/quotes.server";
import { tenantById, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { createTenant, createUser, ownerDb } from "../db";
import { Browser } from "../http";
import { seedTenantCopies } from "../tenant-copies";

/**
 * The demo agencies as the fuzzer meets them: each loaded from its own manifest files
 * (tenants/<slug>/: agency, catalogue, demo users, KHHoldings' agent network) under the slug
 * `fuzz-<slug>`, so the fuzzer may change whatever its requests reach while other test files read
 * the demo tenants themselves in parallel. A browser per demo user's role, signed in by a session
 * of its own (no password round trip, no sign-in rate limit), and the ids a route's dynamic
 * segments need.
 */

export const PLATFORM_HOST = "localhost";

export interface Agency {
  slug: string;
  host: string;
  tenant: TenantInfo;
  /** role → the demo user who has it (the first one listed in the manifest). */
  users: Map<string, { id: string; email: string }>;
  /** Ids of this agency's demo data for a route's dynamic segments, by segment name. */
  ids: Record<string, string>;
}

export async function loadDemoCopies(slugs = ["bowman", "khholdings"]): Promise<Agency[]> {
  await seedTenantCopies(slugs.map((slug) => ({ from: slug, slug: `fuzz-${slug}`, name: `Fuzz copy of ${slug}` })));
  const agencies: Agency[] = [];
  for (const slug of slugs) {
    const manifest = JSON.parse(await readFile(path.join("tenants", slug, "manifest.json"), "utf8")) as {
      demoUsers: { email: string; roles: string[] }[];
    };
    const row = await ownerDb().selectFrom("tenants").select("id").where("slug", "=", `fuzz-${slug}`).executeTakeFirstOrThrow();
    const tenant = (await tenantById(row.id))!;
    const users = new Map<string, { id: string; email: string }>();
    for (const demo of manifest.demoUsers) {
      const user = await ownerDb()
        .selectFrom("users")
        .select(["id", "email"])
        .where("tenant_id", "=", tenant.id)
        .where("email", "=", demo.email)
        .executeTakeFirstOrThrow();
      for (const role of demo.roles) if (!users.has(role)) users.set(role, user);
    }
    agencies.push({ slug, host: `${tenant.slug}.localhost`, tenant, users, ids: await demoIds(tenant, users) });
  }
  return agencies;
}

/** A browser signed in as `userId` on `host` by a fresh session (the previous one may have been signed out). */
export async function signedIn(browser: Browser, tenantId: string, userId: string): Promise<Browser> {
  const cookie = await withTenant(tenantId, (db) => startSession(db, userId, { ip: "127.0.0.1", userAgent: "covera-fuzz" }));
  setCookie(browser, cookie);
  return browser;
}

export async function operatorSignedIn(browser: Browser): Promise<Browser> {
  const op = await ownerDb()
    .selectFrom("platform_operators")
    .select("id")
    .where("email", "=", "operator@covera.demo")
    .executeTakeFirstOrThrow();
  setCookie(browser, await withPlatform((db) => startOperatorSession(db, op.id, { ip: "127.0.0.1", userAgent: "covera-fuzz" })));
  return browser;
}

function setCookie(browser: Browser, header: string) {
  const [pair] = header.split(";");
  const at = pair!.indexOf("=");
  browser.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
}

/**
 * Real ids for dynamic segments, chosen so a hostile request cannot lock the fuzzer out: the user
 * an admin edits is one made for it, not a demo user with a session; the agent is not the one
 * signed in. Segments not named here come from links found in the pages, or stay unknown (a
 * request for a missing id must answer 404, never 500).
 */
async function demoIds(tenant: TenantInfo, users: Map<string, { id: string; email: string }>): Promise<Record<string, string>> {
  const db = ownerDb();
  const ids: Record<string, string> = { provider: "sandbox", "*": "nothing-here" };
  const first = async (table: string, column = "id") =>
    (
      await sql<{ value: string }>`
        select ${sql.ref(column)} as value from ${sql.table(table)} where tenant_id = ${tenant.id} order by 1 limit 1
      `.execute(db)
    ).rows[0]?.value;
  const set = (name: string, value: string | undefined) => {
    if (value) ids[name] = value;
  };
  set("userId", (await createUser(tenant.id, { roles: ["customer"], name: "Fuzz Target" })).id);
  set("categoryId", await first("categories"));
  set("insurerId", await first("insurers"));
  set("productId", await first("products"));
  set("slug", await first("products", "slug"));
  const signedInAgent = users.get("agent")?.id;
  let agents = db.selectFrom("agents").select(["id", "referral_code"]).where("tenant_id", "=", tenant.id);
  if (signedInAgent) agents = agents.where("user_id", "!=", signedInAgent);
  const agent = await agents.orderBy("created_at", "desc").executeTakeFirst();
  set("agentId", agent?.id);
  set("code", agent?.referral_code);
  set("month", new Date().toISOString().slice(0, 7));

  // The customer's own checkout, so the checkout steps are reached with a real order.
  const customer = users.get("customer");
  if (customer) {
    const product = await db
      .selectFrom("products")
      .select(["slug", "sample_input"])
      .where("tenant_id", "=", tenant.id)
      .where("active", "=", true)
      .orderBy("slug")
      .executeTakeFirst();
    if (product) {
      const orderId = await withTenant(tenant.id, async (t) => {
        const quote = await createQuote(t, tenant, { productSlug: product.slug, input: product.sample_input, userId: customer.id });
        if (!quote.ok) return undefined;
        set("quoteId", quote.quote.id);
        const added = await addToCart(t, { userId: customer.id, cartId: null }, quote.quote.id);
        if (!added.ok) return undefined;
        const started = await createOrResumeOrder(t, tenant, customer.id, added.cartId);
        return started.ok ? started.orderId : undefined;
      });
      set("orderId", orderId);
    }
  }
  return ids;
}

/** An agency of its own for the operator console's per-tenant pages (they may suspend it). */
export async function consoleTarget(): Promise<string> {
  return (await createTenant({ name: "Fuzz Console Target" })).id;
}

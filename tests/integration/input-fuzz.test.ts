import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { formsOf, linksOf, type FormField, type PageForm } from "../support/fuzz/html";
import { builtRoutes, fillPath, matcherOf, paramsOf, type BuiltRoute } from "../support/fuzz/routes";
import { formBody, formCase, jsonCase, queryCase, urlValue, type Body } from "../support/fuzz/values";
import { consoleTarget, loadDemoCopies, operatorSignedIn, PLATFORM_HOST, signedIn, type Agency } from "../support/fuzz/world";
import { Browser, type HttpResponse } from "../support/http";
import { memberForm } from "./members-support";

/**
 * Every form action, JSON route and page loader of both demo agencies (and the operator console),
 * sent NUL, CR/LF, control characters, a megabyte, lone surrogates, right-to-left and zero-width
 * marks, long grapheme clusters, emoji, values of the wrong type, and malformed JSON, multipart
 * and percent-encoding, signed in as the demo role that reaches each: no answer may be a 5xx (a 429
 * is fine). Property-based (fast-check) with a fixed seed, so a run is repeatable; FUZZ_SEED and
 * FUZZ_RUNS explore further.
 *
 * The routes come from the build's route manifest and the API's OpenAPI document, the forms and
 * their fields from the pages themselves, and the ids for dynamic segments from the demo data: a
 * route added later is fuzzed without editing this file. See docs/decisions/018.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);
const FORM_RUNS = Number(process.env.FUZZ_RUNS ?? 5);
const QUERY_RUNS = Math.max(1, Math.ceil(FORM_RUNS / 3));
const API_RUNS = FORM_RUNS * 2;
const CONCURRENCY = 3;
/** Node's default maximum size of a request's head (request line and headers). */
const NODE_HEADER_LIMIT = 16 * 1024;
/** Roles in the order they are tried: the first that reaches a page is the one that fuzzes it. */
const ROLE_ORDER = ["admin", "staff", "underwriter", "assessor", "agent", "customer", "anonymous"];
/** Query parameters tried on every loader, beside the ones its own GET forms name. */
const COMMON_QUERY = ["q", "page", "status", "from", "to", "month", "redirectTo", "token", "notice", "p", "order", "product"];

interface Site {
  host: string;
  label: string;
  roles: { role: string; browser: () => Promise<Browser> }[];
  ids: Record<string, string>;
}

interface Failure {
  where: string;
  detail: string;
}

let sites: Site[];
let routes: BuiltRoute[];
const failures: Failure[] = [];
let requests = 0;

beforeAll(async () => {
  routes = builtRoutes();
  const agencies = await loadDemoCopies();
  const consoleTenant = await consoleTarget();
  sites = agencies.map(siteOf);
  sites.push({
    host: PLATFORM_HOST,
    label: "console",
    roles: [
      { role: "operator", browser: () => operatorSignedIn(new Browser(PLATFORM_HOST)) },
      { role: "anonymous", browser: async () => new Browser(PLATFORM_HOST) },
    ],
    ids: { tenantId: consoleTenant },
  });
  // An agent's member, registered through the real page, for the member pages.
  for (const [i, agency] of agencies.entries()) {
    const agent = sites[i]!.roles.find((r) => r.role === "agent");
    if (!agent) continue;
    const res = await (await agent.browser()).post("/agent/members/new", memberForm());
    const member = /\/agent\/members\/([0-9a-f-]{36})/.exec(res.location ?? "")?.[1];
    if (member) agency.ids.memberId = member;
  }
}, 120_000);

function siteOf(agency: Agency): Site {
  const roles = ROLE_ORDER.flatMap((role) => {
    if (role === "anonymous") return [{ role, browser: async () => new Browser(agency.host) }];
    const user = agency.users.get(role);
    return user ? [{ role, browser: () => signedIn(new Browser(agency.host), agency.tenant.id, user.id) }] : [];
  });
  return { host: agency.host, label: agency.slug, roles, ids: agency.ids };
}

const onSite = (site: Site, route: BuiltRoute) => (site.host === PLATFORM_HOST) === route.path.startsWith("/console");

describe("fuzzing every route of the demo agencies", () => {
  // Ten minutes on a quiet machine is plenty; a loaded one (CI beside other work) needs more, and a timeout is no finding.
  it("answers no hostile request with a 5xx", { timeout: 1_500_000 }, async () => {
    const started = Date.now();
    const jobs: (() => Promise<void>)[] = [];
    for (const site of sites) {
      // Pages first, so every form is known before the routes that only other pages post to.
      const pages = new Map<string, PageVisit>();
      const forms: PageForm[] = [];
      await pool(
        routes.filter((r) => onSite(site, r) && r.loader && !r.path.startsWith("/api/")),
        CONCURRENCY,
        async (route) => {
          const visit = await visitPage(site, route);
          pages.set(route.id, visit);
          forms.push(...visit.forms);
        },
      );
      for (const route of routes.filter((r) => onSite(site, r))) {
        if (route.path.startsWith("/api/")) continue;
        jobs.push(() => fuzzRoute(site, route, pages.get(route.id), forms));
      }
      if (site.host !== PLATFORM_HOST) jobs.push(() => fuzzApi(site));
    }
    await pool(jobs, CONCURRENCY, (job) => job());
    console.info(
      `Fuzzed ${routes.length} routes on ${sites.length} hosts: ${requests} requests in ${Math.round((Date.now() - started) / 1000)} s (seed ${SEED})`,
    );
    expect(failures.map((f) => `${f.where}\n${f.detail}`).join("\n\n")).toBe("");
  });
});

// ---------------------------------------------------------------------------------------------

interface PageVisit {
  role: string;
  path: string;
  forms: PageForm[];
}

/** The first role (in ROLE_ORDER) that reaches the page, and the page's forms as it sees them. */
async function visitPage(site: Site, route: BuiltRoute): Promise<PageVisit> {
  const path = fillPath(route.path, site.ids);
  for (const { role, browser } of site.roles) {
    const res = await send(site, role, await browser(), "GET", path);
    if ("error" in res || !reached(res, route)) continue;
    for (const link of linksOf(res.text)) learnIds(site, link);
    return { role, path, forms: route.page ? formsOf(res.text, path) : [] };
  }
  return { role: site.roles[0]!.role, path, forms: [] };
}

function reached(res: HttpResponse, route: BuiltRoute): boolean {
  if (res.status >= 200 && res.status < 300) return true;
  return !route.page && [400, 405, 409, 422].includes(res.status);
}

/** A link to a dynamic route gives its ids for the routes not named in the demo data (first found wins). */
function learnIds(site: Site, link: string) {
  const path = link.split("?")[0]!;
  for (const route of routes) {
    if (!paramsOf(route.path).length) continue;
    const match = matcherOf(route.path).exec(path);
    for (const [name, value] of Object.entries(match?.groups ?? {})) site.ids[name] ??= value;
  }
}

async function fuzzRoute(site: Site, route: BuiltRoute, visit: PageVisit | undefined, allForms: PageForm[]) {
  const role = visit?.role ?? site.roles[0]!.role;
  const path = visit?.path ?? fillPath(route.path, site.ids);
  const where = `${site.label} ${route.path} as ${role}`;
  const seed = SEED + hash(`${site.label} ${route.id}`);

  if (route.loader) {
    const names = [
      ...new Set([...(visit?.forms ?? []).filter((f) => f.method === "get").flatMap((f) => f.fields.map((x) => x.name)), ...COMMON_QUERY]),
    ];
    await property(where, seed, QUERY_RUNS, queryCase(names), async (query) => check(site, role, "GET", `${path}?${query}`));
    // A dynamic segment that is itself hostile must be a 404, never a 500.
    if (paramsOf(route.path).length) {
      await property(`${where} (segment)`, seed + 1, 1, urlValue, async (value) =>
        check(site, role, "GET", fillPath(route.path, Object.fromEntries(paramsOf(route.path).map((p) => [p, value || "x"])))),
      );
    }
  }
  if (!route.action) return;
  const target = route.index ? `${path}?index` : path;
  const own = allForms.filter((f) => f.method === "post" && sameTarget(f.action, target));
  const forms = own.length ? own : [{ method: "post" as const, action: target, multipart: false, fields: GENERIC_FIELDS }];
  for (const [i, form] of forms.entries()) {
    await property(
      `${where} form ${i + 1}/${forms.length} ${fieldList(form.fields)}`,
      seed + 2 + i,
      FORM_RUNS,
      formCase(form.fields.length),
      async (c) => {
        const { body, contentType } = formBody(form.fields, c);
        await check(site, role, "POST", form.action, { body, contentType });
      },
    );
  }
  // Signed out, the same action must refuse calmly too.
  if (role !== "anonymous") {
    const anonymous = site.roles.find((r) => r.role === "anonymous")!;
    await property(`${site.label} ${route.path} signed out`, seed + 99, 1, formCase(forms[0]!.fields.length), async (c) =>
      check(site, anonymous.role, "POST", forms[0]!.action, formBody(forms[0]!.fields, c)),
    );
  }
}

const GENERIC_FIELDS: FormField[] = ["intent", "name", "email", "q", "id", "value"].map((name) => ({
  name,
  value: "x",
  kind: "text" as const,
}));

function sameTarget(action: string, target: string): boolean {
  const [a, aq = ""] = action.split("?");
  const [t, tq = ""] = target.split("?");
  return a === t && aq.split("&").includes("index") === tq.split("&").includes("index");
}

const fieldList = (fields: FormField[]) => `[${[...new Set(fields.map((f) => f.name))].join(", ").slice(0, 200)}]`;

/** The JSON API, from its own OpenAPI document: each operation with hostile parameters and bodies. */
async function fuzzApi(site: Site) {
  const role = site.roles.find((r) => r.role === "customer") ?? site.roles[0]!;
  const doc = await send(site, role.role, await role.browser(), "GET", "/api/v1/openapi.json");
  if ("error" in doc || doc.status !== 200) {
    failures.push({ where: `${site.label} /api/v1/openapi.json`, detail: `answered ${"error" in doc ? doc.error : doc.status}` });
    return;
  }
  const spec = JSON.parse(doc.text) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  const example = { product: site.ids.slug ?? "x", frequency: "annual", inputs: {} };
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const path = `/api/v1${template.replace(/\{(\w+)\}/g, (_, name: string) => site.ids[name] ?? "00000000-0000-4000-8000-000000000000")}`;
      const where = `${site.label} ${method.toUpperCase()} /api/v1${template}`;
      const seed = SEED + hash(where);
      const queryNames = (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      await property(where, seed, API_RUNS, queryCase([...queryNames, "q"]), async (query) =>
        check(
          site,
          role.role,
          method.toUpperCase(),
          `${path}?${query}`,
          method === "get" ? undefined : { body: Buffer.from("{}"), contentType: "application/json" },
        ),
      );
      if (method !== "get")
        await property(`${where} body`, seed + 1, API_RUNS, jsonCase(example), async (body) =>
          check(site, role.role, method.toUpperCase(), path, body),
        );
      if (template.includes("{"))
        await property(`${where} (segment)`, seed + 2, 2, urlValue, async (value) =>
          check(site, role.role, method.toUpperCase(), `/api/v1${template.replace(/\{\w+\}/g, value || "x")}`),
        );
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Runs a fast-check property; a failure is recorded with the request that failed and how to run it
 * again (seed and path), and the run goes on to the next route.
 */
async function property<T>(
  where: string,
  seed: number,
  numRuns: number,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
) {
  // No shrinking: the server's state moves on between runs, so a smaller case may not fail alike.
  const run = await fc.check(fc.asyncProperty(arbitrary, predicate), { seed, numRuns, endOnFailure: true });
  if (run.failed) {
    const error = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
    failures.push({
      where,
      detail: `${error}
(fast-check seed ${run.seed}, path ${run.counterexamplePath})`,
    });
  }
}

/** One request as the given role (a fresh session each time: a hostile request may have signed it out); a 5xx or a broken connection fails. */
async function check(site: Site, role: string, method: string, path: string, body?: Body) {
  const browser = await site.roles.find((r) => r.role === role)!.browser();
  const res = await send(site, role, browser, method, path, body);
  // Past Node's header limit (16 KiB) its HTTP parser refuses the request itself with a 431 and closes
  // the socket; a client still writing the rest of a huge URL may see that as a reset instead of the
  // 431. Either way the app never saw the request. Below the limit a broken connection fails.
  if ("error" in res && Buffer.byteLength(path) > NODE_HEADER_LIMIT) return;
  if ("error" in res) throw new Error(`${method} ${excerpt(path)}: the connection broke (${res.error})`);
  if (res.status >= 500) {
    throw new Error(
      `${method} ${excerpt(path)} ${body ? `${body.contentType} ${excerpt(body.body.toString("utf8"))}` : ""}\n→ ${res.status} ${excerpt(res.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " "), 400)}`,
    );
  }
}

async function send(
  site: Site,
  _role: string,
  browser: Browser,
  method: string,
  path: string,
  body?: Body,
): Promise<HttpResponse | { error: string }> {
  requests += 1;
  // A connection per request: a kept-alive socket the server closes as it is reused would read as a reset.
  const headers: Record<string, string> = { connection: "close" };
  if (body) Object.assign(headers, { "content-type": body.contentType, origin: new URL(browser.origin).origin });
  try {
    return await browser.send(method, path, body?.body as unknown as string, headers);
  } catch (error) {
    return { error: error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? ""} ${error.message}` : String(error) };
  }
}

function excerpt(text: string, max = 160): string {
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
  return shown;
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % 1_000_000;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

import { createHash } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { withTenant, type TenantDb } from "~db/client";
import { apiError } from "~/lib/api.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";
import { fieldErrors } from "~/modules/rating";
import type { LimitName } from "~/modules/abuse/limits.server";
import { countRequest, tryAgainMessage } from "~/modules/abuse/rate-limit.server";
import type { ApiScope } from "~/modules/auth/api-keys.server";
import { originOf, siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { idempotent } from "./idempotency.server";
import { ApiProblem, notFound } from "./problem.server";
import { auditApiUse, principalIn, requireApiUser, requireScope, throttleKey, type Principal } from "./principal.server";

/**
 * One /api/v1 operation, described once (decision 045): its method and path, who may call it, the
 * zod schemas of its path parameters, query, body and answers, and the handler. The route module
 * serves it (`apiRoute`), and the OpenAPI document is generated from the very same schemas
 * (`openapi.server.ts`), so the description cannot drift from what the route validates.
 *
 * What every endpoint gets without asking:
 * - the tenant from the host (404 for any other host, 503 for a paused agency);
 * - the caller (`principalOf`): a bad token or key is a 401, a missing scope a 403;
 * - the agency's hourly allowance, anonymous or authenticated, with 429 and Retry-After;
 * - CORS for the origins the agency allows, preflights included;
 * - parsing: a wrong query or body is a 400 `VALIDATION_ERROR` naming the field; a path parameter
 *   that cannot name anything (a malformed id) is the 404 `NOT_FOUND` an unknown one gets;
 * - on POSTs that create something (`creates: true`), `Idempotency-Key`: the first answer is stored
 *   and replayed for a repeat; the same key with a different body is a 422;
 * - on reads, an ETag of the answer and 304 for a matching If-None-Match;
 * - errors always as `{ status: "error", code, message, errors }`, never HTML or a stack trace.
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * `public`: anyone (a token or key is still read, and counts as authenticated);
 * `user`: a signed-in person (bearer token, or a same-site web session); keys are refused;
 * `{ scope }`: an API key holding the scope, or a signed-in person (the handler checks their rights);
 * `{ scope, anonymous: true }`: the same, or nobody at all (the catalogue: a key must still hold the scope).
 */
export type EndpointAuth = "public" | "user" | { scope: ApiScope; anonymous?: boolean };

export interface EndpointContext<P, Q, B> {
  request: Request;
  tenant: TenantInfo;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
}

export interface Answer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

type AnyObject = z.ZodObject<z.ZodRawShape> | z.ZodEffects<z.ZodObject<z.ZodRawShape>>;

export interface EndpointSpec<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodTypeAny | undefined> {
  method: Method;
  /** OpenAPI form, under /api/v1: "/policies/{policyId}". */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: EndpointAuth;
  params?: P;
  /** What the path names, for its 404: "Quote" → "Quote not found" (a malformed id too). */
  resource?: string;
  query?: Q;
  body?: B;
  /** Successful answers by status; `schema` absent for an empty answer (204). */
  responses: Record<number, { description: string; schema?: z.ZodTypeAny }>;
  /** Failure statuses worth documenting beyond the ones every endpoint has (400, 401, 403, 429, 500). */
  errors?: number[];
  /** A POST that creates something: Idempotency-Key is honoured. */
  creates?: boolean;
  /**
   * The handler reads a multipart body (files) itself: the plumbing neither reads nor parses it, and
   * an Idempotency-Key fingerprints the request by its declared length rather than its bytes.
   */
  upload?: boolean;
  /** A further rate limit this operation counts under (e.g. "quote", "sign_in"). */
  limit?: LimitName;
  handler: (
    ctx: EndpointContext<
      P extends AnyObject ? z.output<P> : Record<string, never>,
      Q extends AnyObject ? z.output<Q> : Record<string, never>,
      B extends z.ZodTypeAny ? z.output<B> : undefined
    >,
  ) => Promise<Answer | Response>;
}

export type Endpoint = EndpointSpec<AnyObject | undefined, AnyObject | undefined, z.ZodTypeAny | undefined>;

export function endpoint<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodTypeAny | undefined = undefined,
>(spec: EndpointSpec<P, Q, B>): Endpoint {
  return spec as unknown as Endpoint;
}

const MAX_BODY_BYTES = 1_000_000;
const DRAIN_BYTES = 16_000_000;

async function tenantOf(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "suspended") throw new ApiProblem(503, "TENANT_UNAVAILABLE", "This agency is currently unavailable");
  if (site.kind !== "tenant") throw new ApiProblem(404, "NOT_FOUND", "Agency not found");
  return site.tenant;
}

interface ApiSettings {
  allowedOrigins: string[];
  /** The agency's own allowances; undefined: the defaults in abuse/limits.server.ts. */
  anonymousPerHour?: number;
  authenticatedPerHour?: number;
}

async function settingsIn(db: TenantDb): Promise<ApiSettings> {
  const row = await db
    .selectFrom("api_settings")
    .select(["allowed_origins", "anonymous_per_hour", "authenticated_per_hour"])
    .executeTakeFirst();
  return {
    allowedOrigins: row?.allowed_origins ?? [],
    anonymousPerHour: row?.anonymous_per_hour,
    authenticatedPerHour: row?.authenticated_per_hour,
  };
}

function corsHeaders(request: Request, settings: ApiSettings, methods: string[]): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin || !settings.allowedOrigins.includes(origin)) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Allow-Methods": [...methods, "OPTIONS"].join(", "),
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Api-Key, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Location, Retry-After, Idempotent-Replayed",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  };
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/** zod's issues as the API's `errors`: `inputs.persons[0].age` → messages; the whole body's → `body`. */
function zodErrors(error: z.ZodError): Record<string, string[]> {
  const { form, ...fields } = fieldErrors(error.issues.map((i) => ({ path: i.path, message: i.message })));
  return form ? { ...fields, body: form } : fields;
}

function parseWith<T extends z.ZodTypeAny>(schema: T | undefined, input: unknown, message: string): z.output<T> | Record<string, never> {
  if (!schema) return {};
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ApiProblem(400, "VALIDATION_ERROR", message, zodErrors(parsed.error));
  return parsed.data;
}

/**
 * Query string → object; a key given twice becomes an array (filters that take several values). An
 * empty value (`?q=`, what a plain form sends for an empty field) is the same as none.
 */
function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key).filter((v) => v !== "");
    if (values.length) out[key] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

/**
 * The body as text, at most 1 MB. Read as a stream so an oversized body is never held; a body up to
 * DRAIN_BYTES is still read to its end (and dropped), so the client, still sending, reads our 413
 * instead of a reset connection. Beyond that the stream is cancelled.
 */
async function bodyText(request: Request): Promise<string> {
  const tooLarge = new ApiProblem(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > DRAIN_BYTES || declared > DRAIN_BYTES) {
      await reader.cancel();
      throw tooLarge;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(value);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge;
  return Buffer.concat(chunks).toString("utf8");
}

async function readBody(request: Request): Promise<{ raw: string; value: unknown }> {
  const raw = await bodyText(request);
  if (raw.trim() === "") return { raw, value: undefined };
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/(json|[\w.+-]+\+json)\b/i.test(type)) {
    throw new ApiProblem(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json");
  }
  try {
    return { raw, value: JSON.parse(raw) as unknown };
  } catch {
    throw new ApiProblem(400, "INVALID_JSON", "The request body is not valid JSON");
  }
}

function etagOf(text: string): string {
  return `W/"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*");
}

async function throttle(
  request: Request,
  tenant: TenantInfo,
  principal: Principal,
  settings: ApiSettings,
  extra?: LimitName,
): Promise<void> {
  const authenticated = principal.kind !== "anonymous";
  const client = throttleKey(principal, request);
  const counts = [
    countRequest(
      authenticated ? "api_authenticated" : "api_anonymous",
      tenant.id,
      client,
      authenticated ? settings.authenticatedPerHour : settings.anonymousPerHour,
    ),
  ];
  if (extra) counts.push(countRequest(extra, tenant.id, client));
  for (const counted of await Promise.all(counts)) {
    if (counted.limited) {
      throw new ApiProblem(429, "RATE_LIMITED", tryAgainMessage(counted), {}, { "Retry-After": String(counted.retryAfterSeconds) });
    }
  }
}

/**
 * What every call goes through before its endpoint runs: the agency, its settings and CORS, and the
 * caller, read in one tenant transaction (the hot path of every call). A bad credential's 401 is
 * kept, not thrown, so the checks that come before it (preflight, 405, a refused origin) answer first
 * and every failure carries the CORS headers. A preflight carries no credential: none is looked up.
 */
async function prelude(request: Request, methods: Method[]) {
  const tenant = await tenantOf(request);
  const { settings, caller } = await withTenant(tenant.id, async (db) => {
    const settings = await settingsIn(db);
    if (request.method === "OPTIONS") return { settings, caller: { principal: { kind: "anonymous" } as Principal } };
    const caller = await principalIn(db, request, tenant).then(
      (principal) => ({ principal }),
      (error: unknown) => {
        if (error instanceof ApiProblem) return { problem: error };
        throw error;
      },
    );
    return { settings, caller };
  });
  const principal = (): Principal => {
    if ("problem" in caller) throw caller.problem;
    return caller.principal;
  };
  return { tenant, settings, principal, cors: corsHeaders(request, settings, methods) };
}

/** The answer to a failure: the one error shape (a surprise is logged and reported, never shown). */
function failure(error: unknown, cors: Record<string, string>): Response {
  if (error instanceof ApiProblem) return withHeaders(error.toResponse(), cors);
  if (error instanceof Response) return withHeaders(error, cors);
  logger.error({ err: error }, "api: unexpected error");
  reportError(error);
  return withHeaders(apiError(500, "SERVER_ERROR", "Something went wrong on our side; please try again"), cors);
}

async function serve(endpoints: Endpoint[], request: Request, routeParams: Record<string, string | undefined>): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const methods = endpoints.map((e) => e.method);
    const before = await prelude(request, methods);
    const { tenant, settings } = before;
    cors = before.cors;
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const origin = request.headers.get("origin");
    const method = request.method === "HEAD" ? "GET" : request.method;
    const spec = endpoints.find((e) => e.method === method);
    if (!spec) throw new ApiProblem(405, "METHOD_NOT_ALLOWED", "Method not allowed", {}, { Allow: [...methods, "OPTIONS"].join(", ") });
    // A write from another site's page that the agency has not allowed: refused before anything runs.
    if (method !== "GET" && origin && !cors["Access-Control-Allow-Origin"] && origin !== originOf(request)) {
      throw new ApiProblem(403, "ORIGIN_NOT_ALLOWED", "This agency does not accept API calls from this site");
    }
    const principal = before.principal();
    await throttle(request, tenant, principal, settings, spec.limit);
    if (spec.auth === "user") requireApiUser(principal);
    else if (spec.auth !== "public" && !(spec.auth.anonymous && principal.kind === "anonymous")) requireScope(principal, spec.auth.scope);
    // A malformed id names nothing: the same 404 as an unknown or another agency's one.
    const parsedParams = spec.params?.safeParse(routeParams);
    if (parsedParams && !parsedParams.success) throw notFound(spec.resource);
    const params = parsedParams?.data ?? {};
    const query = parseWith(spec.query, queryObject(new URL(request.url)), "Some query parameters are not valid");
    const { raw, value } =
      method === "GET" || method === "DELETE"
        ? { raw: "", value: undefined }
        : spec.upload
          ? { raw: `upload:${request.headers.get("content-length") ?? ""}`, value: undefined }
          : await readBody(request);
    let body: unknown = undefined;
    if (spec.body) {
      const parsed = spec.body.safeParse(value ?? {});
      if (!parsed.success) throw new ApiProblem(400, "VALIDATION_ERROR", "Invalid input data", zodErrors(parsed.error));
      body = parsed.data;
    }
    void auditApiUse(tenant.id, principal, request, spec.path).catch((err: unknown) => logger.warn({ err }, "api: audit failed"));
    const run = async () => {
      const answer = await spec.handler({ request, tenant, principal, params, query, body } as never);
      if (answer instanceof Response) return answer;
      const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
      const headers: Record<string, string> = {
        "Cache-Control": principal.kind === "anonymous" ? "no-cache" : "private, no-cache",
        ...answer.headers,
      };
      if (text) headers["Content-Type"] = "application/json; charset=utf-8";
      const status = answer.status ?? 200;
      if (method === "GET" && status === 200) {
        const etag = etagOf(text);
        headers.ETag = etag;
        if (matchesEtag(request.headers.get("if-none-match"), etag))
          return new Response(null, { status: 304, headers: { ETag: etag, "Cache-Control": headers["Cache-Control"]! } });
      }
      return new Response(status === 204 ? null : text, { status, headers });
    };
    const key = request.headers.get("idempotency-key");
    const response = spec.creates && key !== null ? await idempotent(tenant, principal, request, key, raw, run) : await run();
    return withHeaders(response, cors);
  } catch (error) {
    return failure(error, cors);
  }
}

/**
 * Any /api/v1 address no route answers (app/routes/api.v1.$.ts): the API's NOT_FOUND whatever the
 * method, after the agency, the caller and the allowance, so probing for addresses is counted too.
 */
async function serveNothing(request: Request): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const before = await prelude(request, []);
    cors = before.cors;
    const principal = before.principal();
    await throttle(request, before.tenant, principal, before.settings);
    throw new ApiProblem(404, "NOT_FOUND", "Endpoint not found");
  } catch (error) {
    return failure(error, cors);
  }
}

/** Marks a route module's loader with the endpoints it serves (tests/integration/api-openapi.test.ts reads it from the build). */
export interface ServedBy {
  apiEndpoints: { method: Method; path: string; operationId: string }[];
}

/**
 * A route module's loader and action for the endpoints at one path:
 * `export const { loader, action } = apiRoute([listPolicies]);`
 */
export function apiRoute(endpoints: Endpoint[]) {
  const loader = ({ request, params }: LoaderFunctionArgs) => serve(endpoints, request, params);
  const served: ServedBy = { apiEndpoints: endpoints.map(({ method, path, operationId }) => ({ method, path, operationId })) };
  return {
    loader: Object.assign(loader, served),
    action: ({ request, params }: ActionFunctionArgs) => serve(endpoints, request, params),
  };
}

/** The catch-all route's loader and action: every unknown /api/v1 address is the API's 404. */
export function apiFallback() {
  return {
    loader: ({ request }: LoaderFunctionArgs) => serveNothing(request),
    action: ({ request }: ActionFunctionArgs) => serveNothing(request),
  };
}

import { createHash } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { withTenant } from "~db/client";
import { apiError } from "~/lib/api.server";
import { reportError } from "~/lib/error-reporting.server";
import { logger } from "~/lib/log.server";
import { fieldErrors } from "~/modules/rating";
import type { LimitName } from "~/modules/abuse/limits.server";
import { countRequest, tryAgainMessage } from "~/modules/abuse/rate-limit.server";
import type { ApiScope } from "~/modules/auth/api-keys.server";
import { originOf, siteOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { ApiProblem } from "./problem.server";
import { auditApiUse, principalKey, principalOf, requireApiUser, requireScope, type Principal } from "./principal.server";

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
 * - parsing: a wrong path parameter, query or body is a 400 `VALIDATION_ERROR` naming the field;
 * - on POSTs that create something (`creates: true`), `Idempotency-Key`: the first answer is stored
 *   and replayed for a repeat; the same key with a different body is a 422;
 * - on reads, an ETag of the answer and 304 for a matching If-None-Match;
 * - errors always as `{ status: "error", code, message, errors }`, never HTML or a stack trace.
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * `public`: anyone (a token or key is still read, and counts as authenticated);
 * `user`: a signed-in person (bearer token, or a same-site web session); keys are refused;
 * `{ scope }`: an API key holding the scope, or a signed-in person (the handler checks their rights).
 */
export type EndpointAuth = "public" | "user" | { scope: ApiScope };

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

async function tenantOf(request: Request): Promise<TenantInfo> {
  const site = await siteOf(request);
  if (site.kind === "suspended") throw new ApiProblem(503, "TENANT_UNAVAILABLE", "This agency is currently unavailable");
  if (site.kind !== "tenant") throw new ApiProblem(404, "NOT_FOUND", "Agency not found");
  return site.tenant;
}

interface ApiSettings {
  allowedOrigins: string[];
  anonymousPerHour: number;
  authenticatedPerHour: number;
}

async function settingsOf(tenantId: string): Promise<ApiSettings> {
  const row = await withTenant(tenantId, (db) =>
    db.selectFrom("api_settings").select(["allowed_origins", "anonymous_per_hour", "authenticated_per_hour"]).executeTakeFirst(),
  );
  return {
    allowedOrigins: row?.allowed_origins ?? [],
    anonymousPerHour: row?.anonymous_per_hour ?? 100,
    authenticatedPerHour: row?.authenticated_per_hour ?? 1000,
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

/** Query string → object; a key given twice becomes an array (filters that take several values). */
function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

async function readBody(request: Request): Promise<{ raw: string; value: unknown }> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new ApiProblem(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB");
  const raw = await request.text();
  if (raw.length > MAX_BODY_BYTES) throw new ApiProblem(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 1 MB");
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
  const client = principalKey(principal, request);
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

/** Stored first answers to POSTs with an Idempotency-Key: replay, conflict, or go ahead (and store after). */
async function idempotent(
  tenant: TenantInfo,
  principal: Principal,
  request: Request,
  key: string,
  rawBody: string,
  run: () => Promise<Response>,
): Promise<Response> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiProblem(400, "VALIDATION_ERROR", "Idempotency-Key must be 1 to 255 visible ASCII characters", {
      "Idempotency-Key": ["Invalid key"],
    });
  }
  const who = principalKey(principal, request);
  const path = new URL(request.url).pathname;
  const hash = createHash("sha256").update(`${request.method} ${path}\n${rawBody}`).digest("hex");
  const claimed = await withTenant(tenant.id, async (db) => {
    const inserted = await db
      .insertInto("api_idempotency")
      .values({ principal: who, idempotency_key: key, method: request.method, path, request_hash: hash })
      .onConflict((oc) => oc.columns(["tenant_id", "principal", "idempotency_key"]).doNothing())
      .returning("idempotency_key")
      .executeTakeFirst();
    if (inserted) return null;
    return db
      .selectFrom("api_idempotency")
      .select(["request_hash", "status", "body", "headers"])
      .where("principal", "=", who)
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow();
  });
  if (claimed) {
    if (claimed.request_hash !== hash) {
      throw new ApiProblem(422, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used with a different request");
    }
    if (claimed.status === null) {
      throw new ApiProblem(
        409,
        "REQUEST_IN_PROGRESS",
        "A request with this Idempotency-Key is still being answered; try again shortly",
        {},
        { "Retry-After": "1" },
      );
    }
    const replay = new Response(JSON.stringify(claimed.body), {
      status: claimed.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...claimed.headers },
    });
    replay.headers.set("Idempotent-Replayed", "true");
    return replay;
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await forget(tenant.id, who, key);
    throw error;
  }
  // Failures a retry could change (5xx, 409, 429) are not kept: the client may try again.
  if (response.status >= 500 || response.status === 409 || response.status === 429) {
    await forget(tenant.id, who, key);
    return response;
  }
  const text = await response.clone().text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const kept: Record<string, string> = {};
  for (const name of ["location", "etag"]) {
    const value = response.headers.get(name);
    if (value) kept[name] = value;
  }
  await withTenant(tenant.id, (db) =>
    db
      .updateTable("api_idempotency")
      .set({ status: response.status, body: JSON.stringify(body), headers: JSON.stringify(kept) })
      .where("principal", "=", who)
      .where("idempotency_key", "=", key)
      .execute(),
  );
  return response;
}

async function forget(tenantId: string, principal: string, key: string): Promise<void> {
  await withTenant(tenantId, (db) =>
    db.deleteFrom("api_idempotency").where("principal", "=", principal).where("idempotency_key", "=", key).execute(),
  );
}

async function serve(endpoints: Endpoint[], request: Request, routeParams: Record<string, string | undefined>): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const tenant = await tenantOf(request);
    const settings = await settingsOf(tenant.id);
    const methods = endpoints.map((e) => e.method);
    cors = corsHeaders(request, settings, methods);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    const origin = request.headers.get("origin");
    const method = request.method === "HEAD" ? "GET" : request.method;
    const spec = endpoints.find((e) => e.method === method);
    if (!spec) throw new ApiProblem(405, "METHOD_NOT_ALLOWED", "Method not allowed", {}, { Allow: [...methods, "OPTIONS"].join(", ") });
    // A write from another site's page that the agency has not allowed: refused before anything runs.
    if (method !== "GET" && origin && !cors["Access-Control-Allow-Origin"] && origin !== originOf(request)) {
      throw new ApiProblem(403, "ORIGIN_NOT_ALLOWED", "This agency does not accept API calls from this site");
    }
    const principal = await principalOf(request, tenant);
    await throttle(request, tenant, principal, settings, spec.limit);
    if (spec.auth === "user") requireApiUser(principal);
    else if (spec.auth !== "public") requireScope(principal, spec.auth.scope);
    const params = parseWith(spec.params, routeParams, "The address is not valid");
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
    if (error instanceof ApiProblem) return withHeaders(error.toResponse(), cors);
    if (error instanceof Response) return withHeaders(error, cors);
    logger.error({ err: error }, "api: unexpected error");
    reportError(error);
    return withHeaders(apiError(500, "SERVER_ERROR", "Something went wrong on our side; please try again"), cors);
  }
}

/**
 * A route module's loader and action for the endpoints at one path:
 * `export const { loader, action } = apiRoute([listPolicies]);`
 */
export function apiRoute(endpoints: Endpoint[]) {
  return {
    loader: ({ request, params }: LoaderFunctionArgs) => serve(endpoints, request, params),
    action: ({ request, params }: ActionFunctionArgs) => serve(endpoints, request, params),
  };
}

import { zodToJsonSchema } from "zod-to-json-schema";
import { z } from "zod";
import { endpoint, type Endpoint } from "./endpoint.server";
import { API_ENDPOINTS } from "./endpoints.server";
import { API_SCOPES } from "~/modules/auth/api-keys.server";
import { originOf } from "~/modules/tenancy/resolve.server";

/**
 * The OpenAPI 3.1 document of /api/v1 (decision 045), generated from the endpoints' own zod
 * schemas, served per agency at /api/v1/openapi.json. A route cannot answer something this does
 * not describe without a test noticing (tests/integration/api-openapi.test.ts validates real
 * answers against it).
 */
const ERROR_SCHEMA = {
  type: "object",
  required: ["status", "code", "message", "errors"],
  properties: {
    status: { const: "error" },
    code: { type: "string", examples: ["VALIDATION_ERROR", "NOT_FOUND", "UNAUTHENTICATED", "RATE_LIMITED"] },
    message: { type: "string" },
    errors: {
      type: "object",
      description: "Field (e.g. `inputs.persons[0].age`) → messages.",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
  },
};

const COMMON_ERRORS: Record<number, string> = {
  400: "The request is not valid: see `errors`.",
  401: "No valid access token or API key (expired, revoked, tampered, or another agency's).",
  403: "Signed in, but not allowed (a key without the scope, a role without the right).",
  404: "Not found, or not yours.",
  409: "The request conflicts with the current state (or the same Idempotency-Key is still being answered).",
  413: "The body is larger than 1 MB.",
  415: "The body is not JSON.",
  422: "The Idempotency-Key was used with a different request.",
  429: "Over the hourly allowance: see Retry-After.",
  500: "Our fault; try again.",
};

function jsonSchema(schema: z.ZodTypeAny): Record<string, unknown> {
  // OpenAPI 3.1 schemas are JSON Schema (2020-12): "openApi3" would emit 3.0's `nullable`, which 3.1 dropped.
  const out = zodToJsonSchema(schema, { target: "jsonSchema7", $refStrategy: "none" }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parameters(spec: Endpoint) {
  const out: Record<string, unknown>[] = [];
  for (const [where, schema] of [
    ["path", spec.params],
    ["query", spec.query],
  ] as const) {
    if (!schema) continue;
    const described = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    for (const [name, property] of Object.entries(described.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: where,
        required: where === "path" || (described.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

function operation(spec: Endpoint) {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    responses[status] = answer.schema
      ? { description: answer.description, content: { "application/json": { schema: jsonSchema(answer.schema) } } }
      : { description: answer.description };
  }
  // A present but bad token or key is a 401 even where none is needed.
  const errors = new Set([400, 401, 429, 500, ...(spec.auth === "public" ? [] : [403]), ...(spec.errors ?? [])]);
  for (const status of [...errors].sort()) {
    responses[String(status)] = {
      description: COMMON_ERRORS[status] ?? "An error.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  const headers: Record<string, unknown>[] = [];
  if (spec.creates) {
    headers.push({
      name: "Idempotency-Key",
      in: "header",
      required: false,
      description:
        "Any unique text up to 255 characters: a repeat with the same key and body answers the first answer again, creating nothing.",
      schema: { type: "string", maxLength: 255 },
    });
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    security:
      spec.auth === "public"
        ? [{}, { bearer: [] }, { apiKey: [] }]
        : spec.auth === "user"
          ? [{ bearer: [] }]
          : [...(spec.auth.anonymous ? [{}] : []), { bearer: [] }, { apiKey: [spec.auth.scope] }],
    parameters: [...parameters(spec), ...headers],
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(spec.body) } } } } : {}),
    responses,
  };
}

export function openApiDocument({ origin, agency }: { origin: string; agency: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of [...API_ENDPOINTS, getOpenApi]) {
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${agency} API`,
      version: "1.0.0",
      description:
        "Sign in at POST /auth/token for a 15-minute access token and a 7-day refresh token; partners use an API key. " +
        "Lists are cursor-paginated; POSTs that create take an Idempotency-Key; reads answer an ETag.",
    },
    servers: [{ url: `${origin}/api/v1` }],
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An access token from POST /auth/token (15 minutes)." },
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-Api-Key",
          description: `A partner key (also accepted as Authorization: Bearer). Scopes: ${Object.entries(API_SCOPES)
            .map(([scope, what]) => `${scope} (${what})`)
            .join(", ")}.`,
        },
      },
    },
  };
}

/**
 * GET /api/v1/openapi.json: this document, for the agency's own host. Described here rather than in
 * API_ENDPOINTS, which this module reads (listing it there would make the two import each other).
 */
export const getOpenApi: Endpoint = endpoint({
  method: "GET",
  path: "/openapi.json",
  operationId: "getOpenApi",
  summary: "This document",
  tags: ["Meta"],
  auth: "public",
  responses: { 200: { description: "The OpenAPI 3.1 document.", schema: z.object({ openapi: z.literal("3.1.0") }).passthrough() } },
  async handler({ request, tenant }) {
    return {
      body: openApiDocument({ origin: originOf(request), agency: tenant.name }),
      headers: { "Cache-Control": "public, max-age=300" },
    };
  },
});

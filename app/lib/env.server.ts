import { z } from "zod";

/**
 * The environment, parsed once. Anything the app reads from `process.env` comes through here so a
 * missing or malformed value fails at start-up with a clear message, not deep inside a request.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().positive().default(3000),
    // The owner/migrator connection: migrations, graphile-worker's own schema.
    DATABASE_URL: z.string().url(),
    // The runtime role (not superuser, not BYPASSRLS, not owner): every tenant query.
    APP_DATABASE_URL: z.string().url().optional(),
    // The platform role (BYPASSRLS, used only by operator code through withPlatform).
    PLATFORM_DATABASE_URL: z.string().url().optional(),
    SESSION_SECRET: z.string().min(16).optional(),
    // 32 bytes, base64: personal identifiers are encrypted with it (AES-256-GCM).
    ENCRYPTION_KEY: z.string().optional(),
    // The version label written into every ciphertext ("v1.<iv>.<data>"), and retired keys that
    // still decrypt during a rotation ("v0:<base64>,…"). See app/modules/pii/crypto.server.ts.
    ENCRYPTION_KEY_VERSION: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/)
      .default("v1"),
    ENCRYPTION_KEYS_OLD: z.string().optional(),
    // Hosts: `<slug>.<TENANT_HOST_SUFFIX>` is a tenant, PLATFORM_HOST is the operator site.
    PLATFORM_HOST: z.string().default("localhost"),
    TENANT_HOST_SUFFIX: z.string().default("localhost"),
    RESEND_API_KEY: z.string().optional(),
    EMAIL_FROM: z.string().default("Covera <no-reply@covera.app>"),
    // Anonymous page views are kept this many seconds per host and URL (0: off). See server/page-cache.ts.
    PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
    // Operations (docs/decisions/013-observability.md). The logger reads LOG_LEVEL and LOG_FORMAT
    // itself (it must work before this parse); they are listed here so a typo fails at start-up.
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    // Errors go to Sentry only when this is set; nothing of Sentry is loaded otherwise.
    SENTRY_DSN: z
      .string()
      .url()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    SENTRY_ENVIRONMENT: z.string().optional(),
    // Prometheus metrics on their own port, never on the public one (see README, Operations).
    METRICS_PORT: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .or(z.literal("").transform(() => undefined)),
    // Scales every rate limit's allowance (app/modules/abuse/limits.server.ts): 2 doubles them all.
    // The shared test app sets a large one; production leaves it at 1 (the values in README).
    RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().max(1_000_000).default(1),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    for (const key of ["APP_DATABASE_URL", "PLATFORM_DATABASE_URL", "SESSION_SECRET", "ENCRYPTION_KEY"] as const) {
      if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: "is required in production" });
    }
  });

export type Env = z.infer<typeof schema> & {
  APP_DATABASE_URL: string;
  PLATFORM_DATABASE_URL: string;
  SESSION_SECRET: string;
  ENCRYPTION_KEY: string;
};

/** Development and test defaults for the two runtime roles: same server, their own users. */
export function roleUrl(ownerUrl: string, user: string): string {
  const url = new URL(ownerUrl);
  url.username = user;
  url.password = `${user}_dev_password`;
  return url.toString();
}

let parsed: Env | undefined;

export function env(): Env {
  if (parsed) return parsed;
  const result = schema.safeParse(process.env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`The environment is not valid:\n${problems}\nSee .env.example.`);
  }
  const e = result.data;
  parsed = {
    ...e,
    APP_DATABASE_URL: e.APP_DATABASE_URL ?? roleUrl(e.DATABASE_URL, "covera_app"),
    PLATFORM_DATABASE_URL: e.PLATFORM_DATABASE_URL ?? roleUrl(e.DATABASE_URL, "covera_platform"),
    SESSION_SECRET: e.SESSION_SECRET ?? "development-only-session-secret",
    // A fixed development key: never used in production, where the variable is required.
    ENCRYPTION_KEY: e.ENCRYPTION_KEY ?? Buffer.alloc(32, 7).toString("base64"),
  };
  return parsed;
}

/** The subset the browser may see (root loader → window.ENV). Nothing secret goes here. */
export function publicEnv() {
  const { NODE_ENV, SENTRY_DSN, SENTRY_ENVIRONMENT } = env();
  // A DSN is public by design (it only lets one send events); the browser loads Sentry lazily with it.
  return { NODE_ENV, ...(SENTRY_DSN ? { SENTRY_DSN, SENTRY_ENVIRONMENT: SENTRY_ENVIRONMENT ?? NODE_ENV } : {}) };
}

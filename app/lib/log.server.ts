import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import { scrubText } from "./scrub";

/**
 * One logger for the app, the worker and the scripts: JSON lines in production, a readable line in
 * development and tests (docs/decisions/013-observability.md). Every line carries the context of
 * the request or job it was written in — request id, tenant, user; job id, task, tenant — without
 * anyone passing it, through AsyncLocalStorage.
 */

/** What every line written during a request or a job carries. Never personal data: ids only. */
export interface LogFields {
  requestId?: string;
  tenant?: string;
  tenantId?: string;
  userId?: string;
  jobId?: string;
  task?: string;
}

export interface WorkContext {
  log: LogFields;
  /** The Remix route that answered (deepest match), for the access log and metrics. */
  route?: string;
  routeDepth: number;
  /** What the request's loaders asked once and share (lib/per-request.server.ts). */
  answers?: Map<string, unknown>;
}

// The Remix server bundle and the process entry points each carry a copy of this module; they must
// share one context store and one logger, or lines from loaders would lose the request id.
const shared = ((globalThis as Record<symbol, unknown>)[Symbol.for("covera.log")] ??= {
  context: new AsyncLocalStorage<WorkContext>(),
}) as { context: AsyncLocalStorage<WorkContext>; logger?: Logger };

export function runWithContext<T>(log: LogFields, work: () => T): T {
  return shared.context.run({ log, routeDepth: -1 }, work);
}

/** The current request's or job's context, if any (undefined at start-up, in scripts). */
export function workContext(): WorkContext | undefined {
  return shared.context.getStore();
}

/** Called once the tenant of a request is known (host resolution). */
export function noteTenant(tenant: { id: string; slug: string }): void {
  const context = shared.context.getStore();
  if (context) {
    context.log.tenant = tenant.slug;
    context.log.tenantId = tenant.id;
  }
}

/** Called once the signed-in user of a request is known. */
export function noteUser(userId: string): void {
  const context = shared.context.getStore();
  if (context) context.log.userId = userId;
}

/** Called by each route loader or action that runs: the deepest one names the request. */
export function noteRoute(routeId: string, depth: number): void {
  const context = shared.context.getStore();
  if (context && depth >= context.routeDepth) {
    context.route = routeId;
    context.routeDepth = depth;
  }
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];

// Read straight from process.env rather than env(): the logger must work to report that the
// environment is invalid. env.server.ts validates the same two variables at start-up.
function level(): string {
  const asked = process.env.LOG_LEVEL?.toLowerCase();
  if (asked && LEVELS.includes(asked)) return asked;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

function pretty(): boolean {
  const format = process.env.LOG_FORMAT?.toLowerCase();
  if (format === "json" || format === "pretty") return format === "pretty";
  return process.env.NODE_ENV !== "production";
}

/** pino's error serializer keeps every enumerable property (pg's `detail` holds the row's values). */
function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) {
    // A thrown Response or Remix error response: its kind and status, not its (possibly personal) data.
    if (error && typeof error === "object") return { type: error.constructor?.name, status: (error as { status?: unknown }).status };
    return { message: scrubText(String(error)) };
  }
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: scrubText(error.message),
    ...(typeof code === "string" ? { code } : {}),
    stack: error.stack ? scrubText(error.stack) : undefined,
    ...(error.cause ? { cause: serializeError(error.cause) } : {}),
  };
}

// Keys that hold personal data or secrets, wherever they appear in a logged object.
const REDACT = ["email", "name", "phone", "nric", "nationalId", "kraPin", "password", "token", "secret", "cookie", "authorization", "body"];

function createLogger(): Logger {
  const options: pino.LoggerOptions = {
    level: level(),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT.flatMap((key) => [key, `*.${key}`]), censor: "[redacted]" },
    mixin: () => shared.context.getStore()?.log ?? {},
  };
  return pretty() ? pino(options, prettyStream()) : pino(options);
}

export const logger: Logger = (shared.logger ??= createLogger());

const COLOURS: Record<string, string> = { trace: "90", debug: "90", info: "36", warn: "33", error: "31", fatal: "31" };
const QUIET = new Set(["level", "time", "msg", "pid", "err"]);

/** Development's readable line: `12:03:04 INFO  message  key=value …`, the stack below an error. */
function prettyStream(): DestinationStream {
  const colour = Boolean(process.stdout.isTTY);
  return {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const lvl = String(entry.level);
      const label = lvl.toUpperCase().padEnd(5);
      const time = String(entry.time).slice(11, 19);
      const fields = Object.entries(entry)
        .filter(([key]) => !QUIET.has(key))
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      const err = entry.err as { stack?: string; message?: string } | undefined;
      const out = `${time} ${colour ? `\x1b[${COLOURS[lvl] ?? "0"}m${label}\x1b[0m` : label} ${String(entry.msg ?? "")}${fields ? `  ${fields}` : ""}${err ? `\n  ${err.stack ?? err.message}` : ""}\n`;
      (entry.level === "error" || entry.level === "fatal" || entry.level === "warn" ? process.stderr : process.stdout).write(out);
    },
  };
}

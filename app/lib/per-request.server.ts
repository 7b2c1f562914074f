import { workContext } from "./log.server";

const byRequest = new WeakMap<Request, Map<string, unknown>>();

/**
 * One answer per request to a question several loaders ask (which site, which user). Remix gives
 * each loader its own copy of the Request, so the answers are kept in the request's context
 * (server/observability.ts) and shared by all its loaders. An action asks afresh (it may change the
 * answer, as signing in does), and so do the loaders after it. Without a context (a module called
 * directly, as tests do) the Request object itself is the key.
 */
export function oncePerRequest<T>(request: Request, key: string, answer: () => T): T {
  const context = workContext();
  let answers: Map<string, unknown> | undefined;
  if (context && (request.method === "GET" || request.method === "HEAD")) {
    answers = context.answers ??= new Map();
  } else {
    answers = byRequest.get(request);
    if (!answers) byRequest.set(request, (answers = new Map()));
  }
  if (!answers.has(key)) answers.set(key, answer());
  return answers.get(key) as T;
}

import type { RequestHandler } from "msw";
import { setupServer, type SetupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * The third parties a test file plays with msw, in this process: a request none of them answers is
 * an error, except one to the app under test (127.0.0.1) when `app` is set. `handlers` stand for
 * the whole file; what a test adds itself (`server.use`) is dropped after it.
 */
export function playThirdParties(options: { handlers?: RequestHandler[]; app?: boolean } = {}): SetupServer {
  const server = setupServer(...(options.handlers ?? []));
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: options.app
        ? (request, print) => {
            if (new URL(request.url).hostname !== "127.0.0.1") print.error();
          }
        : "error",
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

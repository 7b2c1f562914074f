import {
  BrowserClient,
  dedupeIntegration,
  defaultStackParser,
  globalHandlersIntegration,
  linkedErrorsIntegration,
  makeFetchTransport,
  setCurrentClient,
} from "@sentry/browser";
import { NO_PERSONAL_DATA, scrubEvent } from "./scrub";

/**
 * Browser errors to Sentry (docs/decisions/013-observability.md). entry.client imports this only
 * when the page says SENTRY_DSN is set, and only after hydration: it is never on the critical path.
 * Tagged with the agency, the page's route and the user id from the current root data; no
 * breadcrumbs (they would carry clicked text and URLs), no URL, no request data.
 */

interface RootData {
  site?: { kind: string; tenant?: { slug: string } };
  user?: { id?: string } | null;
}
interface RemixWindow {
  __remixRouter?: { state: { matches: { route: { id: string } }[]; loaderData: Record<string, unknown> } };
}

export function startBrowserErrorReporting(options: { dsn: string; environment?: string }): void {
  const client = new BrowserClient({
    dsn: options.dsn,
    environment: options.environment,
    dataCollection: NO_PERSONAL_DATA,
    maxBreadcrumbs: 0,
    transport: makeFetchTransport,
    stackParser: defaultStackParser,
    integrations: [globalHandlersIntegration(), linkedErrorsIntegration(), dedupeIntegration()],
    beforeSend(event) {
      const state = (window as RemixWindow).__remixRouter?.state;
      const root = state?.loaderData.root as RootData | undefined;
      event.tags = {
        ...event.tags,
        component: "browser",
        tenant: root?.site?.tenant?.slug,
        route: state?.matches[state.matches.length - 1]?.route.id,
      };
      event.user = root?.user?.id ? { id: root.user.id } : undefined;
      return scrubEvent(event);
    },
  });
  setCurrentClient(client);
  client.init();
}

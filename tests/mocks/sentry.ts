import { http, HttpResponse } from "msw";

/**
 * Sentry's ingest endpoint for the DSN below (`POST /api/<project>/envelope/`): records every
 * envelope as it arrived, raw and parsed (a header line, then item-header / payload line pairs).
 */
export const SENTRY_DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.example/42";
export const SENTRY_ENVELOPE_URL = "https://o1.ingest.sentry.example/api/42/envelope/";

export interface SentryEnvelope {
  raw: string;
  header: Record<string, unknown>;
  items: { type: string; payload: Record<string, unknown> }[];
}

export function parseEnvelope(raw: string): SentryEnvelope {
  const [header, ...rest] = raw.split("\n").filter(Boolean);
  const items: SentryEnvelope["items"] = [];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const itemHeader = JSON.parse(rest[i]!) as { type: string };
    items.push({ type: itemHeader.type, payload: JSON.parse(rest[i + 1]!) as Record<string, unknown> });
  }
  return { raw, header: JSON.parse(header!) as Record<string, unknown>, items };
}

export function sentryHandlers(received: SentryEnvelope[]) {
  return [
    http.post(SENTRY_ENVELOPE_URL, async ({ request }) => {
      received.push(parseEnvelope(await request.text()));
      return HttpResponse.json({ id: "0".repeat(32) });
    }),
  ];
}

/** The error events received so far (Sentry also sends client reports and sessions). */
export function sentryEvents(received: SentryEnvelope[]) {
  return received.flatMap((e) =>
    e.items
      .filter((i) => i.type === "event")
      .map((i) => ({
        raw: e.raw,
        event: i.payload as {
          tags?: Record<string, string>;
          user?: Record<string, unknown>;
          request?: Record<string, unknown>;
          exception?: { values: { type: string; value: string }[] };
          breadcrumbs?: unknown[];
        },
      })),
  );
}

import type { DataCollection, ErrorEvent } from "@sentry/core";

/**
 * Personal data must never reach a log line or an error report (docs/decisions/013-observability.md).
 * We do not pass it on purpose; this catches what arrives by accident inside error messages, such as
 * PostgreSQL's "Key (email)=(someone@example.com) already exists" or a phone number in a provider's
 * answer. Used by the logger and by error reporting on the server and in the browser.
 */
const EMAIL = /[^\s@"'<>()[\]{}:;,]+@[^\s@"'<>()[\]{}:;,]+\.[A-Za-z]{2,}/g;
// Phone numbers, national IDs and NRICs (900101-14-5678), card and account numbers: 7+ digits,
// possibly broken by spaces or dashes. Shorter numbers (amounts, counts, ports) stay, and so do
// ids: a run touching letters (a uuid's segment, a hash) is not a number of a person's.
const LONG_NUMBER = /(?<![\w.-])\+?\d(?:[ -]?\d){6,}(?![\w-])/g;

export function scrubText(text: string): string {
  return text.replace(EMAIL, "[email]").replace(LONG_NUMBER, "[number]");
}

/**
 * Sentry 11's `dataCollection` (it replaced `sendDefaultPii: false`): collect no user fields,
 * cookies, headers, bodies, query values, local variables or payloads, whatever an integration could.
 */
export const NO_PERSONAL_DATA: DataCollection = {
  userInfo: false,
  cookies: false,
  httpHeaders: false,
  httpBodies: [],
  urlQueryParams: false,
  graphQL: { document: false, variables: false },
  genAI: { inputs: false, outputs: false },
  mcp: { inputs: false, outputs: false },
  databaseQueryData: false,
  queues: false,
  stackFrameVariables: false,
};

/** The last line of defence: whatever an integration or a caller added, only safe fields leave. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  // A URL can hold a signed file link, a reset token or a phone in a query: the route tag names the page.
  if (event.request) event.request = { method: event.request.method };
  event.user = event.user?.id ? { id: event.user.id } : undefined;
  event.breadcrumbs = [];
  delete event.extra;
  if (event.message) event.message = scrubText(event.message);
  for (const exception of event.exception?.values ?? []) {
    if (exception.value) exception.value = scrubText(exception.value);
    for (const frame of exception.stacktrace?.frames ?? []) delete frame.vars;
  }
  return event;
}

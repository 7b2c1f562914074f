import { http, HttpResponse } from "msw";

/** Resend's send-email endpoint, as its API documents it; records what it was sent. */
export interface SentEmail {
  body: { from: string; to: string | string[]; subject: string; text?: string; html?: string };
  idempotencyKey: string | null;
  authorization: string | null;
}

export function resendHandlers(sent: SentEmail[], options: { fail?: boolean } = {}) {
  return [
    http.post("https://api.resend.com/emails", async ({ request }) => {
      if (options.fail)
        return HttpResponse.json({ statusCode: 500, name: "internal_server_error", message: "Resend is down" }, { status: 500 });
      const key = request.headers.get("idempotency-key");
      const previous = sent.find((s) => key && s.idempotencyKey === key);
      if (!previous) {
        sent.push({
          body: (await request.json()) as SentEmail["body"],
          idempotencyKey: key,
          authorization: request.headers.get("authorization"),
        });
      }
      // A repeated idempotency key answers with the same email id, as Resend does.
      return HttpResponse.json({ id: `re_${(previous ? sent.indexOf(previous) : sent.length - 1).toString().padStart(6, "0")}` });
    }),
  ];
}

import { delay, http, HttpResponse } from "msw";

/**
 * Meta's WhatsApp Cloud API send endpoint, as its documentation describes it: records each
 * request, and answers from a script (one entry per call; after it runs out, every call succeeds).
 */
export interface SentWhatsapp {
  url: string;
  authorization: string | null;
  body: {
    messaging_product: string;
    to: string;
    type: string;
    biz_opaque_callback_data?: string;
    template: { name: string; language: { code: string }; components?: { type: string; parameters: { type: string; text: string }[] }[] };
  };
}

export type MetaAnswer = "ok" | "rate_limit" | "server_error" | "timeout" | "invalid_recipient" | "template_missing";

const metaError = (status: number, code: number, message: string, details: string) =>
  HttpResponse.json(
    {
      error: {
        message,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details },
        fbtrace_id: "Az8or2yhqkZfEZ-_4Qn_Bam",
      },
    },
    { status },
  );

export function metaWhatsappHandlers(sent: SentWhatsapp[], script: MetaAnswer[] = []) {
  let calls = 0;
  return [
    http.post("https://graph.facebook.com/:version/:phoneNumberId/messages", async ({ request }) => {
      const answer = script[calls] ?? "ok";
      calls += 1;
      const body = (await request.json()) as SentWhatsapp["body"];
      const record = { url: request.url, authorization: request.headers.get("authorization"), body };
      switch (answer) {
        case "rate_limit":
          return metaError(429, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached.");
        case "server_error":
          return HttpResponse.json({ error: { message: "An unknown error occurred", code: 1 } }, { status: 500 });
        case "timeout":
          await delay("infinite");
          return HttpResponse.json({});
        case "invalid_recipient":
          sent.push(record);
          return metaError(400, 131026, "(#131026) Message undeliverable", "Recipient is not a valid WhatsApp user.");
        case "template_missing":
          sent.push(record);
          return metaError(
            404,
            132001,
            "(#132001) Template name does not exist in the translation",
            "template name (covera_x) does not exist in en",
          );
        default:
          sent.push(record);
          return HttpResponse.json({
            messaging_product: "whatsapp",
            contacts: [{ input: body.to, wa_id: body.to }],
            messages: [{ id: `wamid.HBgM${String(sent.length).padStart(6, "0")}`, message_status: "accepted" }],
          });
      }
    }),
  ];
}

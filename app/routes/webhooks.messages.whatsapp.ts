import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiError } from "~/lib/api.server";
import { apiHandler, apiJson, callbackTenant } from "~/modules/api/callbacks.server";
import { readCallbackBody } from "~/modules/payments/webhook-http.server";
import { receiveWhatsappStatuses, verifyWhatsappSubscription } from "~/modules/notifications/whatsapp-webhook.server";

/** GET: Meta's subscription check (echo hub.challenge); POST: signed delivery statuses (decision 039). */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiHandler(async () => {
    const tenant = await callbackTenant(request);
    const challenge = await verifyWhatsappSubscription(tenant.id, new URL(request.url).searchParams);
    if (challenge === null) return apiError(403, "FORBIDDEN", "Wrong verify token");
    return new Response(challenge, { status: 200, headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  });

export const action = ({ request }: ActionFunctionArgs) =>
  apiHandler(async () => {
    if (request.method !== "POST") return apiError(405, "METHOD_NOT_ALLOWED", "Callbacks are POSTed");
    const tenant = await callbackTenant(request);
    const rawBody = await readCallbackBody(request);
    const result = await receiveWhatsappStatuses(tenant.id, { rawBody, signature: request.headers.get("x-hub-signature-256") });
    if (result.status === 404) return apiError(404, "NOT_FOUND", "WhatsApp is not connected for this agency");
    if (result.status === 401) return apiError(401, "BAD_SIGNATURE", "The signature does not match");
    return apiJson({ status: "ok", applied: result.applied });
  });

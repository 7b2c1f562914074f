import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/modules/payments/webhook-http.server";

/** POST /webhooks/paystack | /webhooks/stripe | /webhooks/sandbox: signed provider callbacks. */
export const loader = ({ request, params }: ActionFunctionArgs) => handleWebhook(request, params.provider);
export const action = ({ request, params }: ActionFunctionArgs) => handleWebhook(request, params.provider);

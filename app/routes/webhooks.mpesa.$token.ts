import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhook } from "~/modules/payments/webhook-http.server";

/** POST /webhooks/mpesa/<token>: Daraja's unsigned callbacks, proven by the attempt's secret token. */
export const loader = ({ request, params }: ActionFunctionArgs) => handleWebhook(request, "mpesa", params.token);
export const action = ({ request, params }: ActionFunctionArgs) => handleWebhook(request, "mpesa", params.token);

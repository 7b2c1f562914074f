import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSmsCallback } from "~/modules/notifications/sms-callbacks-http.server";

/** POST /webhooks/messages/africastalking/<token>: delivery reports and replies; unsigned, so the token proves them. */
export const loader = ({ request, params }: ActionFunctionArgs) => handleSmsCallback(request, "africastalking", params.token);
export const action = ({ request, params }: ActionFunctionArgs) => handleSmsCallback(request, "africastalking", params.token);

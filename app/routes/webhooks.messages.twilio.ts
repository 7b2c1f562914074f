import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSmsCallback } from "~/modules/notifications/sms-callbacks-http.server";

/** POST /webhooks/messages/twilio: status callbacks and incoming messages, signed with the auth token. */
export const loader = ({ request }: ActionFunctionArgs) => handleSmsCallback(request, "twilio");
export const action = ({ request }: ActionFunctionArgs) => handleSmsCallback(request, "twilio");

import type { ActionFunctionArgs } from "@remix-run/node";
import { handlePayoutWebhook } from "~/modules/claims/payout-results.server";

/** POST /webhooks/payouts/<provider>/<token>/timeout | /status: M-Pesa's queue timeout, and a status query's answer. */
export const loader = ({ request, params }: ActionFunctionArgs) =>
  handlePayoutWebhook(request, params.provider, params.token, params.channel ?? "");
export const action = ({ request, params }: ActionFunctionArgs) =>
  handlePayoutWebhook(request, params.provider, params.token, params.channel ?? "");

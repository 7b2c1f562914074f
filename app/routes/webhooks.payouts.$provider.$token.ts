import type { ActionFunctionArgs } from "@remix-run/node";
import { handlePayoutWebhook } from "~/modules/claims/payout-results.server";

/** POST /webhooks/payouts/<provider>/<token>: a payout's result (M-Pesa B2C's ResultURL), proven by the settlement's secret token. */
export const loader = ({ request, params }: ActionFunctionArgs) => handlePayoutWebhook(request, params.provider, params.token, "result");
export const action = ({ request, params }: ActionFunctionArgs) => handlePayoutWebhook(request, params.provider, params.token, "result");

import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { uuidParam } from "~/lib/params";
import { lineText } from "~/lib/text";
import { requireUser } from "~/modules/auth/guards.server";
import { serverT } from "~/modules/i18n/i18n.server";
import { receiveCurlecReturn } from "~/modules/payments/curlec-return.server";

/**
 * GET /payments/curlec/return/:transactionId — where Curlec sends the customer back (callback_method
 * get): after FPX or an e-wallet with the order's ids, after a card on a Payment Link with the link's.
 * An address that is not what Curlec sends (control characters, oversized values) gets a plain
 * error page; a well-formed one goes to the payment's page, whether its signature holds or not.
 */
const id = lineText().max(64).optional();
const returnQuery = z.object({
  razorpay_payment_id: id,
  razorpay_order_id: id,
  razorpay_payment_link_id: id,
  razorpay_payment_link_reference_id: id,
  razorpay_payment_link_status: lineText().max(32).optional(),
  razorpay_signature: lineText().max(128).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const transactionId = uuidParam(params, "transactionId");
  const url = new URL(request.url);
  const query = returnQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const t = await serverT(tenant.language, "checkout");
    throw new Response(t("pay.curlecReturnInvalid"), { status: 400, statusText: "Bad Request" });
  }
  const answer = await receiveCurlecReturn(tenant.id, user.id, transactionId, {
    paymentId: query.data.razorpay_payment_id,
    orderId: query.data.razorpay_order_id,
    linkId: query.data.razorpay_payment_link_id,
    linkReferenceId: query.data.razorpay_payment_link_reference_id,
    linkStatus: query.data.razorpay_payment_link_status,
    signature: query.data.razorpay_signature,
    headers: request.headers,
    query: url.search,
  });
  if (!answer) throw new Response("Not found", { status: 404 });
  return redirect(answer.statusPage);
}

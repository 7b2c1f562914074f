import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { withTenant } from "~/lib/db.server";
import { uuidParam } from "~/lib/params";
import { lineText } from "~/lib/text";
import { requireUser } from "~/modules/auth/guards.server";
import { receiveCurlecReturn } from "~/modules/payments/curlec-return.server";

/** GET /payments/curlec/return/:transactionId — where Curlec sends the customer back (callback_method get). */
const returnQuery = z.object({
  razorpay_payment_id: lineText().max(64).optional().catch(undefined),
  razorpay_order_id: lineText().max(64).optional().catch(undefined),
  razorpay_signature: lineText().max(128).optional().catch(undefined),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const transactionId = uuidParam(params, "transactionId");
  const url = new URL(request.url);
  const query = returnQuery.parse(Object.fromEntries(url.searchParams));
  const answer = await withTenant(tenant.id, (db) =>
    receiveCurlecReturn(db, tenant.id, user.id, transactionId, {
      paymentId: query.razorpay_payment_id,
      orderId: query.razorpay_order_id,
      signature: query.razorpay_signature,
      headers: request.headers,
      query: url.search,
    }),
  );
  if (!answer) throw new Response("Not found", { status: 404 });
  return redirect(answer.statusPage);
}

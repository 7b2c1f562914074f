import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { lineText } from "~/lib/text";
import { requireUser } from "~/modules/auth/guards.server";
import { returnFromPaypal } from "~/modules/payments/paypal-return.server";

/**
 * GET /payments/paypal/return?token=<PayPal order id>[&cancelled=1]: where PayPal sends the
 * customer back (decision 044). Captures an approved payment, or records a cancelled one, then
 * leads to the payment's status page.
 */
const query = z.object({
  token: lineText()
    .max(64)
    .regex(/^[A-Z0-9-]+$/i),
  cancelled: z.literal("1").optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { tenant, user } = await requireUser(request);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const next = await returnFromPaypal(tenant.id, user.id, { orderId: parsed.data.token, cancelled: parsed.data.cancelled === "1" });
  if (!next) throw new Response("Not found", { status: 404 });
  return redirect(next);
}

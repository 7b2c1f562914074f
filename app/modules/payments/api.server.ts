import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { apiDownload, downloadSchema } from "~/modules/api/downloads.server";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { afterCursor, positionKey } from "~/modules/api/positions.server";
import { notFound } from "~/modules/api/problem.server";
import { requireApiUser } from "~/modules/api/principal.server";
import { getMyPaymentSummary, myPaymentsAfter, type MyPayment } from "~/modules/policies/customer.server";
import { getPayment } from "./payments.server";

/** The signed-in person's payments and receipts over /api/v1 (decision 045). */
const paymentSchema = z.object({
  id: answerText().uuid(),
  status: z.enum(["pending", "completed", "failed", "cancelled", "expired", "partially_refunded", "refunded"]),
  method: answerText(),
  provider: answerText(),
  amount: z.number().int().describe("Minor units."),
  refunded: z.number().int(),
  currency: answerText(),
  providerReceipt: answerText().nullable(),
  orderId: answerText().uuid().nullable(),
  orderReference: answerText().nullable(),
  policyId: answerText().uuid().nullable(),
  policyNumber: answerText().nullable(),
  instalmentSequence: z.number().int().nullable(),
  receipt: z.object({ number: answerText(), download: downloadSchema.nullable() }).nullable(),
  createdAt: answerText().datetime(),
});

function toApiPayment(request: Request, tenantId: string, p: MyPayment): z.infer<typeof paymentSchema> {
  return {
    id: p.id,
    status: p.status,
    method: p.method,
    provider: p.provider,
    amount: p.amountMinor,
    refunded: p.refundedMinor,
    currency: p.currency,
    providerReceipt: p.providerReceipt,
    orderId: p.orderId,
    orderReference: p.orderReference,
    policyId: p.policyId,
    policyNumber: p.policyNumber,
    instalmentSequence: p.instalmentSequence,
    receipt: p.receipt
      ? {
          number: p.receipt.number,
          download: p.receipt.fileKey
            ? apiDownload(request, tenantId, p.receipt.fileKey, `Receipt-${p.receipt.number.replace(/[^A-Za-z0-9-]/g, "-")}.pdf`)
            : null,
        }
      : null,
    createdAt: p.createdAt.toISOString(),
  };
}

export const listPayments = endpoint({
  method: "GET",
  path: "/payments",
  operationId: "listPayments",
  summary: "Your payments",
  tags: ["Payments"],
  auth: "user",
  query: z.object(cursorQuery),
  responses: { 200: { description: "A page of payments, newest first, with their receipts.", schema: pageOf(paymentSchema) } },
  async handler({ request, tenant, principal, query }) {
    const user = requireApiUser(principal);
    const rows = await withTenant(tenant.id, (db) => myPaymentsAfter(db, user.id, afterCursor(query.cursor), query.limit + 1));
    return { body: pageFrom(rows, query.limit, positionKey, (p) => toApiPayment(request, tenant.id, p), request) };
  },
});

export const getPaymentStatus = endpoint({
  method: "GET",
  path: "/payments/{transactionId}",
  operationId: "getPayment",
  summary: "One of your payments (poll it while it is pending)",
  tags: ["Payments"],
  auth: "user",
  params: z.object({ transactionId: lineText().uuid("Not a payment of yours") }),
  responses: {
    200: {
      description: "The payment and, once it failed, why.",
      schema: z.object({
        payment: paymentSchema.extend({
          failureMessage: answerText().nullable(),
          completedAt: answerText().datetime().nullable(),
        }),
      }),
    },
  },
  errors: [404],
  async handler({ request, tenant, principal, params }) {
    const user = requireApiUser(principal);
    // A read changes nothing: a late or lost callback is the reconciliation job's to chase.
    const found = await withTenant(tenant.id, async (db) => {
      const summary = await getMyPaymentSummary(db, user.id, params.transactionId);
      const view = summary ? await getPayment(db, summary.id, user.id) : undefined;
      return summary && view ? { summary, view } : undefined;
    });
    if (!found) throw notFound("Payment");
    return {
      body: {
        payment: {
          ...toApiPayment(request, tenant.id, found.summary),
          failureMessage: found.view.failureMessage,
          completedAt: found.view.completedAt?.toISOString() ?? null,
        },
      },
    };
  },
});

export const paymentEndpoints = [listPayments, getPaymentStatus];

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
import { myDocumentsBatch } from "~/modules/my-documents/list.server";
import { DOCUMENT_GROUP_NAMES } from "~/modules/my-documents/kinds";
import { FREQUENCIES } from "~/modules/rating";
import { getMyPolicy, myPoliciesAfter, type MyPolicyRow } from "./customer.server";

/**
 * The signed-in person's policies over /api/v1 (decision 045), read through the same functions as
 * "My policies": another customer's policy does not exist here (404, like an unknown id).
 */
const instalmentSchema = z.object({
  id: answerText().uuid(),
  sequence: z.number().int(),
  dueDate: answerText().describe("YYYY-MM-DD"),
  amount: z.number().int().describe("Minor units."),
  status: answerText(),
});

const policySummarySchema = z.object({
  id: answerText().uuid(),
  policyNumber: answerText().nullable().describe("Null until the policy is issued."),
  status: answerText(),
  product: answerText(),
  insurer: answerText(),
  category: answerText(),
  orderReference: answerText(),
  frequency: z.enum(FREQUENCIES),
  instalment: z.number().int().describe("Each payment at this frequency, in minor units."),
  currency: answerText(),
  startDate: answerText().nullable(),
  endDate: answerText().nullable(),
  nextInstalment: instalmentSchema.nullable(),
  createdAt: answerText().datetime(),
});

function toPolicySummary(p: MyPolicyRow): z.infer<typeof policySummarySchema> {
  const next = p.nextInstalment;
  return {
    id: p.id,
    policyNumber: p.policyNumber,
    status: p.status,
    product: p.productName,
    insurer: p.insurerName,
    category: p.categoryName,
    orderReference: p.orderReference,
    frequency: p.frequency,
    instalment: p.instalmentMinor,
    currency: p.currency,
    startDate: p.startDate,
    endDate: p.endDate,
    nextInstalment: next
      ? { id: next.id, sequence: next.sequence, dueDate: next.dueDate, amount: next.amountMinor, status: next.status }
      : null,
    createdAt: p.createdAt.toISOString(),
  };
}

export const listPolicies = endpoint({
  method: "GET",
  path: "/policies",
  operationId: "listPolicies",
  summary: "Your policies",
  tags: ["Policies"],
  auth: "user",
  query: z.object(cursorQuery),
  responses: { 200: { description: "A page of policies, newest first.", schema: pageOf(policySummarySchema) } },
  async handler({ request, tenant, principal, query }) {
    const user = requireApiUser(principal);
    const rows = await withTenant(tenant.id, (db) => myPoliciesAfter(db, user.id, afterCursor(query.cursor), query.limit + 1));
    return { body: pageFrom(rows, query.limit, positionKey, toPolicySummary, request) };
  },
});

const policyParams = z.object({ policyId: lineText().uuid("Not a policy of yours") });

export const getPolicy = endpoint({
  method: "GET",
  path: "/policies/{policyId}",
  operationId: "getPolicy",
  summary: "One of your policies, with its instalments",
  tags: ["Policies"],
  auth: "user",
  params: policyParams,
  responses: {
    200: {
      description: "The policy, its holder and beneficiaries, and every instalment.",
      schema: z.object({
        policy: policySummarySchema.omit({ nextInstalment: true }).extend({
          annualPremium: z.number().int(),
          discount: z.number().int(),
          issuedAt: answerText().datetime().nullable(),
          holder: z.object({
            name: answerText().nullable(),
            email: answerText().nullable(),
            phone: answerText().nullable(),
            identifiers: z.array(z.object({ kind: answerText(), masked: answerText() })),
          }),
          beneficiaries: z.array(z.object({ name: answerText(), relationship: answerText(), shareBp: z.number().int() })),
          instalments: z.array(instalmentSchema.extend({ paidAt: answerText().datetime().nullable() })),
          payableInstalmentId: answerText().uuid().nullable().describe("The instalment to pay next, if one may be paid now."),
        }),
      }),
    },
  },
  errors: [404],
  async handler({ tenant, principal, params }) {
    const user = requireApiUser(principal);
    const p = await withTenant(tenant.id, (db) => getMyPolicy(db, user.id, params.policyId));
    if (!p) throw notFound("Policy");
    return {
      body: {
        policy: {
          id: p.id,
          policyNumber: p.policyNumber,
          status: p.status,
          product: p.productName,
          insurer: p.insurerName,
          category: p.categoryName,
          orderReference: p.orderReference,
          frequency: p.frequency,
          instalment: p.instalmentMinor,
          currency: p.currency,
          startDate: p.startDate,
          endDate: p.endDate,
          createdAt: p.createdAt.toISOString(),
          annualPremium: p.annualPremiumMinor,
          discount: p.discountMinor,
          issuedAt: p.issuedAt?.toISOString() ?? null,
          holder: p.holder,
          beneficiaries: p.beneficiaries,
          instalments: p.instalments.map((i) => ({
            id: i.id,
            sequence: i.sequence,
            dueDate: i.dueDate,
            amount: i.amountMinor,
            status: i.status,
            paidAt: i.paidAt?.toISOString() ?? null,
          })),
          payableInstalmentId: p.payable?.id ?? null,
        },
      },
    };
  },
});

/** More documents than one policy gathers in its life; the list is not paged. */
const MAX_DOCUMENTS = 200;

export const listPolicyDocuments = endpoint({
  method: "GET",
  path: "/policies/{policyId}/documents",
  operationId: "listPolicyDocuments",
  summary: "A policy's documents, each with a short-lived download link",
  description: "The certificate and schedule, receipts, letters and uploads of one of your policies, newest first.",
  tags: ["Policies"],
  auth: "user",
  params: policyParams,
  responses: {
    200: {
      description: "The documents.",
      schema: z.object({
        documents: z.array(
          z.object({
            id: answerText().describe("Stable for this document."),
            group: z.enum(DOCUMENT_GROUP_NAMES),
            title: answerText(),
            reference: answerText().nullable(),
            filename: answerText(),
            createdAt: answerText().datetime(),
            download: downloadSchema,
          }),
        ),
      }),
    },
  },
  errors: [404],
  async handler({ request, tenant, principal, params }) {
    const user = requireApiUser(principal);
    const documents = await withTenant(tenant.id, async (db) => {
      const exists = await db
        .selectFrom("policies")
        .select("id")
        .where("id", "=", params.policyId)
        .where("user_id", "=", user.id)
        .executeTakeFirst();
      if (!exists) throw notFound("Policy");
      return myDocumentsBatch(db, user.id, { policy: params.policyId }, undefined, MAX_DOCUMENTS);
    });
    return {
      body: {
        documents: documents.map((d) => ({
          id: `${d.source}:${d.id}`,
          group: d.group,
          title: d.title,
          reference: d.reference,
          filename: d.filename,
          createdAt: d.createdAt.toISOString(),
          download: apiDownload(request, tenant.id, d.fileKey, d.filename),
        })),
      },
    };
  },
});

export const policyEndpoints = [listPolicies, getPolicy, listPolicyDocuments];

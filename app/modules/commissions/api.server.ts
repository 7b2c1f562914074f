import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { cursorQuery, pageFrom, pageOf } from "~/modules/api/pagination.server";
import { notFound } from "~/modules/api/problem.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { cursorAfter, cursorId, cursorTime, requireApiAgent } from "~/modules/network/api.server";
import { NETWORK_LEVELS } from "~/modules/network/upline.server";
import { originOf } from "~/modules/tenancy/resolve.server";
import { ENTRY_KINDS, ENTRY_STATUSES } from "./labels";
import { myEntriesAfter, myEntryTotals, mySalesAfter, myStatementOf, myStatementsBefore, type StatementRow } from "./portal.server";

/**
 * The agent app's money (issue 15): the agent's own sales, commission ledger and monthly
 * statements, as /agent, /agent/commissions and /agent/statements show them (decision 011).
 * Amounts are whole minor units (sen, cents) with their currency.
 */

/** A month in the API: "2026-06" (the ledger keeps the month's first day). */
const monthParam = lineText("Give a month like 2026-06")
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Give a month like 2026-06")
  .transform((m) => `${m}-01`);
const dayParam = lineText("Give a day like 2026-06-30")
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Give a day like 2026-06-30")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "Give a real day");
const monthOut = (month: string) => month.slice(0, 7);

const saleSchema = z.object({
  id: answerText().uuid().describe("The order item."),
  orderId: answerText().uuid(),
  orderReference: answerText(),
  paidAt: answerText().datetime(),
  product: answerText(),
  frequency: answerText().nullable(),
  firstPaymentMinor: z.number().int(),
  annualPremiumMinor: z.number().int().nullable(),
  currency: answerText(),
  customer: answerText(),
});

export const listAgentSales = endpoint({
  method: "GET",
  path: "/agent/sales",
  operationId: "listAgentSales",
  summary: "The signed-in agent's own sales (paid order items credited to them), newest first",
  tags: ["Agent"],
  auth: "user",
  query: z
    .object({
      from: dayParam.optional().describe("Paid on or after this day (the agency's calendar)."),
      to: dayParam.optional().describe("Paid on or before this day (the agency's calendar)."),
      ...cursorQuery,
    })
    .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["to"] }),
  errors: [404],
  responses: { 200: { description: "A page of sales.", schema: pageOf(saleSchema) } },
  async handler({ tenant, principal, query, request }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const after = cursorAfter(query.cursor, z.tuple([cursorTime, cursorId]));
    const rows = await withTenant(tenant.id, (db) =>
      mySalesAfter(
        db,
        agent.id,
        { from: query.from, to: query.to, timeZone: tenant.timeZone },
        after ? { at: after[0], id: after[1] } : null,
        query.limit,
      ),
    );
    return {
      body: pageFrom(
        rows,
        query.limit,
        (s) => [s.cursorAt, s.itemId],
        (s) => ({
          id: s.itemId,
          orderId: s.orderId,
          orderReference: s.orderReference,
          paidAt: s.paidAt.toISOString(),
          product: s.productName,
          frequency: s.frequency,
          firstPaymentMinor: s.firstPaymentMinor,
          annualPremiumMinor: s.annualPremiumMinor,
          currency: s.currency,
          customer: s.customerName,
        }),
        request,
      ),
    };
  },
});

const entrySchema = z.object({
  id: answerText().uuid(),
  earnedAt: answerText().datetime(),
  month: answerText().describe("2026-06"),
  kind: z.enum(ENTRY_KINDS),
  clawbackSource: answerText().nullable().describe("refund or chargeback, for a clawback."),
  product: answerText().nullable(),
  frequency: answerText().nullable(),
  tier: z.number().int().nullable().describe("1 = your own sale; 2 and up = your downline's."),
  seller: z.object({ name: answerText(), agentNumber: answerText() }).nullable(),
  baseMinor: z.number().int().nullable(),
  rateBp: z.number().int().nullable().describe("Basis points: 1111 = 11.11%."),
  amountMinor: z.number().int(),
  currency: answerText(),
  status: z.enum(ENTRY_STATUSES),
  passedFrom: z.object({ name: answerText(), agentNumber: answerText() }).nullable(),
  note: answerText().nullable(),
  dispute: z.object({ id: answerText().uuid(), status: answerText() }).nullable(),
  disputable: z.boolean(),
});

export const listAgentCommissions = endpoint({
  method: "GET",
  path: "/agent/commissions",
  operationId: "listAgentCommissions",
  summary: "The signed-in agent's commission ledger, newest first, with the filter's totals",
  tags: ["Agent"],
  auth: "user",
  query: z.object({
    month: monthParam.optional().describe("The ledger month, like 2026-06."),
    kind: z.enum(ENTRY_KINDS).optional(),
    status: z.enum(ENTRY_STATUSES).optional(),
    tier: z.coerce.number().int().min(1).max(NETWORK_LEVELS).optional(),
    product: cursorId.optional().describe("A product's id."),
    ...cursorQuery,
  }),
  errors: [404],
  responses: {
    200: {
      description: "A page of ledger entries, and the count and sum of every entry the filter matches.",
      schema: pageOf(entrySchema).extend({
        totals: z.object({ count: z.number().int(), amountMinor: z.number().int(), currency: answerText() }),
      }),
    },
  },
  async handler({ tenant, principal, query, request }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const after = cursorAfter(query.cursor, z.tuple([cursorTime, cursorId]));
    const filters = { month: query.month, kind: query.kind, status: query.status, tier: query.tier, product: query.product };
    const { rows, totals } = await withTenant(tenant.id, async (db) => ({
      rows: await myEntriesAfter(db, agent.id, filters, after ? { at: after[0], id: after[1] } : null, query.limit),
      totals: await myEntryTotals(db, agent.id, filters),
    }));
    const page = pageFrom(
      rows,
      query.limit,
      (e) => [e.cursorAt, e.id],
      (e) => ({
        id: e.id,
        earnedAt: e.earnedAt.toISOString(),
        month: monthOut(e.month),
        kind: e.kind,
        clawbackSource: e.clawbackSource,
        product: e.productName,
        frequency: e.frequency,
        tier: e.tier,
        seller: e.seller,
        baseMinor: e.baseMinor,
        rateBp: e.rateBp,
        amountMinor: e.amountMinor,
        currency: e.currency,
        status: e.status,
        passedFrom: e.passedFrom,
        note: e.note,
        dispute: e.dispute,
        disputable: e.disputable,
      }),
      request,
    );
    return { body: { ...page, totals: { ...totals, currency: tenant.currency } } };
  },
});

const statementSchema = z.object({
  id: answerText().uuid(),
  month: answerText().describe("2026-06"),
  earnedMinor: z.number().int(),
  payableMinor: z.number().int().describe("What is paid out for the month, with anything carried in."),
  currency: answerText(),
  entries: z.number().int(),
  issuedAt: answerText().datetime(),
  ready: z.boolean().describe("false while the PDF is still being made."),
});

const statementOut = (s: StatementRow, currency: string) => ({
  id: s.id,
  month: monthOut(s.month),
  earnedMinor: s.earnedMinor,
  payableMinor: s.payableMinor,
  currency,
  entries: s.entries,
  issuedAt: s.createdAt.toISOString(),
  ready: s.fileKey !== null,
});

export const listAgentStatements = endpoint({
  method: "GET",
  path: "/agent/statements",
  operationId: "listAgentStatements",
  summary: "The signed-in agent's monthly commission statements, newest month first",
  tags: ["Agent"],
  auth: "user",
  query: z.object({ ...cursorQuery }),
  errors: [404],
  responses: { 200: { description: "A page of statements.", schema: pageOf(statementSchema) } },
  async handler({ tenant, principal, query, request }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const after = cursorAfter(query.cursor, z.tuple([lineText().regex(/^\d{4}-\d{2}-01$/)]));
    const rows = await withTenant(tenant.id, (db) => myStatementsBefore(db, agent.id, after ? after[0] : null, query.limit));
    return {
      body: pageFrom(
        rows,
        query.limit,
        (s) => [s.month],
        (s) => statementOut(s, tenant.currency),
        request,
      ),
    };
  },
});

/** How long a statement's PDF link lasts: long enough to open, too short to pass around. */
const PDF_LINK_SECONDS = 300;

export const getAgentStatement = endpoint({
  method: "GET",
  path: "/agent/statements/{month}",
  operationId: "getAgentStatement",
  summary: "One month's statement, with a short-lived link to its PDF",
  tags: ["Agent"],
  auth: "user",
  params: z.object({ month: monthParam.describe("The month, like 2026-06.") }),
  errors: [404],
  responses: {
    200: {
      description: "The statement; `pdf` is null while the PDF is still being made.",
      schema: z.object({
        statement: statementSchema.extend({
          pdf: z
            .object({ url: answerText().url(), expiresAt: answerText().datetime() })
            .nullable()
            .describe(`A download link valid for ${PDF_LINK_SECONDS / 60} minutes; ask again for a fresh one.`),
        }),
      }),
    },
  },
  async handler({ tenant, principal, params, request }) {
    const { user, agent } = await requireApiAgent(tenant, principal, "read:network:own");
    // Another agent's statement is as missing as a month without one.
    const statement = await withTenant(tenant.id, (db) => myStatementOf(db, agent.id, params.month));
    if (!statement) throw notFound("Statement");
    let pdf: { url: string; expiresAt: string } | null = null;
    if (statement.fileKey) {
      // A web session's link is bound to its user, as the portal's; an app (bearer token) opens it
      // in a browser without that session, so its link is a bearer link, five minutes long.
      const path = signDownload({
        tenantId: tenant.id,
        fileKey: statement.fileKey,
        userId: principal.kind === "user" && principal.familyId === null ? user.id : null,
        filename: `Statement-${agent.agentNumber}-${monthOut(statement.month)}.pdf`,
        expiresInSeconds: PDF_LINK_SECONDS,
      });
      pdf = { url: `${originOf(request)}${path}`, expiresAt: new Date(Date.now() + PDF_LINK_SECONDS * 1000).toISOString() };
    }
    return { body: { statement: { ...statementOut(statement, tenant.currency), pdf } }, headers: { "Cache-Control": "no-store" } };
  },
});

export const commissionEndpoints = [listAgentSales, listAgentCommissions, listAgentStatements, getAgentStatement];

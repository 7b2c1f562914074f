import type { Task } from "graphile-worker";
import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import { isMonth } from "~/modules/commissions/months";
import { emailStatement, renderStatement, statementsToRender } from "~/modules/commissions/statements.server";
import { tenantOrigin } from "~/modules/tenancy/resolve.server";
import { requireTenantById, tenantPayload, withId } from "./tenants";
import { lineText } from "~/lib/text";

/**
 * Statement PDFs after a monthly close. The close queues one `commission_statements` job; it
 * queues a render job for each of the next 200 statements still without a PDF (by agent id after
 * its cursor) and then itself again with the last agent id, so a month of 100,000 agents is many
 * small jobs, never one giant one. Each `commission_statement` job draws one PDF (one side effect)
 * and then queues the agent's "statement ready" email, once (its dedupe key).
 */
export const STATEMENTS_PER_FAN_OUT = 200;

const fanOutPayload = tenantPayload.extend({
  month: lineText().refine(isMonth, "a month's first day, YYYY-MM-01"),
  after: lineText().uuid().optional(),
});

/** Queues the next batch of render jobs and, when there may be more, the next fan-out. */
export async function queueStatementRenders(
  db: TenantDb,
  input: { tenantId: string; month: string; after?: string },
  limit = STATEMENTS_PER_FAN_OUT,
): Promise<{ queued: string[]; next: string | null }> {
  const batch = await statementsToRender(db, input.month, input.after ?? null, limit);
  for (const s of batch) {
    await addJob(
      db,
      "commission_statement",
      { tenantId: input.tenantId, statementId: s.id },
      { jobKey: `commission_statement:${input.tenantId}:${s.id}` },
    );
  }
  const next = batch.length === limit ? batch[batch.length - 1]!.agentId : null;
  if (next) {
    await addJob(
      db,
      "commission_statements",
      { tenantId: input.tenantId, month: input.month, after: next },
      { jobKey: `commission_statements:${input.tenantId}:${input.month}:${next}` },
    );
  }
  return { queued: batch.map((s) => s.id), next };
}

export const commissionStatementsTask: Task = async (raw, helpers) => {
  const payload = fanOutPayload.parse(raw);
  const { queued, next } = await withTenant(payload.tenantId, (db) => queueStatementRenders(db, payload));
  helpers.logger.debug(
    `commission_statements ${payload.tenantId} ${payload.month}: ${queued.length} queued${next ? `, more after ${next}` : ""}`,
  );
};

export const commissionStatementTask: Task = async (raw, helpers) => {
  const { tenantId, statementId } = withId("statementId").parse(raw);
  const tenant = await requireTenantById(tenantId);
  const origin = await tenantOrigin(tenant);
  const outcome = await withTenant(tenantId, async (db) => {
    const row = await db.selectFrom("commission_statements").select("file_key").where("id", "=", statementId).executeTakeFirst();
    if (!row) return "missing";
    // A retry after the PDF was stored does not draw it again.
    if (!row.file_key) await renderStatement(db, tenant, statementId);
    return emailStatement(db, tenant, statementId, origin);
  });
  helpers.logger.debug(`commission_statement ${statementId}: ${outcome}`);
};

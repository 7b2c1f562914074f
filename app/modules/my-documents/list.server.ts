import { sql, type RawBuilder } from "kysely";
import type { TenantDb } from "~db/client";
import { likeContains } from "~/modules/auth/users.server";
import type { DocumentGroup } from "./kinds";
import { DOCUMENT_SOURCES } from "./sources.server";

/**
 * The customer's documents hub (issue 13, item 6): every document of one person in one list,
 * newest first, filtered by group and policy and searched by name, reference or policy number.
 */

export interface DocumentRow {
  /** The source (sources.server.ts) and the row's id there: together they name one document. */
  source: string;
  id: string;
  group: DocumentGroup;
  title: string;
  /** The policy, receipt, order or claim number the document is about. */
  reference: string | null;
  policyIds: string[];
  policyNumbers: string | null;
  fileKey: string;
  filename: string;
  createdAt: Date;
  /** Orders the list, newest first; the keyset for reading everything in batches. */
  sortKey: string;
}

export interface DocumentFilters {
  group?: DocumentGroup;
  policy?: string;
  q?: string;
}

export const DOCUMENTS_PAGE_SIZE = 25;

type RawDocument = {
  source: string;
  id: string;
  grp: DocumentGroup;
  title: string;
  reference: string | null;
  policy_ids: string[];
  policy_numbers: string | null;
  file_key: string;
  filename: string;
  created_at: Date;
  sort_key: string;
};

function documentsQuery(
  userId: string,
  filters: DocumentFilters,
  page: { before?: string; limit: number; offset?: number },
): RawBuilder<RawDocument> {
  const union = sql.join(
    DOCUMENT_SOURCES.map((s) => sql`select ${s.group}::text as grp, d.* from (${s.select(userId)}) d`),
    sql` union all `,
  );
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filters.group) conditions.push(sql`grp = ${filters.group}`);
  if (filters.policy) conditions.push(sql`${filters.policy}::uuid = any(policy_ids)`);
  if (filters.q) {
    const pattern = likeContains(filters.q);
    conditions.push(
      sql`(title ilike ${pattern} or filename ilike ${pattern} or reference ilike ${pattern} or policy_numbers ilike ${pattern})`,
    );
  }
  if (page.before) conditions.push(sql`sort_key < ${page.before}`);
  return sql<RawDocument>`
    select * from (
      select docs.*, to_char(created_at at time zone 'UTC', 'YYYYMMDDHH24MISSUS') || ':' || source || ':' || id as sort_key
      from (${union}) docs
    ) ranked
    where ${sql.join(conditions, sql` and `)}
    order by sort_key desc
    limit ${page.limit} offset ${page.offset ?? 0}`;
}

const toRow = (r: RawDocument): DocumentRow => ({
  source: r.source,
  id: r.id,
  group: r.grp,
  title: r.title,
  reference: r.reference,
  policyIds: r.policy_ids,
  policyNumbers: r.policy_numbers,
  fileKey: r.file_key,
  filename: r.filename,
  createdAt: r.created_at,
  sortKey: r.sort_key,
});

/** One page of the person's documents. */
export async function listMyDocuments(db: TenantDb, userId: string, filters: DocumentFilters, options: { page: number }) {
  const { rows } = await documentsQuery(userId, filters, {
    limit: DOCUMENTS_PAGE_SIZE + 1,
    offset: (options.page - 1) * DOCUMENTS_PAGE_SIZE,
  }).execute(db);
  return { rows: rows.slice(0, DOCUMENTS_PAGE_SIZE).map(toRow), hasMore: rows.length > DOCUMENTS_PAGE_SIZE };
}

/**
 * The next batch of the person's documents after `before` (a row's `sortKey`), for reading every
 * one of them without holding them all: the ZIP download and the data export.
 */
export async function myDocumentsBatch(
  db: TenantDb,
  userId: string,
  filters: DocumentFilters,
  before: string | undefined,
  limit = 100,
): Promise<DocumentRow[]> {
  const { rows } = await documentsQuery(userId, filters, { before, limit }).execute(db);
  return rows.map(toRow);
}

/** The person's policies with a number, for the filter. */
export async function myPolicyChoices(db: TenantDb, userId: string) {
  const rows = await db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .select(["p.id", "p.policy_number", "pr.name as product"])
    .where("p.user_id", "=", userId)
    .where("p.policy_number", "is not", null)
    .orderBy("p.created_at", "desc")
    .execute();
  return rows.map((r) => ({ value: r.id, label: `${r.policy_number} · ${r.product}` }));
}

import { sql, type RawBuilder } from "kysely";
import type { DocumentGroup } from "./kinds";

/**
 * Every kind of document a customer has, as one SQL select each, in one list: the documents hub
 * (list.server.ts) reads their `union all`, so paging, filters and search happen in the database
 * whatever the number of kinds. A new kind of document (a cancellation letter) is one entry here.
 *
 * Each select returns, for the person `userId`, the columns of `DocumentRow`:
 *   source text, id text, grp text, title text, reference text, policy_ids uuid[],
 *   policy_numbers text, file_key text, filename text, created_at timestamptz
 * and only rows whose file exists (`file_key is not null`). Documents are the person's when they
 * hold the policy (`policies.user_id`), made the payment (`transactions.user_id`) or are the
 * claimant (`claims.claimant_user_id`): the same rules as the pages that show each one.
 */
export interface DocumentSource {
  /** Unique among sources; with the row's id it names one document. */
  name: string;
  group: DocumentGroup;
  select: (userId: string) => RawBuilder<unknown>;
}

/** The policies of an order, of an instalment or of a version, as the ids and numbers a row carries. */
const policiesOf = (where: RawBuilder<unknown>) => sql`
  cross join lateral (
    select coalesce(array_agg(p2.id order by p2.policy_number), '{}') as ids,
           string_agg(p2.policy_number, ', ' order by p2.policy_number) as numbers
    from policies p2 where ${where}
  ) pol`;

export const DOCUMENT_SOURCES: DocumentSource[] = [
  {
    name: "certificate",
    group: "certificate",
    select: (userId) => sql`
      select 'certificate' as source, p.id::text as id, 'Certificate: ' || pr.name as title, p.policy_number as reference,
        array[p.id] as policy_ids, p.policy_number as policy_numbers, p.certificate_file_key as file_key,
        'Certificate-' || p.policy_number || '.pdf' as filename, coalesce(p.issued_at, p.created_at) as created_at
      from policies p
      join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
      where p.user_id = ${userId} and p.certificate_file_key is not null`,
  },
  {
    // Earlier certificates of a policy changed mid-term (decision 027): the current one is above.
    name: "certificate_version",
    group: "certificate",
    select: (userId) => sql`
      select 'certificate_version', v.id::text, 'Certificate, version ' || v.version || ': ' || pr.name, p.policy_number,
        array[p.id], p.policy_number, v.certificate_file_key,
        'Certificate-' || p.policy_number || '-v' || v.version || '.pdf', v.created_at
      from policy_versions v
      join policies p on p.tenant_id = v.tenant_id and p.id = v.policy_id
      join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
      where p.user_id = ${userId} and v.certificate_file_key is not null
        and v.certificate_file_key is distinct from p.certificate_file_key`,
  },
  {
    name: "receipt",
    group: "receipt",
    select: (userId) => sql`
      select 'receipt', r.id::text, 'Receipt ' || r.receipt_number, r.receipt_number,
        pol.ids, pol.numbers, r.file_key, 'Receipt-' || r.receipt_number || '.pdf', r.created_at
      from receipts r
      join transactions t on t.tenant_id = r.tenant_id and t.id = r.transaction_id
      left join instalments i on i.tenant_id = t.tenant_id and i.id = t.instalment_id
      left join policy_versions pv on pv.tenant_id = t.tenant_id and pv.id = t.policy_version_id
      ${policiesOf(sql`p2.tenant_id = t.tenant_id and (p2.order_id = t.order_id or p2.id = i.policy_id or p2.id = pv.policy_id)`)}
      where t.user_id = ${userId} and r.file_key is not null`,
  },
  {
    name: "settlement_letter",
    group: "letter",
    select: (userId) => sql`
      select 'settlement_letter', s.id::text, 'Settlement letter, claim ' || c.claim_number, c.claim_number,
        array[p.id], p.policy_number, s.letter_file_key, 'Settlement-letter-' || c.claim_number || '.pdf',
        coalesce(s.paid_at, s.updated_at)
      from claim_settlements s
      join claims c on c.tenant_id = s.tenant_id and c.id = s.claim_id
      join policies p on p.tenant_id = c.tenant_id and p.id = c.policy_id
      where c.claimant_user_id = ${userId} and s.letter_file_key is not null`,
  },
  {
    name: "decision_letter",
    group: "letter",
    select: (userId) => sql`
      select 'decision_letter', c.id::text, 'Decision letter, claim ' || c.claim_number, c.claim_number,
        array[p.id], p.policy_number, c.decision_letter_file_key, 'Decision-letter-' || c.claim_number || '.pdf',
        coalesce(c.decided_at, c.updated_at)
      from claims c
      join policies p on p.tenant_id = c.tenant_id and p.id = c.policy_id
      where c.claimant_user_id = ${userId} and c.decision_letter_file_key is not null`,
  },
  {
    // A cancelled policy's letter (decision 030): what came back and why.
    name: "cancellation_letter",
    group: "letter",
    select: (userId) => sql`
      select 'cancellation_letter', v.id::text, 'Cancellation letter: ' || pr.name, p.policy_number,
        array[p.id], p.policy_number, v.letter_file_key, 'Cancellation-letter-' || p.policy_number || '.pdf', v.created_at
      from policy_versions v
      join policies p on p.tenant_id = v.tenant_id and p.id = v.policy_id
      join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id
      where p.user_id = ${userId} and v.kind = 'cancellation' and v.letter_file_key is not null`,
  },
  {
    // What the customer sent at checkout (a logbook, an ID copy), stored under the order.
    name: "checkout_upload",
    group: "upload",
    select: (userId) => sql`
      select 'checkout_upload', u.id::text, 'Sent with order ' || o.reference || ': ' || u.filename, o.reference,
        pol.ids, pol.numbers, u.file_key, u.filename, u.created_at
      from uploads u
      join orders o on o.tenant_id = u.tenant_id and o.id = u.order_id
      ${policiesOf(sql`p2.tenant_id = o.tenant_id and p2.order_id = o.id`)}
      where o.user_id = ${userId}`,
  },
  {
    name: "claim_document",
    group: "upload",
    select: (userId) => sql`
      select 'claim_document', d.id::text, 'Sent with claim ' || c.claim_number || ': ' || d.filename, c.claim_number,
        array[p.id], p.policy_number, d.file_key, d.filename, d.created_at
      from claim_documents d
      join claims c on c.tenant_id = d.tenant_id and c.id = d.claim_id
      join policies p on p.tenant_id = c.tenant_id and p.id = c.policy_id
      where c.claimant_user_id = ${userId}`,
  },
];

export function sourceByName(name: string): DocumentSource | undefined {
  return DOCUMENT_SOURCES.find((s) => s.name === name);
}

import { z } from "zod";
import type { TenantDb } from "~db/client";
import { pageFrom } from "~/components/ui/pagination";
import { formatDate } from "~/lib/dates";
import { readFilters } from "~/lib/search-params";
import { lineText } from "~/lib/text";
import { signDownload } from "~/modules/files/signed-links.server";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { DOCUMENT_GROUP_NAMES, DOCUMENT_GROUPS } from "./kinds";
import { listMyDocuments, myPolicyChoices, type DocumentFilters } from "./list.server";
import type { TFunction } from "i18next";

/** The hub's filters, from its URL: the list and its "Download all" read the same ones. */
export const documentFiltersSchema = z.object({
  kind: z.enum(DOCUMENT_GROUP_NAMES, { message: "Choose a kind of document from the list." }).optional(),
  policy: lineText().uuid("Choose one of your policies.").optional(),
  q: lineText().max(100, "Search for at most 100 characters.").optional(),
});

export function documentFilters(url: URL): { filters: DocumentFilters; ignored: string[]; query: string } {
  const { filters, ignored } = readFilters(documentFiltersSchema, url.searchParams, { kind: "Kind", policy: "Policy" });
  const query = new URLSearchParams();
  if (filters.kind) query.set("kind", filters.kind);
  if (filters.policy) query.set("policy", filters.policy);
  if (filters.q) query.set("q", filters.q);
  return { filters: { group: filters.kind, policy: filters.policy, q: filters.q }, ignored, query: query.toString() };
}

/**
 * The titles sources.server.ts writes in SQL (English, so the search matches them), in the reader's
 * words: each is a fixed phrase around a number, a product's or a file's name, which stay as they are.
 */
const TITLES: [source: string, pattern: RegExp, key: string, names: string[]][] = [
  ["certificate", /^Certificate: (.*)$/s, "certificate", ["product"]],
  ["certificate_version", /^Certificate, version (\d+): (.*)$/s, "certificateVersion", ["version", "product"]],
  ["receipt", /^Receipt (.*)$/s, "receipt", ["number"]],
  ["settlement_letter", /^Settlement letter, claim (.*)$/s, "settlementLetter", ["number"]],
  ["decision_letter", /^Decision letter, claim (.*)$/s, "decisionLetter", ["number"]],
  ["cancellation_letter", /^Cancellation letter: (.*)$/s, "cancellationLetter", ["product"]],
  ["checkout_upload", /^Sent with order ([^:]*): (.*)$/s, "orderUpload", ["reference", "filename"]],
  ["claim_document", /^Sent with claim ([^:]*): (.*)$/s, "claimUpload", ["number", "filename"]],
];

function titleIn(t: TFunction, source: string, title: string): string {
  for (const [from, pattern, key, names] of TITLES) {
    const found = from === source ? pattern.exec(title) : null;
    if (found) return t(`documentsPage.titles.${key}`, Object.fromEntries(names.map((name, i) => [name, found[i + 1]])));
  }
  return title;
}

/** /account/documents: one page of the person's documents, each with a fresh link signed for them alone. */
export async function documentsPageData(db: TenantDb, request: Request, tenant: TenantInfo, userId: string, t?: TFunction) {
  const { filters, ignored, query } = documentFilters(new URL(request.url));
  const page = pageFrom(request);
  const [result, policies] = await Promise.all([listMyDocuments(db, userId, filters, { page }), myPolicyChoices(db, userId)]);
  return {
    filters: { kind: filters.group ?? "", policy: filters.policy ?? "", q: filters.q ?? "" },
    filtered: Boolean(filters.group || filters.policy || filters.q),
    ignored,
    page,
    hasMore: result.hasMore,
    zipHref: `/account/documents.zip${query ? `?${query}` : ""}`,
    kinds: Object.entries(DOCUMENT_GROUPS).map(([value, g]) => ({ value, label: t?.(`documentsPage.kind.${value}`) ?? g.label })),
    policies,
    rows: result.rows.map((d) => ({
      key: `${d.source}:${d.id}`,
      title: t ? titleIn(t, d.source, d.title) : d.title,
      kind: t?.(`documentsPage.kind.${d.group}`) ?? DOCUMENT_GROUPS[d.group].label,
      reference: d.reference,
      policyNumbers: d.policyNumbers,
      filename: d.filename,
      date: formatDate(d.createdAt, tenant.locale, tenant.timeZone),
      dateIso: d.createdAt.toISOString(),
      // Five minutes, for this person only: reloading the page makes fresh links.
      href: signDownload({ tenantId: tenant.id, fileKey: d.fileKey, userId, filename: d.filename, expiresInSeconds: 300 }),
    })),
  };
}

import type { z } from "zod";
import { withTenant, type TenantDb } from "~db/client";
import { uuidParam } from "~/lib/params";
import { loadDraft, type LoadedDraft } from "./drafts.server";
import { formatDate, formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { requireUser } from "~/modules/auth/guards.server";
import { can } from "~/modules/auth/permissions";
import { quoteDateIn } from "~/modules/rating";
import { serverT } from "~/modules/i18n/i18n.server";
import { originOf, type TenantInfo } from "~/modules/tenancy/resolve.server";
import { signDownload } from "~/modules/files/signed-links.server";
import type { ClaimActor } from "./access.server";
import { claimDocumentKinds } from "./claimant-actions.server";
import { CLAIMS_PAGE_SIZE, listClaims, type ClaimScope, type ClaimView } from "./claimant.server";
import { claimFiltersSchema } from "./schemas";
import { readFilters } from "~/lib/search-params";
import { pageFrom } from "~/components/ui/pagination";
import { claimDocumentLink, CLAIM_FILES_MAX } from "./documents.server";
import { CLAIM_STATUS_LABELS, progressIndex } from "./labels";
import { claimTypeLabel, documentLabel } from "./rules";
import { claimTypeText, documentText } from "./translated";
import { claimWorkflow } from "./workflow.server";

/**
 * What the claimant's and the agent's claim pages share: who is asking, and a claim turned into what
 * a page shows (dates and money in the agency's words, short-lived document links for this viewer).
 */

export async function claimsRequest(request: Request) {
  const { tenant, user } = await requireUser(request);
  if (!can(user.roles, "file:claim:own") && !can(user.roles, "file:claim:member"))
    throw new Response("You do not have access to this page.", { status: 403 });
  const actor: ClaimActor = { userId: user.id, roles: user.roles };
  return { tenant, user, actor, workflow: claimWorkflow(tenant, originOf(request)), today: quoteDateIn(tenant.timeZone) };
}

/** A zod error as field errors ({ field: [messages] }), for forms read without conform. */
export function zodFieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return errors;
}

export interface ClaimablePolicy {
  id: string;
  policyNumber: string;
  productName: string;
  categoryName: string;
  holderName: string;
  holderUserId: string;
  memberId: string | null;
  startDate: string;
  endDate: string | null;
  status: string;
}

/** Issued policies the actor may claim on: their own and, for an agent, their members' (optionally one member's). */
export async function claimablePolicies(db: TenantDb, actor: ClaimActor, memberId?: string): Promise<ClaimablePolicy[]> {
  let query = db
    .selectFrom("policies as p")
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("categories as c", (j) => j.onRef("c.tenant_id", "=", "pr.tenant_id").onRef("c.id", "=", "pr.category_id"))
    .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "p.tenant_id").onRef("u.id", "=", "p.user_id"))
    .leftJoin("members as m", (j) => j.onRef("m.tenant_id", "=", "p.tenant_id").onRef("m.user_id", "=", "p.user_id"))
    .leftJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
    .select([
      "p.id",
      "p.policy_number",
      "pr.name as product_name",
      "c.name as category_name",
      "u.name as holder_name",
      "p.user_id",
      "m.id as member_id",
      "p.start_date",
      "p.end_date",
      "p.status",
    ])
    .where("p.policy_number", "is not", null)
    .where("p.start_date", "is not", null)
    .where("c.claim_family", "is not", null);
  const mayFileForMembers = can(actor.roles, "file:claim:member");
  if (memberId && mayFileForMembers) query = query.where("m.id", "=", memberId).where("a.user_id", "=", actor.userId);
  else
    query = query.where((eb) =>
      mayFileForMembers
        ? eb.or([eb("p.user_id", "=", actor.userId), eb("a.user_id", "=", actor.userId)])
        : eb("p.user_id", "=", actor.userId),
    );
  const rows = await query.orderBy("u.name").orderBy("p.start_date", "desc").limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    policyNumber: r.policy_number!,
    productName: r.product_name,
    categoryName: r.category_name,
    holderName: r.holder_name,
    holderUserId: r.user_id,
    memberId: r.member_id,
    startDate: r.start_date!,
    endDate: r.end_date,
    status: r.status,
  }));
}

/**
 * A claim as its page shows it, for this viewer (the links are signed for them alone, five minutes),
 * in the request's language: statuses, claim type, standard documents, what it waits for, the timeline.
 */
export async function claimPageData(view: ClaimView, tenant: TenantInfo, viewerUserId: string) {
  const { claim, policy } = view;
  const t = await serverT(tenant.language, "claims");
  const money = (minor: number | null) => (minor === null ? null : formatMoney(minor, claim.currency, tenant.locale));
  const day = (value: string | null) => (value ? formatDate(value, tenant.locale, "UTC") : null);
  const when = (value: Date) => formatDateTime(value, tenant.locale, tenant.timeZone);
  const kinds = claimDocumentKinds(view).map((k) => documentText(t, k));
  return {
    id: claim.id,
    claimNumber: claim.claim_number,
    status: claim.status,
    statusLabel: String(t(`status.${claim.status}`)),
    statusTone: CLAIM_STATUS_LABELS[claim.status].tone,
    statusExplain: String(t(`statusExplain.${claim.status}`)),
    revision: claim.revision,
    progress: progressIndex(claim.status),
    typeLabel: claimTypeText(t, policy.claimFamily, claim.claim_type),
    productName: policy.productName,
    policyNumber: policy.policyNumber,
    policyId: policy.id,
    claimantName: view.claimantName,
    filedAt: when(claim.created_at),
    incidentDate: day(claim.incident_date),
    incidentPlace: claim.incident_place,
    description: claim.description,
    facility: view.facility ? `${view.facility.name}, ${view.facility.city}${view.facility.panel ? ` ${t("tracker.panel")}` : ""}` : null,
    claimed: money(claim.claimed_minor)!,
    approved: money(claim.approved_minor),
    excess: claim.excess_minor ? money(claim.excess_minor) : null,
    payable: money(claim.payable_minor),
    decisionNote: claim.decision_note,
    decidedAt: claim.decided_at ? when(claim.decided_at) : null,
    withdrawalReason: claim.withdrawal_reason,
    appealReason: claim.appeal_reason,
    flags: claim.eligibility_flags ?? [],
    waitingFor: {
      who: view.waitingFor.who,
      what: String(t(`waiting.${view.waitingFor.key}`, { date: day(view.waitingFor.appealUntil ?? null) })),
      dueAt: view.waitingFor.dueAt ? when(view.waitingFor.dueAt) : null,
    },
    timeline: view.timeline.map((item) => ({
      ...item,
      title: String(t(`events.${item.event}`, { defaultValue: item.title })),
      at: when(item.at),
    })),
    documents: view.documents.map((d) => ({
      id: d.id,
      kind: documentLabel(kinds, d.kind),
      filename: d.filename,
      status: d.status,
      statusLabel: String(t(`documentStatus.${d.status}`)),
      // The reviewer's note on a document not accepted tells the claimant what to send instead.
      note: d.status === "rejected" ? d.review_note : null,
      uploadedAt: when(d.created_at),
      url: claimDocumentLink(tenant.id, d, viewerUserId),
    })),
    documentKinds: kinds.map((k) => ({ code: k.code, label: k.label })),
    documentsLeft: CLAIM_FILES_MAX - view.documents.length,
    requests: view.requests.map((r) => ({
      id: r.id,
      message: r.message,
      documents: r.documents.map((d) => documentText(t, d)),
      askedAt: when(r.created_at),
      answeredAt: r.answered_at ? when(r.answered_at) : null,
      answer: r.answer,
    })),
    settlement: view.settlement
      ? {
          status: view.settlement.status,
          statusLabel: String(t(`settlementStatus.${view.settlement.status}`)),
          reference: view.settlement.reference,
          amount: money(view.settlement.amount_minor),
          paidAt: view.settlement.paid_at ? when(view.settlement.paid_at) : null,
          // The settlement letter (claims-settlement builds it); signed for this viewer like the documents.
          letterUrl: view.settlement.letter_file_key
            ? signDownload({
                tenantId: tenant.id,
                fileKey: view.settlement.letter_file_key,
                userId: viewerUserId,
                filename: `Settlement-${claim.claim_number}.pdf`,
                expiresInSeconds: 300,
              })
            : null,
        }
      : null,
    benefit: view.benefit
      ? {
          left: money(view.benefit.leftMinor)!,
          limit: money(view.benefit.limitMinor)!,
          used: money(view.benefit.usedMinor)!,
          yearStart: day(view.benefit.yearStart),
          yearEnd: day(view.benefit.yearEnd),
        }
      : null,
    appealUntil: day(view.appealUntil),
    appealOpen: view.appealOpen,
    canWithdraw: view.canWithdraw,
    canUpload: !["settled", "withdrawn"].includes(claim.status),
    standing: view.standing.as,
  };
}

export type ClaimPageData = Awaited<ReturnType<typeof claimPageData>>;

/** A claims list page's data: filters from the URL, a page of rows in the agency's words. */
export async function claimListData(db: TenantDb, request: Request, tenant: TenantInfo, scope: ClaimScope) {
  const url = new URL(request.url);
  const { filters, ignored } = readFilters(claimFiltersSchema, url.searchParams, { from: "Incident from", to: "Incident to" });
  const page = pageFrom(request);
  const result = await listClaims(db, scope, filters, { offset: (page - 1) * CLAIMS_PAGE_SIZE });
  const money = (minor: number, currency: string) => formatMoney(minor, currency, tenant.locale);
  const t = await serverT(tenant.language, "claims");
  return {
    filters: { status: filters.status ?? "", policy: filters.policy ?? "", from: filters.from ?? "", to: filters.to ?? "" },
    filtered: Boolean(filters.status || filters.policy || filters.from || filters.to),
    ignored,
    page,
    hasMore: result.hasMore,
    statuses: Object.keys(CLAIM_STATUS_LABELS).map((value) => ({ value, label: String(t(`status.${value}`)) })),
    rows: result.rows.map((r) => ({
      id: r.id,
      claimNumber: r.claimNumber,
      status: r.status,
      statusLabel: String(t(`status.${r.status}`)),
      statusTone: CLAIM_STATUS_LABELS[r.status].tone,
      typeLabel: claimTypeText(t, r.claimFamily as Parameters<typeof claimTypeLabel>[0], r.claimType),
      productName: r.productName,
      policyNumber: r.policyNumber,
      claimantName: r.claimantName,
      incidentDate: formatDate(r.incidentDate, tenant.locale, "UTC"),
      claimed: money(r.claimedMinor, r.currency),
      payable: r.payableMinor === null ? null : money(r.payableMinor, r.currency),
      filedAt: formatDate(r.createdAt, tenant.locale, tenant.timeZone),
    })),
  };
}

export type ClaimListData = Awaited<ReturnType<typeof claimListData>>;

/** A wizard step's request: the person, and their own draft (a 404 for anyone else's or a gone one). */
export async function draftRequest(request: Request, draftId: string | undefined) {
  const ctx = await claimsRequest(request);
  const id = uuidParam({ draftId }, "draftId");
  const loaded = await withTenant(ctx.tenant.id, (db) => loadDraft(db, ctx.actor, id));
  if (!loaded) throw new Response("Not found", { status: 404 });
  return { ...ctx, loaded };
}

/** What every wizard step shows in its head: the policy claimed on and how far the draft has come. */
export function wizardHead(loaded: LoadedDraft) {
  return {
    draftId: loaded.draft.id,
    reached: loaded.draft.step,
    policyLabel: `${loaded.policy.productName} · ${loaded.policy.policyNumber}`,
  };
}

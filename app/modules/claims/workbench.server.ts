import { sql } from "kysely";
import type { TenantDb } from "~db/client";
import type { TFunction } from "i18next";
import type { ClaimDocumentStatus, ClaimFamily, EligibilityFlag, PolicyStatus, ProductClaimRules } from "~db/schema";
import { IDENTIFIER_LABELS } from "~/modules/policies/admin.server";
import { signDownload } from "~/modules/files/signed-links.server";
import { workflowOf, type InstanceState } from "~/modules/workflows/engine.server";
import { timelineOf } from "~/modules/workflows/timeline.server";
import { benefitLeft, type BenefitLeft } from "./eligibility.server";
import { signOffsOf, type SignOff } from "./decision.server";
import { notesOf, type ClaimNote } from "./notes.server";
import { documentKindsFor, documentLabel, OTHER_DOCUMENT } from "./rules";
import { claimSettings, type ClaimSettings } from "./settings.server";
import type { Claim } from "./transition.server";

/**
 * Everything the assessor's workbench shows of one claim (issue 12 item 4): the claim, its policy
 * and claimant (identifiers masked only), the eligibility flags, the benefit left, the documents
 * behind short-lived links signed for this staff member, the requests sent, the internal notes,
 * the sign-offs, the workflow's stage and who has it, and one timeline of everything — status
 * changes and the internal events (assignments, document reviews, sign-offs, notes, stages).
 */

export interface WorkbenchDocument {
  id: string;
  kind: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  status: ClaimDocumentStatus;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  uploadedAt: Date;
  /** A link for this staff member, for five minutes. */
  href: string;
  /** How the page shows it: images inline, PDFs by a link that opens them. */
  preview: "image" | "pdf" | "none";
}

export interface WorkbenchEvent {
  at: Date;
  title: string;
  detail: string | null;
  actor: string | null;
  /** Staff only: never on the claimant's timeline. */
  internal: boolean;
}

export interface Workbench {
  claim: Claim;
  policy: {
    id: string;
    number: string | null;
    status: PolicyStatus;
    startDate: string | null;
    endDate: string | null;
    productName: string;
    categoryName: string;
    claimFamily: ClaimFamily | null;
    claimRules: ProductClaimRules;
  };
  claimant: { name: string; email: string; phone: string | null; identifiers: { label: string; masked: string }[] };
  member: { name: string; nricMasked: string } | null;
  filedBy: string;
  facility: string | null;
  assessorName: string | null;
  assessedByName: string | null;
  flags: EligibilityFlag[];
  benefit: BenefitLeft | null;
  documents: WorkbenchDocument[];
  requests: {
    id: string;
    message: string;
    documents: { code: string; label: string }[];
    at: Date;
    by: string;
    answeredAt: Date | null;
    answer: string | null;
  }[];
  notes: ClaimNote[];
  signOffs: SignOff[];
  settings: ClaimSettings;
  workflow: (InstanceState & { assigneeName: string | null }) | null;
  timeline: WorkbenchEvent[];
}

export async function claimWorkbench(
  db: TenantDb,
  claimId: string,
  signer: { tenantId: string; userId: string },
  /** The `admin-claims` namespace in the reader's language: the timeline's words. */
  t: TFunction,
): Promise<Workbench | undefined> {
  const row = await db
    .selectFrom("claims as c")
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("categories as cat", (j) => j.onRef("cat.tenant_id", "=", "pr.tenant_id").onRef("cat.id", "=", "pr.category_id"))
    .innerJoin("users as cu", (j) => j.onRef("cu.tenant_id", "=", "c.tenant_id").onRef("cu.id", "=", "c.claimant_user_id"))
    .innerJoin("users as fb", (j) => j.onRef("fb.tenant_id", "=", "c.tenant_id").onRef("fb.id", "=", "c.filed_by_user_id"))
    .leftJoin("members as m", (j) => j.onRef("m.tenant_id", "=", "c.tenant_id").onRef("m.id", "=", "c.member_id"))
    .leftJoin("facilities as f", (j) => j.onRef("f.tenant_id", "=", "c.tenant_id").onRef("f.id", "=", "c.facility_id"))
    .leftJoin("users as a", (j) => j.onRef("a.tenant_id", "=", "c.tenant_id").onRef("a.id", "=", "c.assessor_user_id"))
    .leftJoin("users as ab", (j) => j.onRef("ab.tenant_id", "=", "c.tenant_id").onRef("ab.id", "=", "c.assessed_by"))
    .selectAll("c")
    .select([
      "p.policy_number",
      "p.status as policy_status",
      "p.start_date",
      "p.end_date",
      "p.order_id",
      "pr.name as product_name",
      "pr.claim_rules",
      "cat.name as category_name",
      "cat.claim_family",
      "cu.name as claimant_name",
      "cu.email as claimant_email",
      "cu.phone as claimant_phone",
      "fb.name as filed_by_name",
      "m.name as member_name",
      "m.nric_masked",
      sql<string | null>`f.name || ', ' || f.city`.as("facility"),
      "a.name as assessor_name",
      "ab.name as assessed_by_name",
    ])
    .where("c.id", "=", claimId)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    policy_number,
    policy_status,
    start_date,
    end_date,
    order_id,
    product_name,
    claim_rules,
    category_name,
    claim_family,
    claimant_name,
    claimant_email,
    claimant_phone,
    filed_by_name,
    member_name,
    nric_masked,
    facility,
    assessor_name,
    assessed_by_name,
    ...claim
  } = row;

  const [identifiers, documents, requests, notes, signOffs, settings, benefit, state] = await Promise.all([
    db.selectFrom("personal_identifiers").select(["kind", "masked"]).where("order_id", "=", order_id).orderBy("kind").execute(),
    documentsOf(db, claim.id, signer),
    db
      .selectFrom("claim_requests as r")
      .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "r.tenant_id").onRef("u.id", "=", "r.requested_by"))
      .select(["r.id", "r.message", "r.documents", "r.created_at", "u.name", "r.answered_at", "r.answer"])
      .where("r.claim_id", "=", claim.id)
      .orderBy("r.created_at")
      .execute(),
    notesOf(db, claim.id),
    signOffsOf(db, claim),
    claimSettings(db),
    benefitLeft(db, claim.policy_id, claim.incident_date),
    workflowOf(db, "claim", claim.id),
  ]);
  const assigneeName = state?.task?.assignedUserId
    ? ((await db.selectFrom("users").select("name").where("id", "=", state.task.assignedUserId).executeTakeFirst())?.name ?? null)
    : null;

  return {
    claim,
    policy: {
      id: claim.policy_id,
      number: policy_number,
      status: policy_status,
      startDate: start_date,
      endDate: end_date,
      productName: product_name,
      categoryName: category_name,
      claimFamily: claim_family,
      claimRules: claim_rules ?? {},
    },
    claimant: {
      name: claimant_name,
      email: claimant_email,
      phone: claimant_phone,
      identifiers: identifiers.map((i) => ({
        label: t(`identifierKinds.${i.kind}`, { ns: "common", defaultValue: IDENTIFIER_LABELS[i.kind] ?? i.kind }),
        masked: i.masked,
      })),
    },
    member: member_name && nric_masked ? { name: member_name, nricMasked: nric_masked } : null,
    filedBy: filed_by_name,
    facility,
    assessorName: assessor_name,
    assessedByName: assessed_by_name,
    flags: claim.eligibility_flags ?? [],
    benefit: benefit ?? null,
    documents,
    requests: requests.map((r) => ({
      id: r.id,
      message: r.message,
      documents: r.documents ?? [],
      at: r.created_at,
      by: r.name,
      answeredAt: r.answered_at,
      answer: r.answer,
    })),
    notes,
    signOffs,
    settings,
    workflow: state ? { ...state, assigneeName } : null,
    timeline: await timelineFor(db, claim, { notes, documents, state }, t),
  };
}

async function documentsOf(db: TenantDb, claimId: string, signer: { tenantId: string; userId: string }): Promise<WorkbenchDocument[]> {
  const rows = await db
    .selectFrom("claim_documents as d")
    .leftJoin("users as r", (j) => j.onRef("r.tenant_id", "=", "d.tenant_id").onRef("r.id", "=", "d.reviewed_by"))
    .select([
      "d.id",
      "d.kind",
      "d.filename",
      "d.content_type",
      "d.size_bytes",
      "d.status",
      "d.review_note",
      "r.name",
      "d.reviewed_at",
      "d.created_at",
      "d.file_key",
    ])
    .where("d.claim_id", "=", claimId)
    .orderBy("d.created_at")
    .orderBy("d.id")
    .execute();
  return rows.map((d) => ({
    id: d.id,
    kind: d.kind,
    filename: d.filename,
    contentType: d.content_type,
    sizeBytes: d.size_bytes,
    status: d.status,
    reviewNote: d.review_note,
    reviewedBy: d.name,
    reviewedAt: d.reviewed_at,
    uploadedAt: d.created_at,
    href: signDownload({ tenantId: signer.tenantId, fileKey: d.file_key, userId: signer.userId, filename: d.filename }),
    preview: /^image\/(png|jpeg|gif|webp)$/.test(d.content_type) ? "image" : d.content_type === "application/pdf" ? "pdf" : "none",
  }));
}

/** Audit entries about a claim that are events of its own (status changes are on the state timeline already). */
/** The staff-only audit entries the timeline shows, by action (`timeline.<key>` in admin-claims). */
const INTERNAL_AUDIT: Record<string, string> = {
  "claim.assigned": "assigned",
  "claim.document_reviewed": "documentReviewed",
  "claim.signed_off": "signedOff",
};

async function timelineFor(
  db: TenantDb,
  claim: Claim,
  known: { notes: ClaimNote[]; documents: WorkbenchDocument[]; state: InstanceState | undefined },
  t: TFunction,
): Promise<WorkbenchEvent[]> {
  const label = (status: string) => String(t(`status.${status}`, { defaultValue: status }));
  const [changes, audits, tasks, names] = await Promise.all([
    timelineOf(db, "claim", claim.id),
    db
      .selectFrom("audit_log as l")
      .leftJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "l.tenant_id").onRef("u.id", "=", "l.actor_user_id"))
      .select(["l.action", "l.details", "l.created_at", "u.name"])
      .where("l.target_type", "=", "claim")
      .where("l.target_id", "=", claim.id)
      .where("l.action", "in", Object.keys(INTERNAL_AUDIT))
      .execute(),
    known.state
      ? db
          .selectFrom("workflow_tasks as t")
          .leftJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "t.tenant_id").onRef("u.id", "=", "t.assigned_user_id"))
          .select(["t.stage", "t.kind", "t.started_at", "t.due_at", "u.name"])
          .where("t.instance_id", "=", known.state.instanceId)
          .execute()
      : Promise.resolve([]),
    // Names of the people an assignment mentions.
    db
      .selectFrom("users as u")
      .innerJoin("user_roles as r", (j) => j.onRef("r.tenant_id", "=", "u.tenant_id").onRef("r.user_id", "=", "u.id"))
      .select(["u.id", "u.name"])
      .where("r.role", "in", ["assessor", "claims_manager", "admin"])
      .execute(),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const stageName = (key: string) => known.state?.definition.stages.find((s) => s.key === key)?.name ?? key;
  const events: (WorkbenchEvent & { kind: number })[] = [
    ...changes.map((c) => ({
      kind: 0,
      at: c.at,
      title: c.from ? `${label(c.from)} → ${label(c.to)}` : label(c.to),
      detail: c.reason,
      actor: c.actorName,
      internal: false,
    })),
    ...known.documents.map((d) => ({
      kind: 1,
      at: d.uploadedAt,
      title: String(t("timeline.documentUploaded", { file: d.filename })),
      detail: null,
      actor: null,
      internal: false,
    })),
    ...audits.map((a) => {
      const details = (a.details ?? {}) as Record<string, unknown>;
      let detail: string | null = null;
      if (a.action === "claim.assigned") {
        const to = typeof details.to === "string" ? (nameOf.get(details.to) ?? t("timeline.someone")) : t("timeline.nobody");
        detail = String(t(details.automatic ? "timeline.toRoundRobin" : "timeline.to", { name: to }));
      } else if (a.action === "claim.document_reviewed") {
        const verdict = String(details.verdict ?? "");
        detail = `${String(details.filename ?? "")}: ${String(t(`timeline.verdict.${verdict}`, { defaultValue: verdict }))}${details.note ? ` — ${String(details.note)}` : ""}`;
      } else if (a.action === "claim.signed_off") {
        detail = String(t("timeline.waitingSecond"));
      }
      return {
        kind: 2,
        at: a.created_at,
        title: INTERNAL_AUDIT[a.action] ? String(t(`timeline.${INTERNAL_AUDIT[a.action]}`)) : a.action,
        detail,
        actor: a.name,
        internal: true,
      };
    }),
    ...known.notes.map((n) => ({
      kind: 3,
      at: n.at,
      title: String(t("timeline.internalNote")),
      detail: n.body,
      actor: n.authorName,
      internal: true,
    })),
    ...tasks.map((task) => ({
      kind: 4,
      at: task.started_at,
      title: String(t("timeline.workflow", { stage: stageName(task.stage) })),
      detail: task.kind === "manual" && task.name ? String(t("timeline.with", { name: task.name })) : null,
      actor: null,
      internal: true,
    })),
  ];
  // A step's rows share its transaction: most are stamped at its start (now()), the status change at
  // its own moment (clock_timestamp()). Within a second, the status change reads first.
  const second = (e: { at: Date }) => Math.floor(e.at.getTime() / 1000);
  return events
    .sort((a, b) => second(a) - second(b) || a.kind - b.kind || a.at.getTime() - b.at.getTime())
    .map(({ kind: _kind, ...event }) => event);
}

/**
 * What the assessor can tick when asking for documents: what the claim type needs (the family's
 * list with the product's own), any other kind already on the claim (to ask for a better copy),
 * and "other".
 */
export function requestableDocuments(
  family: ClaimFamily | null,
  claimType: string,
  rules: ProductClaimRules,
  kindsOnClaim: readonly string[],
): { code: string; label: string }[] {
  const kinds = documentKindsFor(family, claimType, rules);
  const extra = kindsOnClaim.filter((k) => !kinds.some((d) => d.code === k)).map((code) => ({ code, label: documentLabel(kinds, code) }));
  return [...kinds.filter((d) => d.code !== OTHER_DOCUMENT.code), ...new Map(extra.map((d) => [d.code, d])).values(), OTHER_DOCUMENT];
}

/** What the workbench's forms are checked against: the claim's money and the documents that can be asked for. */
export async function claimFormContext(
  db: TenantDb,
  claimId: string,
): Promise<{ currency: string; claimedMinor: number; requestable: { code: string; label: string }[] } | undefined> {
  const row = await db
    .selectFrom("claims as c")
    .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
    .innerJoin("products as pr", (j) => j.onRef("pr.tenant_id", "=", "p.tenant_id").onRef("pr.id", "=", "p.product_id"))
    .innerJoin("categories as cat", (j) => j.onRef("cat.tenant_id", "=", "pr.tenant_id").onRef("cat.id", "=", "pr.category_id"))
    .select(["c.id", "c.claim_type", "c.currency", "c.claimed_minor", "pr.claim_rules", "cat.claim_family"])
    .where("c.id", "=", claimId)
    .executeTakeFirst();
  if (!row) return undefined;
  const kinds = await db.selectFrom("claim_documents").select("kind").distinct().where("claim_id", "=", claimId).execute();
  const requestable = requestableDocuments(
    row.claim_family,
    row.claim_type,
    row.claim_rules ?? {},
    kinds.map((k) => k.kind),
  );
  return { currency: row.currency, claimedMinor: row.claimed_minor, requestable };
}

import { withTenant, type TenantDb } from "~db/client";
import { addJob } from "~db/jobs";
import type { MessageAttachment } from "~db/schema";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { logger } from "~/lib/log.server";
import { fileStore, type FileStore } from "~/modules/files/storage.server";
import type { EventKey } from "~/modules/notifications/events";
import { serverT } from "~/modules/i18n/i18n.server";
import { notify, type Notification } from "~/modules/notifications/notify.server";
import { sentOn } from "~/modules/notifications/sent";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import type { ClaimEvent } from "~/modules/workflows";
import { ensureRejectionLetter, ensureSettlementLetter, LETTER_CONTENT_TYPE } from "./letters.server";
import { createSettlement } from "./settlement.server";
import type { Claim } from "./transition.server";
import type { ClaimWorkflow } from "./workflow.server";

/**
 * What a claim's events tell people (issue 12, item 8): the claimant, and for a member's claim the
 * agent who looks after them, hear of the claim being filed, documents being asked for, the
 * approval, the rejection (with its letter) and the payment (with the settlement letter).
 *
 * `notifyClaimEvent` is called by `moveClaim` for every move, inside its transaction: it creates the
 * settlement when a claim is approved, and queues one `claim_notification` job per notice. The job
 * reads what was committed, renders the letter a notice carries, and queues the emails, each with a
 * dedupe key naming the claim, the notice and the claim's revision after the move: the same event
 * never sends twice, however often its job runs, and a claim rejected again after an appeal is a
 * new event.
 */
export const CLAIM_NOTICES = ["filed", "documents_requested", "approved", "rejected", "settled"] as const;
export type ClaimNotice = (typeof CLAIM_NOTICES)[number];

const NOTICE_OF: Partial<Record<ClaimEvent, ClaimNotice>> = {
  request_documents: "documents_requested",
  approve: "approved",
  reject: "rejected",
  settle: "settled",
};

async function queueNotice(db: TenantDb, workflow: ClaimWorkflow, claimId: string, notice: ClaimNotice, revision: number) {
  await addJob(
    db,
    "claim_notification",
    { tenantId: workflow.tenant.id, claimId, notice, revision, origin: workflow.origin },
    { jobKey: `claim_notification:${workflow.tenant.id}:${claimId}:${notice}:${revision}` },
  );
}

/** Called by `moveClaim` after a move, in its transaction (`claim` as it is after the move). */
export async function notifyClaimEvent(
  db: TenantDb,
  workflow: ClaimWorkflow,
  claim: Claim,
  event: ClaimEvent,
  actorUserId: string | null = null,
): Promise<void> {
  if (event === "approve") {
    // The settlement exists from the approval's own transaction: nothing can lose it in between.
    const created = await createSettlement(db, workflow, claim.id, actorUserId);
    if (!created.ok) logger.warn({ claimId: claim.id, reason: created.message }, "approved claim without a settlement");
  }
  const notice = NOTICE_OF[event];
  if (notice) await queueNotice(db, workflow, claim.id, notice, claim.revision);
}

/** For filing (the claims-customer side): the claimant (and agent) hear the claim arrived. */
export async function notifyClaimFiled(db: TenantDb, workflow: ClaimWorkflow, claim: Pick<Claim, "id" | "revision">): Promise<void> {
  await queueNotice(db, workflow, claim.id, "filed", claim.revision);
}

/** Where a claim's email sends its reader: the claimant's claim page, or the agent's view of it. */
export function claimLink(origin: string, claimId: string, audience: "claimant" | "agent"): string {
  return audience === "agent" ? `${origin}/agent/claims/${claimId}` : `${origin}/account/claims/${claimId}`;
}

/**
 * The `claim_notification` job: the notice's letter (rendered once), then one email to the
 * claimant and one to their agent, each once. Answers what it did.
 */
export async function sendClaimNotice(
  tenant: TenantInfo,
  input: { claimId: string; notice: ClaimNotice; revision: number; origin: string },
  files: FileStore = fileStore(),
): Promise<string> {
  const { claimId, notice, revision, origin } = input;
  const people = await withTenant(tenant.id, (db) =>
    db
      .selectFrom("claims as c")
      .innerJoin("users as u", (j) => j.onRef("u.tenant_id", "=", "c.tenant_id").onRef("u.id", "=", "c.claimant_user_id"))
      .innerJoin("policies as p", (j) => j.onRef("p.tenant_id", "=", "c.tenant_id").onRef("p.id", "=", "c.policy_id"))
      .leftJoin("members as m", (j) => j.onRef("m.tenant_id", "=", "c.tenant_id").onRef("m.id", "=", "c.member_id"))
      .leftJoin("agents as a", (j) => j.onRef("a.tenant_id", "=", "m.tenant_id").onRef("a.id", "=", "m.agent_id"))
      .leftJoin("users as au", (j) => j.onRef("au.tenant_id", "=", "a.tenant_id").onRef("au.id", "=", "a.user_id"))
      .select([
        "c.id",
        "c.claim_number",
        "c.claimed_minor",
        "c.approved_minor",
        "c.excess_minor",
        "c.payable_minor",
        "c.decision",
        "c.currency",
        "p.policy_number",
        "u.id as user_id",
        "u.name",
        "u.email",
        "m.name as member_name",
        "au.id as agent_user_id",
        "au.email as agent_email",
      ])
      .where("c.id", "=", claimId)
      .executeTakeFirst(),
  );
  if (!people) return "no_claim";
  // In the reader's locale, which notify knows.
  const money = (minor: number) => (locale: string) => formatMoney(minor, people.currency, locale);
  // The claimant, and the agent who looks after them (a member's claim): the same words, naming the claimant.
  const audiences: { userId: string; email: string; kind: "claimant" | "agent"; suffix: string }[] = [
    { userId: people.user_id, email: people.email, kind: "claimant", suffix: "" },
  ];
  if (people.agent_user_id && people.agent_email && people.agent_email !== people.email) {
    audiences.push({ userId: people.agent_user_id, email: people.agent_email, kind: "agent", suffix: ":agent" });
  }

  let attachments: MessageAttachment[] = [];
  let event: EventKey;
  let vars: Notification["vars"];
  const common = { claimNumber: people.claim_number, claimantName: people.member_name ?? people.name };
  switch (notice) {
    case "filed":
      event = "claim_filed";
      vars = { ...common, policyNumber: people.policy_number ?? "—", claimed: money(people.claimed_minor) };
      break;
    case "documents_requested": {
      const request = await withTenant(tenant.id, (db) =>
        db
          .selectFrom("claim_requests")
          .select(["message", "documents"])
          .where("claim_id", "=", claimId)
          .orderBy("created_at", "desc")
          .orderBy("id", "desc")
          .executeTakeFirst(),
      );
      event = "claim_documents_requested";
      vars = {
        ...common,
        // The assessor's own words, in the language they wrote them.
        message: request?.message ?? "",
        documents: (request?.documents ?? []).map((d) => d.label).join("; ") || "—",
      };
      break;
    }
    case "approved": {
      const payable = people.payable_minor ?? people.approved_minor ?? 0;
      event = "claim_approved";
      vars = {
        ...common,
        approved: money(people.approved_minor ?? payable),
        excess: money(people.excess_minor ?? 0),
        payable: money(payable),
      };
      break;
    }
    case "rejected": {
      const letter = await ensureRejectionLetter(tenant, claimId, revision, origin, files);
      if (!letter) return "no_claim";
      attachments = [{ filename: `Decision-${people.claim_number}.pdf`, fileKey: letter.key, contentType: LETTER_CONTENT_TYPE }];
      event = "claim_rejected";
      vars = {
        ...common,
        reasons: [...letter.reasons, ...(letter.note ? [letter.note] : [])].join("; ") || "—",
        appealBy: (locale: string) => formatDate(`${letter.appealBy}T00:00:00Z`, locale, "UTC"),
      };
      break;
    }
    case "settled": {
      const key = await ensureSettlementLetter(tenant, claimId, files);
      const settlement = await withTenant(tenant.id, (db) =>
        db.selectFrom("claim_settlements").selectAll().where("claim_id", "=", claimId).executeTakeFirst(),
      );
      if (!key || !settlement) return "not_paid";
      attachments = [{ filename: `Settlement-${settlement.reference}.pdf`, fileKey: key, contentType: LETTER_CONTENT_TYPE }];
      event = "claim_settled";
      vars = {
        ...common,
        amount: money(settlement.amount_minor),
        method: async (_locale, language) =>
          settlement.method ? (await serverT(language, "common"))(`settlementMethods.${settlement.method}`) : "-",
        reference: settlement.provider_receipt ?? settlement.manual_reference ?? settlement.reference,
        settlementReference: settlement.reference,
      };
      break;
    }
  }

  return withTenant(tenant.id, async (db) => {
    let queued = 0;
    for (const { userId, email, kind, suffix } of audiences) {
      const results = await notify(db, tenant.id, {
        event,
        to: { userId, email },
        vars: { ...vars, link: claimLink(origin, claimId, kind) },
        dedupeKey: `claim_${notice}:${claimId}:${revision}${suffix}`,
        attachments,
      });
      if (sentOn(results, "email")) queued += 1;
    }
    return queued ? "emailed" : "already_emailed";
  });
}

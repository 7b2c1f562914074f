import { withTenant } from "~db/client";
import type { Role } from "~db/schema";
import { appealClaim, agentReviewed, withdrawClaim } from "~/modules/claims/claimant-actions.server";
import type { ClaimActor } from "~/modules/claims/access.server";
import { withStoredFiles, type AcceptedFile } from "~/modules/claims/documents.server";
import {
  addDraftDocuments,
  loadDraft,
  markReviewReached,
  saveAmount,
  saveIncident,
  startDraft,
  submitDraft,
} from "~/modules/claims/drafts.server";
import { submitPayout } from "~/modules/claims/payouts.server";
import { paySettlement } from "~/modules/claims/settlement.server";
import { claimWorkflow, type ClaimWorkflow } from "~/modules/claims/workflow.server";
import { addDays } from "~/modules/rating/dates";
import { officeHours } from "./clock.server";
import { decideForDemo, type OfficeStep } from "./claim-office.server";
import type { HistoryContext } from "./history.server";
import type { HistoryClaim, HistoryManifest } from "./manifest";
import { minutesLater } from "./retime.server";

/**
 * The claims step of the demo history (issue 12): claims on the history's policies, at every
 * stage, so the assessors, claims managers and agents have work waiting and customers see claims
 * in every state. It runs after the premium schedule, on policies at their real dates. Each claim
 * is played through the claims modules (the wizard's draft and submit, `moveClaim` for every
 * status, the settlement paid through the sandbox, the claimant's withdrawal and appeal, the
 * agent's review), and each step notes when it really happened (`ctx.times.claims`), so the
 * history's retime pass moves the claim's rows there afterwards (retime.server.ts).
 */

/** A one-page PDF, and a 1×1 PNG for photos: real files of the kinds claims accept. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
function demoDocument(kind: string): AcceptedFile {
  if (kind.endsWith("photos")) return { kind, filename: `${kind}.png`, bytes: PNG, contentType: "image/png" };
  const pdf = `%PDF-1.4\n% ${kind.replace(/_/g, " ")} (demo scan)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return { kind, filename: `${kind}.pdf`, bytes: Buffer.from(pdf), contentType: "application/pdf" };
}

interface People {
  assessor: string;
  manager: string;
  /** A second approver who is neither the assessor nor the claims manager. */
  second: string;
}

export async function playClaims(ctx: HistoryContext, history: HistoryManifest): Promise<void> {
  if (history.claims.length === 0) return;
  const { assessor, claims_manager: manager, admin } = ctx.staff;
  if (!assessor || !manager || !admin) throw new Error("demo claims need an assessor, a claims manager and an admin");
  const workflow = claimWorkflow(ctx.tenant, ctx.origin);
  // Filed oldest first, so claim numbers rise with their dates.
  const stories = [...history.claims].sort((a, b) => b.ago.months - a.ago.months || b.ago.days - a.ago.days);
  for (const story of stories) {
    try {
      await playClaim(ctx, workflow, { assessor, manager, second: admin }, story);
    } catch (error) {
      throw new Error(`claim of ${story.claimant} on ${story.product}: ${(error as Error).message}`, { cause: error });
    }
  }
}

async function playClaim(ctx: HistoryContext, workflow: ClaimWorkflow, people: People, story: HistoryClaim): Promise<void> {
  const { tenant, clock } = ctx;
  const marks: { real: Date; at: Date }[] = [];
  let last = clock.at(clock.day(story.ago), officeHours(ctx.random));
  /** The next step happens `days` after the one before, in office hours (and always after it). */
  const step = (days: number) => {
    if (days > 0) last = new Date(Math.max(clock.at(addDays(clock.dayOf(last), days), officeHours(ctx.random)).getTime(), last.getTime()));
    last = minutesLater(last, 5);
    marks.push({ real: new Date(), at: last });
  };
  const { claimant, filer, policyId, facilityId } = await parties(ctx, story);
  const filedOn = clock.dayOf(last);
  step(0);
  const claimId = await withStoredFiles(tenant.id, async (db, ledger) => {
    const started = await startDraft(db, filer, policyId);
    if (!started.ok) throw new Error(JSON.stringify(started.errors));
    const draft = async () => (await loadDraft(db, filer, started.draftId))!;
    const incident = {
      claimType: story.type,
      incidentDate: addDays(filedOn, -story.incidentDaysBefore),
      incidentPlace: story.place,
      description: story.description,
    };
    const incidentProblems = await saveIncident(db, tenant, await draft(), incident);
    if (Object.keys(incidentProblems).length) throw new Error(JSON.stringify(incidentProblems));
    let loaded = await draft();
    const amount = { claimedMinor: Math.round(story.amount * 100), currency: loaded.policy.currency, facilityId };
    const amountProblems = await saveAmount(db, tenant, loaded, amount);
    if (Object.keys(amountProblems).length) throw new Error(JSON.stringify(amountProblems));
    loaded = await draft();
    await addDraftDocuments(db, ledger, tenant.id, loaded, story.documents.map(demoDocument));
    await markReviewReached(db, loaded);
    const filed = await submitDraft(db, workflow, ledger, filer, started.draftId);
    if (!filed.ok) throw new Error(JSON.stringify(filed.errors));
    return filed.claim.id;
  });

  const office = (s: OfficeStep) => withTenant(tenant.id, (db) => decideForDemo(db, workflow, claimId, s));
  const end = story.end;
  if (end === "unassigned") {
    await office({ do: "unassign" });
    return saveMarks(ctx, claimId, marks);
  }
  if (filer.userId !== claimant.userId) {
    if (end === "agent_review") return saveMarks(ctx, claimId, marks);
    step(1);
    const reviewed = await withTenant(tenant.id, (db) =>
      agentReviewed(db, workflow, filer, { claimId, note: "Checked the bill and discharge summary with the member." }),
    );
    if (!reviewed.ok) throw new Error(JSON.stringify(reviewed.errors));
  }
  if (end === "withdrawn") {
    step(3);
    await withTenant(tenant.id, async (db) => {
      const { revision } = await db.selectFrom("claims").select("revision").where("id", "=", claimId).executeTakeFirstOrThrow();
      const withdrawn = await withdrawClaim(db, workflow, claimant, { claimId, reason: "The damage was less than I thought.", revision });
      if (!withdrawn.ok) throw new Error(JSON.stringify(withdrawn.errors));
    });
    return saveMarks(ctx, claimId, marks);
  }
  const assessor =
    (await withTenant(tenant.id, (db) => db.selectFrom("claims").select("assessor_user_id").where("id", "=", claimId).executeTakeFirst()))
      ?.assessor_user_id ?? people.assessor;
  if (end === "submitted") return saveMarks(ctx, claimId, marks);
  step(1);
  await office({ do: "review", by: assessor });
  if (end === "documents_requested") {
    step(1);
    await office({
      do: "request",
      by: assessor,
      documents: story.documents.length ? [story.documents[0]!] : ["other"],
      message: "The copy we have is hard to read: please send a clearer scan.",
    });
  }
  if (end === "under_review" || end === "documents_requested") return saveMarks(ctx, claimId, marks);

  step(3);
  const approvedMinor = end === "rejected" || end === "appealed" ? null : Math.round((story.approved ?? story.amount) * 100);
  await office({
    do: "assess",
    by: assessor,
    approvedMinor,
    note: approvedMinor ? "Documents check out." : "Not payable under the policy.",
  });
  if (end === "assessment_complete") return saveMarks(ctx, claimId, marks);
  if (end === "second_approval") {
    step(1);
    await office({ do: "sign", by: people.manager });
    return saveMarks(ctx, claimId, marks);
  }
  if (end === "rejected" || end === "appealed") {
    step(1);
    await office({
      do: "reject",
      by: people.manager,
      reasons: story.reasons.length ? story.reasons : ["not_covered"],
      note: "The loss claimed is not covered by this policy.",
    });
    if (end === "appealed") {
      step(6);
      await withTenant(tenant.id, async (db) => {
        const { revision } = await db.selectFrom("claims").select("revision").where("id", "=", claimId).executeTakeFirstOrThrow();
        const appealed = await appealClaim(db, workflow, claimant, {
          claimId,
          reason: "The items were in a locked room: I have the locksmith's report to show it.",
          revision,
        });
        if (!appealed.ok) throw new Error(JSON.stringify(appealed.errors));
      });
    }
    return saveMarks(ctx, claimId, marks);
  }
  step(1);
  await office({ do: "approve", by: people.manager, second: people.second });
  if (end === "settled") {
    step(2);
    await withTenant(tenant.id, async (db) => {
      const settlement = await db.selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).executeTakeFirstOrThrow();
      const paid = await paySettlement(db, workflow, { settlementId: settlement.id, method: "sandbox" }, { userId: people.manager });
      if (!paid.ok) throw new Error(paid.message);
    });
    // What the `submit_payout` job does; the job, run later, finds it paid.
    const settlement = await withTenant(tenant.id, (db) =>
      db.selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).executeTakeFirstOrThrow(),
    );
    const outcome = await submitPayout(tenant, settlement.id, ctx.origin);
    if (outcome !== "paid") throw new Error(`sandbox payout: ${outcome}`);
  }
  return saveMarks(ctx, claimId, marks);
}

function saveMarks(ctx: HistoryContext, claimId: string, marks: { real: Date; at: Date }[]): void {
  ctx.times.claims.push({ claimId, marks });
}

/** The claimant, who files (themself, or their member's agent), their policy of the product and the facility. */
async function parties(ctx: HistoryContext, story: HistoryClaim) {
  return withTenant(ctx.tenant.id, async (db) => {
    const user = await db.selectFrom("users").select("id").where("email", "=", story.claimant).executeTakeFirstOrThrow();
    const policy = await db
      .selectFrom("policies as p")
      .innerJoin("products as pr", "pr.id", "p.product_id")
      .select("p.id")
      .where("p.user_id", "=", user.id)
      .where("pr.slug", "=", story.product)
      .where("p.policy_number", "is not", null)
      .orderBy("p.start_date")
      .executeTakeFirst();
    if (!policy) throw new Error(`${story.claimant} holds no issued ${story.product} policy`);
    const agent = await db
      .selectFrom("members as m")
      .innerJoin("agents as a", "a.id", "m.agent_id")
      .select("a.user_id")
      .where("m.user_id", "=", user.id)
      .executeTakeFirst();
    const facility = story.facility
      ? await db.selectFrom("facilities").select("id").where("name", "=", story.facility).executeTakeFirst()
      : null;
    if (story.facility && !facility) throw new Error(`no facility named ${story.facility}`);
    const actor = async (userId: string): Promise<ClaimActor> => ({
      userId,
      roles: (await db.selectFrom("user_roles").select("role").where("user_id", "=", userId).execute()).map((r) => r.role as Role),
    });
    return {
      claimant: await actor(user.id),
      filer: await actor(agent?.user_id ?? user.id),
      policyId: policy.id,
      facilityId: facility?.id ?? null,
    };
  });
}

import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { ensureSettlementLetter } from "~/modules/claims/letters.server";
import { sendClaimNotice } from "~/modules/claims/notifications.server";
import { createSettlement } from "~/modules/claims/settlement.server";
import { claimWorkflow } from "~/modules/claims/workflow.server";
import { fileStore } from "~/modules/files/storage.server";
import { addDays, quoteDateIn } from "~/modules/rating/dates";
import type { TenantInfo } from "~/modules/tenancy/resolve.server";
import { paymentsTenant } from "../support/checkout";
import { createUser, eventually, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { readPdf } from "../support/pdf";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import {
  approveClaim,
  claimantWithPolicy,
  fileClaim,
  memberOfAgent,
  rejectClaim,
  requestDocuments,
  type ClaimantFixture,
} from "./claims-settlement-fixtures";

/**
 * Settling claims (issue 12, item 5; decision 025) through the app: the settlement an approval
 * makes, staff paying it through the sandbox, by bank transfer (the bank file) or with a reference
 * of a payment made elsewhere, two people pressing Pay at once, a payout the sandbox refuses; the
 * settlement and rejection letters read back from their PDFs; one email per claim event, to the
 * claimant and a member's agent; and nobody reaching another person's (or agency's) settlement or
 * letter. The suite's worker runs the jobs (payouts, letters, emails), as in production.
 */

let tenant: TenantInfo;
let other: TenantInfo;
let origin: string;
let assessor: { id: string; email: string };
let manager: { id: string; email: string };
let managerBrowser: Browser;

const KES = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");
const norm = (text: string) => text.replace(/\s+/g, " ");
/** PDF text compared without its spacing: a label and its value are separate runs, laid out side by side. */
const expectInPdf = (text: string, expected: string) => expect(text.replace(/\s+/g, "")).toContain(expected.replace(/\s+/g, ""));

beforeAll(async () => {
  [tenant, other] = await Promise.all([paymentsTenant({ prefix: "BWM" }), paymentsTenant({ prefix: "OTH" })]);
  origin = `http://${hostOf(tenant)}`;
  [assessor, manager] = await Promise.all([
    createUser(tenant.id, { name: "Amina Assessor", roles: ["assessor"] }),
    createUser(tenant.id, { name: "Otieno Claims", roles: ["claims_manager"] }),
  ]);
  managerBrowser = await signIn(hostOf(tenant), manager.email);
});

async function approvedClaim(options: { claimed?: number; approved?: number; excess?: number; claimant?: ClaimantFixture } = {}) {
  const claimant = options.claimant ?? (await claimantWithPolicy(tenant, { phone: "0712345678" }));
  const { claimId, claimNumber } = await fileClaim(tenant, origin, { claimant, claimedMinor: options.claimed ?? 15_000_000 });
  await approveClaim(tenant, origin, claimId, {
    approvedMinor: options.approved ?? 12_000_000,
    excessMinor: options.excess ?? 1_000_000,
    actorUserId: assessor.id,
  });
  return { claimant, claimId, claimNumber };
}

const settlementOf = (claimId: string) =>
  ownerDb()
    .selectFrom("claim_settlements")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("claim_id", "=", claimId)
    .executeTakeFirst();
const claimRow = (claimId: string) => ownerDb().selectFrom("claims").selectAll().where("id", "=", claimId).executeTakeFirstOrThrow();
const emails = (claimId: string, template?: string) => {
  let q = ownerDb()
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenant.id)
    .where("channel", "=", "email")
    .where("dedupe_key", "like", `claim_%:${claimId}:%`);
  if (template) q = q.where("template", "=", template);
  return q.orderBy("created_at").execute();
};
const changes = (entity: string, entityId: string, event?: string) => {
  let q = ownerDb().selectFrom("state_changes").selectAll().where("entity", "=", entity).where("entity_id", "=", entityId);
  if (event) q = q.where("event", "=", event);
  return q.orderBy("created_at").execute();
};
const settlementPath = (claimId: string) => `/admin/claims/${claimId}/settlement`;

/** The settlement paid, the claim settled, the letter stored and the email delivered (the worker's jobs). */
async function settledAndEmailed(claimId: string) {
  const settlement = await eventually(async () => {
    const s = await settlementOf(claimId);
    return s?.status === "paid" && s.letter_file_key ? s : undefined;
  }, 30_000);
  const email = await eventually(async () => (await emails(claimId, "claim_settled")).find((m) => m.status === "outbox"), 30_000);
  return { settlement, email };
}

describe("an approved claim's settlement", () => {
  it("is made once, by the approval, with a unique reference, the payable amount and the claimant's phone", async () => {
    const { claimant, claimId, claimNumber } = await approvedClaim();
    const s = (await settlementOf(claimId))!;
    expect(s).toMatchObject({
      status: "pending",
      method: null,
      amount_minor: 11_000_000,
      currency: "KES",
      payee_name: "Wanjiru Kamau",
      payee_phone: "0712345678",
      attempt: 0,
    });
    expect(s.reference).toMatch(new RegExp(`^BWM-STL-${new Date().getFullYear()}-\\d{6}$`));
    expect(s.callback_token_hash).toMatch(/^[a-f0-9]{64}$/);
    expect(await changes("settlement", s.id)).toMatchObject([{ event: "create", to_state: "pending" }]);

    // Asking again (the workflow's action, a retried job) finds the same one.
    const again = await withTenant(tenant.id, (db) => createSettlement(db, claimWorkflow(tenant, origin), claimId, null));
    expect(again).toMatchObject({ ok: true, created: false, settlement: { id: s.id } });
    expect(await ownerDb().selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).execute()).toHaveLength(1);

    // The claimant heard of the filing and the approval, once each.
    await eventually(async () => (await emails(claimId)).filter((m) => m.status === "outbox").length === 2, 30_000);
    const sent = await emails(claimId);
    expect(sent.map((m) => [m.template, m.recipient])).toEqual([
      ["claim_filed", claimant.user.email],
      ["claim_approved", claimant.user.email],
    ]);
    expect(norm(sent[0]!.body_text)).toContain(
      `We have received claim ${claimNumber} of Wanjiru Kamau for ${KES(15_000_000)} on policy ${claimant.policyNumber}`,
    );
    expect(norm(sent[1]!.body_text)).toContain(`${KES(12_000_000)}, less the excess of ${KES(1_000_000)}. We will pay ${KES(11_000_000)}`);
    expect(sent[1]!.body_text).toContain(`${origin}/account/claims/${claimId}`);
  });

  it("is paid through the sandbox when staff press Pay: the claim is settled once, and the letter made and emailed once", async () => {
    const { claimant, claimId, claimNumber } = await approvedClaim();
    const page = await managerBrowser.get(settlementPath(claimId));
    expect(page.status).toBe(200);
    const s0 = (await settlementOf(claimId))!;
    expect(textOf(page.text)).toContain(s0.reference);
    expect(textOf(page.text)).toContain(`Pay ${KES(11_000_000)} (sandbox)`);

    const paid = await managerBrowser.post(settlementPath(claimId), { intent: "pay_sandbox" });
    expect(paid.status).toBe(302);
    expect(paid.location).toBe(`${settlementPath(claimId)}?notice=paying`);

    const { settlement, email } = await settledAndEmailed(claimId);
    expect(settlement).toMatchObject({ method: "sandbox", attempt: 1, provider_receipt: expect.stringMatching(/^SBX/) });
    expect(settlement.provider_ref).toMatch(/^sbxp_/);
    expect((await claimRow(claimId)).status).toBe("settled");
    expect(email).toMatchObject({ recipient: claimant.user.email });
    expect(email.attachments).toEqual([
      { filename: `Settlement-${settlement.reference}.pdf`, fileKey: settlement.letter_file_key, contentType: "application/pdf" },
    ]);
    expect(norm(email.body_text)).toContain(`We have paid ${KES(11_000_000)} for claim ${claimNumber} of Wanjiru Kamau`);

    // The letter, read back: the claim, the policy, every amount, how and when it was paid.
    const pdf = await readPdf((await fileStore().get(settlement.letter_file_key!))!.body);
    expect(pdf.title).toBe(`Settlement letter ${settlement.reference}`);
    for (const expected of [
      "Settlement Letter",
      settlement.reference,
      claimNumber,
      claimant.policyNumber,
      "Motor Comprehensive",
      "Wanjiru Kamau",
      `Amount claimed ${KES(15_000_000)}`,
      `Amount approved ${KES(12_000_000)}`,
      `Less the policy's excess -${KES(1_000_000)}`,
      `Amount paid ${KES(11_000_000)}`,
      settlement.provider_receipt!,
      formatDate(settlement.paid_at!, "en-KE", "Africa/Nairobi"),
      "Method Sandbox (test mode: no money moved)",
    ]) {
      expectInPdf(pdf.text, expected);
    }

    // Exactly once: one payout sent, one settle on the claim's timeline, one letter, one email —
    // and running the letter and the notice again changes nothing.
    const log = await ownerDb().selectFrom("gateway_log").select("kind").where("settlement_id", "=", settlement.id).execute();
    expect(log.map((l) => l.kind)).toEqual(["payout"]);
    expect(await changes("claim", claimId, "settle")).toHaveLength(1);
    expect((await changes("settlement", settlement.id)).map((c) => [c.event, c.to_state])).toEqual([
      ["create", "pending"],
      ["pay", "processing"],
      ["confirm", "paid"],
    ]);
    expect(await ensureSettlementLetter(tenant, claimId)).toBe(settlement.letter_file_key);
    const revision = (await claimRow(claimId)).revision;
    expect(await sendClaimNotice(tenant, { claimId, notice: "settled", revision, origin })).toBe("already_emailed");
    expect(await emails(claimId, "claim_settled")).toHaveLength(1);

    // The claimant downloads it; the page links it for staff.
    const claimantBrowser = await signIn(hostOf(tenant), claimant.user.email);
    const download = await claimantBrowser.get(`/account/claims/${claimId}/letter`);
    expect(download.status).toBe(302);
    const file = await claimantBrowser.get(download.location!);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("application/pdf");
    expect(file.text.startsWith("%PDF-")).toBe(true);
    expect(textOf((await managerBrowser.get(settlementPath(claimId))).text)).toContain("Download the settlement letter (PDF)");
  });

  it("is paid once when two people press Pay at the same moment", async () => {
    const { claimId } = await approvedClaim();
    const second = await signIn(hostOf(tenant), (await createUser(tenant.id, { name: "Second Manager", roles: ["claims_manager"] })).email);
    const [a, b] = await Promise.all([
      managerBrowser.post(settlementPath(claimId), { intent: "pay_sandbox" }),
      second.post(settlementPath(claimId), { intent: "pay_sandbox" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const refused = a.status === 409 ? a : b;
    expect(textOf(refused.text)).toMatch(/already being paid|is paid is final/);

    const { settlement } = await settledAndEmailed(claimId);
    expect(settlement.attempt).toBe(1);
    expect(await changes("settlement", settlement.id, "pay")).toHaveLength(1);
    expect(await changes("claim", claimId, "settle")).toHaveLength(1);
    const log = await ownerDb().selectFrom("gateway_log").select("kind").where("settlement_id", "=", settlement.id).execute();
    expect(log).toHaveLength(1);
    expect(await emails(claimId, "claim_settled")).toHaveLength(1);
  });

  it("is settled by a payment made elsewhere once staff enter its reference (and not without one)", async () => {
    const { claimId } = await approvedClaim();
    const blank = await managerBrowser.post(settlementPath(claimId), { intent: "record_manual", reference: "  " });
    expect(blank.status).toBe(400);
    expect(textOf(blank.text)).toContain("Enter the payment's reference.");
    expect((await settlementOf(claimId))!.status).toBe("pending");

    const recorded = await managerBrowser.post(settlementPath(claimId), {
      intent: "record_manual",
      reference: "CHQ-004512",
      note: "Cheque collected at the Nairobi office",
    });
    expect(recorded.status).toBe(302);
    const { settlement } = await settledAndEmailed(claimId);
    expect(settlement).toMatchObject({ method: "manual", manual_reference: "CHQ-004512", attempt: 0 });
    const pdf = await readPdf((await fileStore().get(settlement.letter_file_key!))!.body);
    expectInPdf(pdf.text, "Reference CHQ-004512");
    expect(await auditRows(tenant.id, "claim.settlement_recorded", settlement.id)).toHaveLength(1);
    // Paid is final: recording again is refused.
    const again = await managerBrowser.post(settlementPath(claimId), { intent: "record_manual", reference: "CHQ-004513" });
    expect(again.status).toBe(409);
  });

  it("goes out by bank transfer in the bank file (the account in full there, masked everywhere else) and is paid with the bank's reference", async () => {
    const { claimId } = await approvedClaim();
    const bad = await managerBrowser.post(settlementPath(claimId), {
      intent: "pay_bank",
      payeeName: "Wanjiru Kamau",
      bank: "Equity Bank, Moi Avenue",
      account: "12ab",
    });
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("A bank account number has only digits");

    const queued = await managerBrowser.post(settlementPath(claimId), {
      intent: "pay_bank",
      payeeName: "Wanjiru W. Kamau",
      bank: "Equity Bank, Moi Avenue",
      account: "0123 4567 8901 23",
    });
    expect(queued.status).toBe(302);
    const s = (await settlementOf(claimId))!;
    expect(s).toMatchObject({
      status: "processing",
      method: "bank_transfer",
      payee_name: "Wanjiru W. Kamau",
      payee_account_masked: "•••• 0123",
    });
    expect(s.payee_account_ciphertext).not.toContain("01234567890123");
    const page = await managerBrowser.get(settlementPath(claimId));
    expect(page.text).toContain("•••• 0123");
    expect(page.text).not.toContain("01234567890123");

    const csv = await managerBrowser.get("/admin/claims/bank-transfers.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    expect(csv.text).toContain(`${s.reference},`);
    expect(csv.text).toContain("01234567890123");
    expect(csv.text).toContain("110000.00,KES");
    expect((await settlementOf(claimId))!.exported_at).not.toBeNull();
    expect((await auditRows(tenant.id, "claim.bank_file_downloaded")).length).toBeGreaterThan(0);

    const confirmed = await managerBrowser.post(settlementPath(claimId), { intent: "confirm_paid", reference: "EQB-TRF-99812" });
    expect(confirmed.status).toBe(302);
    const { settlement } = await settledAndEmailed(claimId);
    expect(settlement).toMatchObject({ method: "bank_transfer", manual_reference: "EQB-TRF-99812" });
    const pdf = await readPdf((await fileStore().get(settlement.letter_file_key!))!.body);
    expectInPdf(pdf.text, "bank transfer to account •••• 0123");
    expect(pdf.text).not.toContain("01234567890123");
    // Paid transfers leave the bank file.
    expect((await managerBrowser.get("/admin/claims/bank-transfers.csv")).text).not.toContain(s.reference);
  });

  it("fails when the sandbox refuses the amount (.13), tells nobody it is paid, and can then be paid another way", async () => {
    const { claimId } = await approvedClaim({ approved: 5_000_013, excess: 0 });
    expect((await managerBrowser.post(settlementPath(claimId), { intent: "pay_sandbox" })).status).toBe(302);
    const failed = await eventually(async () => {
      const s = await settlementOf(claimId);
      return s?.status === "failed" ? s : undefined;
    }, 30_000);
    expect(failed).toMatchObject({ failure_code: "insufficient_funds" });
    expect((await claimRow(claimId)).status).toBe("approved");
    expect(textOf((await managerBrowser.get(settlementPath(claimId))).text)).toContain("Pay it again");

    expect((await managerBrowser.post(settlementPath(claimId), { intent: "record_manual", reference: "EFT-778812" })).status).toBe(302);
    const { settlement } = await settledAndEmailed(claimId);
    expect(settlement).toMatchObject({ method: "manual", failure_code: null });
    expect((await changes("settlement", settlement.id)).map((c) => c.event)).toEqual(["create", "pay", "fail", "record"]);
  });
});

describe("a rejected claim", () => {
  it("gets a decision letter with the reasons in words and the last day to appeal, emailed once", async () => {
    await withTenant(tenant.id, (db) =>
      db
        .insertInto("claim_settings")
        .values({ appeal_days: 14 })
        .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ appeal_days: 14 }))
        .execute(),
    );
    const claimant = await claimantWithPolicy(tenant, { name: "Kevin Odhiambo" });
    const { claimId, claimNumber } = await fileClaim(tenant, origin, { claimant, claimedMinor: 8_000_000 });
    await rejectClaim(tenant, origin, claimId, {
      reasonCodes: ["waiting_period", "pre_existing_damage"],
      note: "The damage photographed was already recorded at the vehicle's inspection in January.",
      actorUserId: assessor.id,
    });
    const email = await eventually(async () => (await emails(claimId, "claim_rejected")).find((m) => m.status === "outbox"), 30_000);
    const claim = await claimRow(claimId);
    expect(claim.decision_letter_file_key).toBe(`${tenant.id}/decision-letters/${claimId}-${claim.revision}.pdf`);
    expect(email.attachments).toEqual([
      { filename: `Decision-${claimNumber}.pdf`, fileKey: claim.decision_letter_file_key, contentType: "application/pdf" },
    ]);
    const appealBy = addDays(quoteDateIn("Africa/Nairobi", claim.decided_at!), 14);
    const appealDay = formatDate(`${appealBy}T00:00:00Z`, "en-KE", "UTC");
    expect(norm(email.body_text)).toContain("Why: The incident happened within the policy's waiting period; Pre existing damage;");
    expect(norm(email.body_text)).toContain(`you can appeal until ${appealDay}`);

    const pdf = await readPdf((await fileStore().get(claim.decision_letter_file_key!))!.body);
    for (const expected of [
      "Decision Letter",
      claimNumber,
      claimant.policyNumber,
      "Kevin Odhiambo",
      "1. The incident happened within the policy's waiting period",
      "2. Pre existing damage",
      "already recorded at the vehicle's inspection in January",
      `You may appeal this decision until ${appealDay}`,
      `${origin}/account/claims/${claimId}`,
    ]) {
      expectInPdf(pdf.text, expected);
    }
    // Once: the notice again neither renders nor sends anything new.
    expect(await sendClaimNotice(tenant, { claimId, notice: "rejected", revision: claim.revision, origin })).toBe("already_emailed");
    expect(await emails(claimId, "claim_rejected")).toHaveLength(1);
    expect(await ownerDb().selectFrom("claim_settlements").select("id").where("claim_id", "=", claimId).execute()).toHaveLength(0);

    const claimantBrowser = await signIn(hostOf(tenant), claimant.user.email);
    const download = await claimantBrowser.get(`/account/claims/${claimId}/letter?letter=decision`);
    expect(download.status).toBe(302);
    expect((await claimantBrowser.get(`/account/claims/${claimId}/letter?letter=settlement`)).status).toBe(404);
  });
});

describe("claim emails", () => {
  it("tell the claimant and the member's agent, once per event, what the assessor asks for", async () => {
    const claimant = await claimantWithPolicy(tenant, { name: "Aminah Yusof" });
    const { memberId, agent } = await memberOfAgent(tenant, claimant);
    const { claimId, claimNumber } = await fileClaim(tenant, origin, { claimant, claimedMinor: 2_500_000, memberId });
    await requestDocuments(tenant, origin, claimId, {
      message: "Please send the police abstract and a clear photo of the damage.",
      documents: [
        { code: "police_report", label: "Police abstract" },
        { code: "photos", label: "Photos of the damage" },
      ],
      actorUserId: assessor.id,
    });
    await eventually(async () => (await emails(claimId)).filter((m) => m.status === "outbox").length === 4, 30_000);
    const sent = await emails(claimId);
    expect(sent.map((m) => [m.template, m.recipient]).sort()).toEqual(
      [
        ["claim_documents_requested", agent.email],
        ["claim_documents_requested", claimant.user.email],
        ["claim_filed", agent.email],
        ["claim_filed", claimant.user.email],
      ].sort(),
    );
    const toClaimant = sent.find((m) => m.template === "claim_documents_requested" && m.recipient === claimant.user.email)!;
    expect(norm(toClaimant.body_text)).toContain("Please send the police abstract and a clear photo of the damage.");
    expect(norm(toClaimant.body_text)).toContain("Documents to send: Police abstract; Photos of the damage");
    const toAgent = sent.find((m) => m.template === "claim_documents_requested" && m.recipient === agent.email)!;
    expect(norm(toAgent.body_text)).toContain(`claim ${claimNumber} of Aminah binti Yusof`);
    expect(toAgent.body_text).toContain(`${origin}/agent/claims/${claimId}`);
  });
});

describe("who reaches a settlement or a letter", () => {
  it("only staff of the agency, the claimant and their agent; everyone else gets 404, and only settlers may pay", async () => {
    const claimant = await claimantWithPolicy(tenant, { name: "Njeri Mwangi" });
    const { memberId, agent } = await memberOfAgent(tenant, claimant);
    const { claimId } = await fileClaim(tenant, origin, { claimant, claimedMinor: 3_000_000, memberId });
    await approveClaim(tenant, origin, claimId, { approvedMinor: 3_000_000, actorUserId: assessor.id });
    await managerBrowser.post(settlementPath(claimId), { intent: "record_manual", reference: "CHQ-1" });
    await settledAndEmailed(claimId);

    const host = hostOf(tenant);
    const [claimantBrowser, agentBrowser, strangerBrowser, staffBrowser, foreignManager] = await Promise.all([
      signIn(host, claimant.user.email),
      signIn(host, agent.email),
      createUser(tenant.id, { name: "Another Customer" }).then((u) => signIn(host, u.email)),
      createUser(tenant.id, { name: "Front Desk", roles: ["staff"] }).then((u) => signIn(host, u.email)),
      createUser(other.id, { name: "Other Manager", roles: ["claims_manager"] }).then((u) => signIn(hostOf(other), u.email)),
    ]);
    const letter = `/account/claims/${claimId}/letter`;
    expect((await claimantBrowser.get(letter)).status).toBe(302);
    expect((await agentBrowser.get(letter)).status).toBe(302);
    expect((await staffBrowser.get(letter)).status).toBe(302);
    expect((await managerBrowser.get(letter)).status).toBe(302);
    expect((await strangerBrowser.get(letter)).status).toBe(404);
    expect((await foreignManager.get(letter)).status).toBe(404);
    expect((await claimantBrowser.get(`/account/claims/00000000-0000-4000-8000-000000000000/letter`)).status).toBe(404);

    // The settlement page: staff who read claims see it; only those who settle get the forms and may post.
    expect((await foreignManager.get(settlementPath(claimId))).status).toBe(404);
    expect((await foreignManager.post(settlementPath(claimId), { intent: "record_manual", reference: "X-1" })).status).toBe(404);
    expect((await claimantBrowser.get(settlementPath(claimId))).status).toBe(403);
    const staffPage = await staffBrowser.get(settlementPath(claimId));
    expect(staffPage.status).toBe(200);
    expect(textOf(staffPage.text)).not.toContain("Record the payment");
    expect((await staffBrowser.post(settlementPath(claimId), { intent: "cancel", reason: "no" })).status).toBe(403);
    expect((await staffBrowser.get("/admin/claims/bank-transfers.csv")).status).toBe(403);
    expect((await managerBrowser.get("/admin/claims/not-a-uuid/settlement")).status).toBe(404);
    // Another agency's bank file never holds this one's transfers.
    expect((await foreignManager.get("/admin/claims/bank-transfers.csv")).text).not.toContain("BWM-STL");
  });
});

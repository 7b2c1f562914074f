/**
 * Claims in the reader's language (issue 14 item 7): a customer of a Bowman-like agency (en+sw)
 * files a claim through the wizard and follows it in Swahili, the claims office works on it in
 * Swahili, and an agent of a KHHoldings-like agency (en+ms) reviews a member's claim in Malay.
 * English words the pages used to show must be gone, and the agency's own data stays as written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Language } from "~db/schema";
import type { Browser } from "../support/http";
import { hostOf, signIn, textOf } from "./accounts-support";
import { claimsAgency, type ClaimsAgency } from "./claims-office-fixtures";
import { claimRow, daysAgo, expectRedirect, submitDraft, wizardUpTo } from "./claims-support";
import { insertPolicy } from "./customer-policies-fixtures";
import { agentWithLogin, memberTenant, registeredMember } from "./members-support";
import { offer, setLanguage } from "./languages-support";

/** As the language switcher leaves it: the cookie's own encoding, not the bare code. */
async function speak(browser: Browser, language: Language): Promise<Browser> {
  await setLanguage(browser, language);
  return browser;
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";

let kenya: ClaimsAgency;
let customer: Browser;
let claimId: string;

beforeAll(async () => {
  kenya = await claimsAgency();
  await offer(kenya.tenant.id, ["en", "sw"]);
  customer = await speak(await signIn(hostOf(kenya.tenant), kenya.customer.email), "sw");
});

describe("a customer's claim in Swahili", () => {
  it("walks the wizard in Swahili: steps, claim types, documents and the form's errors", async () => {
    const choose = await customer.get("/account/claims/new");
    expect(choose.status).toBe(200);
    const chooseText = textOf(choose.text);
    for (const words of ["Unadai kwenye sera ipi?", "Kilichotokea", "Kagua na uwasilishe", "Inatumika", "Endelea"])
      expect(chooseText).toContain(words);
    expect(choose.text).toContain('aria-label="Hatua za dai"');
    expect(chooseText).not.toContain("Which policy are you claiming on?");
    expect(titleOf(choose.text)).toContain("Wasilisha dai");

    const draftId = await wizardUpTo(customer, kenya.policy.policyId, "incident");
    const incident = textOf((await customer.get(`/account/claims/new/${draftId}/incident`)).text);
    for (const words of ["Nini kilitokea?", "Uharibifu wa ajali", "Gari lako liliharibika katika mgongano au ajali.", "Tarehe ya tukio"])
      expect(incident).toContain(words);
    expect(incident).not.toContain("Accident damage");
    expect(incident).not.toContain("Date of the incident");

    const refused = await customer.post(`/account/claims/new/${draftId}/incident`, { claimType: "", incidentDate: "", incidentPlace: "" });
    expect(refused.status).toBe(400);
    expect(textOf(refused.text)).toContain("Sema ilitokea wapi.");
    expect(textOf(refused.text)).toContain("Tueleze kilichotokea.");
    expect(textOf(refused.text)).not.toContain("Say where it happened.");

    const documentsDraft = await wizardUpTo(customer, kenya.policy.policyId, "documents");
    const documents = textOf((await customer.get(`/account/claims/new/${documentsDraft}/documents`)).text);
    for (const words of ["Abstract ya polisi (ripoti ya polisi)", "Picha za uharibifu", "Hati nyingine", "(si lazima)", "Endelea kukagua"])
      expect(documents).toContain(words);
    expect(documents).not.toContain("Photos of the damage");

    const review = textOf((await customer.get(`/account/claims/new/${documentsDraft}/review`)).text);
    for (const words of ["Dai la", "Uharibifu wa ajali", "Badilisha kiasi", "Wasilisha dai", "Mtathmini wetu ataangalia haya"])
      expect(review).toContain(words);
    // Nothing uploaded yet: the flag for the assessor, and the documents it lists, are in Swahili too.
    expect(review).toContain("Nyaraka zinazokosekana: abstract ya polisi (ripoti ya polisi), picha za uharibifu");
    expect(review).not.toContain("Documents missing");
    expect(review).not.toContain("Submit the claim");
    claimId = await submitDraft(customer, documentsDraft);
  });

  it("follows the claim in Swahili: where it stands, what it waits for, the timeline and the forms", async () => {
    const number = (await claimRow(claimId)).claim_number;
    const page = await customer.get(`/account/claims/${claimId}?done=filed`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    for (const words of [
      "Dai lako limewasilishwa. Tutakujulisha kwa barua pepe.",
      `Dai ${number}`,
      "Hali ya dai lako",
      "Limewasilishwa",
      "Tumepokea dai lako na linasubiri mtathmini.",
      "Linasubiri",
      "Mtathmini wetu alikague dai.",
      "Mfuatano wa matukio",
      "Dai limewasilishwa",
      "Ongeza hati",
      "Ondoa dai",
      "Rudi kwenye madai",
    ])
      expect(text).toContain(words);
    for (const english of ["Where your claim stands", "Claim submitted", "Our assessor to review the claim.", "Withdraw the claim"])
      expect(text).not.toContain(english);
    expect(titleOf(page.text)).toContain(`Dai ${number}`);
    expect(page.text).toMatch(/<html[^>]*lang="sw"/);
  });

  it("stays in English for the same customer without a choice", async () => {
    const english = await signIn(hostOf(kenya.tenant), kenya.customer.email);
    const text = textOf((await english.get(`/account/claims/${claimId}`)).text);
    expect(text).toContain("Where your claim stands");
    expect(text).toContain("Our assessor to review the claim.");
    expect(text).not.toContain("Hali ya dai lako");
  });
});

describe("the claims office in Swahili", () => {
  it("shows the queue and the workbench in Swahili, its steps, notices and timeline too", async () => {
    const assessor = await speak(await signIn(hostOf(kenya.tenant), kenya.assessor.email), "sw");
    const queuePage = await assessor.get("/admin/claims");
    expect(queuePage.text).toContain('aria-label="Chuja madai"');
    const queue = textOf(queuePage.text);
    for (const words of ["Madai yaliyo wazi, ya zamani kwanza.", "Hatua na SLA", "Uharibifu wa ajali", "Limewasilishwa", "Dai 1"])
      expect(queue).toContain(words);
    expect(queue).not.toContain("Stage and SLA");

    const page = await assessor.get(`/admin/claims/${claimId}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    for (const words of [
      "Hatua inayofuata",
      "Anza ukaguzi",
      "Mdai",
      "Nyaraka",
      "Mfuatano wa matukio",
      "Maelezo ya ndani",
      "Ongeza maelezo",
    ])
      expect(text).toContain(words);
    for (const english of ["Next step", "Start the review", "Internal notes", "Timeline"]) expect(text).not.toContain(english);
    // The claimant's identity documents by their Swahili names.
    expect(text).toContain("Kitambulisho cha taifa");
    expect(text).not.toContain("National ID");

    const revision = String((await claimRow(claimId)).revision);
    expectRedirect(await assessor.post(`/admin/claims/${claimId}`, { intent: "start_review", revision }), /done=start_review$/);
    const started = textOf((await assessor.get(`/admin/claims/${claimId}?done=start_review`)).text);
    expect(started).toContain("Umeanza ukaguzi.");
    expect(started).toContain("Limewasilishwa → Linakaguliwa");
    expect(started).not.toContain("Under review");
  });
});

describe("an agent's member's claim in Malay", () => {
  it("shows the agent's review and the claim in Malay", async () => {
    const tenant = await memberTenant();
    await offer(tenant.id, ["en", "ms"]);
    const agent = await agentWithLogin(tenant);
    const member = await registeredMember(agent.browser);
    const policy = await insertPolicy(tenant.id, member.userId, { productSlug: "medical-card", startDate: daysAgo(120) });
    const draftId = expectRedirect(
      await agent.browser.post("/account/claims/new", { policyId: policy.policyId }),
      /\/new\/([0-9a-f-]{36})\/incident$/,
    )[1]!;
    expectRedirect(
      await agent.browser.post(`/account/claims/new/${draftId}/incident`, {
        claimType: "inpatient",
        incidentDate: daysAgo(4),
        incidentPlace: "Bangsar, Kuala Lumpur",
        description: "Dimasukkan ke wad kerana demam denggi.",
      }),
      /\/amount$/,
    );
    expectRedirect(
      await agent.browser.post(`/account/claims/new/${draftId}/amount`, { amount: "4,250.50", currency: "KES", facilityId: "none" }),
      /\/documents$/,
    );
    const memberClaim = await submitDraft(agent.browser, draftId);

    await speak(agent.browser, "ms");
    const page = await agent.browser.get(`/agent/claims/${memberClaim}?done=filed`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    for (const words of [
      "Semakan anda",
      "Telah disemak — hantar kepada penilai",
      "Minta dokumen daripada ahli",
      "Ejen anda menyemak tuntutan dan menghantarnya kepada penilai kami.",
      "Dimasukkan ke wad (pesakit dalam)",
      "Laporan perubatan daripada doktor",
      "Status tuntutan anda",
      "Garis masa",
    ])
      expect(text).toContain(words);
    for (const english of ["Your review", "Ask for the documents", "Hospital stay (inpatient)", "Where your claim stands"])
      expect(text).not.toContain(english);
    expect(page.text).toMatch(/<html[^>]*lang="ms"/);
  });
});

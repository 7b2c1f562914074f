import { beforeAll, describe, expect, it } from "vitest";
import { defaultClaimTemplate } from "~/modules/claims/workflow.server";
import { editorInput, type StageInput } from "~/modules/workflows/editor";
import type { WorkflowDefinition } from "~/modules/workflows/templates";
import { createTenant, createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { claimsSetup, claimWithWorkflow, instanceOf, saveClaimTemplate, type ClaimsSetup } from "./workflows-support";

/**
 * The workflow editor over HTTP, as a browser without JavaScript uses it: stages added, moved and
 * removed by posting the form, each stage's problems beside it, "Check" without saving, every save
 * a new version (audited), past versions read-only with the claims still running on them, the
 * advanced JSON editor, permissions and tenant isolation.
 */

type Form = { name: string; stages: StageInput[]; always: { event: string; to: string }[] };

/** The editor's fields as the browser posts them (conform's names: stages[0].transitions[1].to). */
function fields(form: Form, extra: Record<string, string> = {}): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { name: form.name, ...extra };
  form.stages.forEach((s, i) => {
    const p = `stages[${i}]`;
    for (const key of [
      "key",
      "name",
      "kind",
      "role",
      "assign",
      "slaHours",
      "timeoutHours",
      "timeoutAction",
      "timeoutNext",
      "next",
    ] as const)
      out[`${p}.${key}`] = (s[key] as string | undefined) ?? "";
    if (s.actions?.length) out[`${p}.actions`] = s.actions;
    (s.transitions ?? []).forEach((t, j) => {
      out[`${p}.transitions[${j}].event`] = t.event ?? "";
      out[`${p}.transitions[${j}].to`] = t.to ?? "";
    });
  });
  form.always.forEach((t, j) => {
    out[`always[${j}].event`] = t.event;
    out[`always[${j}].to`] = t.to;
  });
  return out;
}

const intent = (type: string, payload: Record<string, unknown>) => ({ __intent__: JSON.stringify({ type, payload }) });
const legends = (html: string) => [...html.matchAll(/<legend>(Stage \d+[^<]*)<\/legend>/g)].map((m) => m[1]!.replace(/&#x27;/g, "'"));
const claimDefault = () => editorInput("Claims", defaultClaimTemplate(false).definition) as Form;

let setup: ClaimsSetup;
let admin: { id: string; email: string };
let asAdmin: Browser;

beforeAll(async () => {
  setup = await claimsSetup();
  admin = await createUser(setup.tenant.id, { roles: ["admin"], name: "Ada Admin" });
  asAdmin = await signIn(hostOf(setup.tenant), admin.email);
});

const templates = (tenantId: string) =>
  ownerDb().selectFrom("workflow_templates").selectAll().where("tenant_id", "=", tenantId).orderBy("version").execute();

describe("the workflows list", () => {
  it("shows the built-in defaults until something is saved, and is for administrators only", async () => {
    const page = await asAdmin.get("/admin/workflows");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("All claims");
    expect(text).toContain("All underwriting");
    expect(text).toContain("The built-in default");
    // The claim types of the agency's claim families are suggested (motor's among them).
    expect(page.text).toContain('<option value="theft">Theft of the vehicle</option>');
    for (const role of ["staff", "assessor", "claims_manager", "underwriter"] as const) {
      const user = await createUser(setup.tenant.id, { roles: [role] });
      const browser = await signIn(hostOf(setup.tenant), user.email);
      expect((await browser.get("/admin/workflows")).status, role).toBe(403);
      expect((await browser.get("/admin/workflows/new?subject=claim&scope=*")).status, role).toBe(403);
      expect(
        (await browser.post("/admin/workflows/new?subject=claim&scope=*", fields(claimDefault(), { intent: "save", basedOn: "0" }))).status,
      ).toBe(403);
    }
  });
});

describe("the editor, without JavaScript", () => {
  const EDIT = "/admin/workflows/new?subject=claim&scope=*";

  it("adds, moves and removes stages and events by posting the form, and shows the diagram", async () => {
    const page = await asAdmin.get(EDIT);
    expect(page.status).toBe(200);
    expect(legends(page.text)).toEqual([
      "Stage 1 (where it starts): Assessment",
      "Stage 2: Waiting for documents",
      "Stage 3: Decision",
      "Stage 4: Settlement",
      "Stage 5: Open to appeal",
      "Stage 6: Settled",
      "Stage 7: Closed",
      "Stage 8: Withdrawn",
    ]);
    expect(page.text).toMatch(/<svg[^>]*role="img"/);
    expect(page.text).toContain('class="wf-box wf-waiting"');
    expect(textOf(page.text)).toContain("request documents");

    const form = claimDefault();
    const added = await asAdmin.post(
      EDIT,
      fields(form, { basedOn: "0", ...intent("insert", { name: "stages", defaultValue: { kind: "manual" } }) }),
    );
    expect(added.status).toBe(200);
    expect(legends(added.text)).toHaveLength(9);
    expect(legends(added.text)[8]).toBe("Stage 9: new stage");

    const moved = await asAdmin.post(EDIT, fields(form, { basedOn: "0", ...intent("reorder", { name: "stages", from: 2, to: 0 }) }));
    expect(legends(moved.text).slice(0, 2)).toEqual(["Stage 1 (where it starts): Decision", "Stage 2: Assessment"]);

    const removed = await asAdmin.post(EDIT, fields(form, { basedOn: "0", ...intent("remove", { name: "stages", index: 3 }) }));
    expect(legends(removed.text)).toHaveLength(7);
    expect(legends(removed.text)).not.toContain("Stage 4: Settlement");

    const event = await asAdmin.post(EDIT, fields(form, { basedOn: "0", ...intent("insert", { name: "stages[2].transitions" }) }));
    expect(event.status).toBe(200);
    // The decision stage had two events; now a third row to fill.
    expect(event.text).toContain('name="stages[2].transitions[2].event"');
    expect(await templates(setup.tenant.id)).toHaveLength(0);
  });

  it("puts each problem beside its stage, checks without saving, then saves version 1, 2 … (audited)", async () => {
    const own = await claimsSetup();
    const ownAdmin = await createUser(own.tenant.id, { roles: ["admin"], name: "Otto Owner" });
    const browser = await signIn(hostOf(own.tenant), ownAdmin.email);
    const form = claimDefault();
    // A second review nothing leads to yet, without a role; and a decision that sends approvals nowhere.
    const broken: Form = {
      ...form,
      stages: [
        ...form.stages.slice(0, 3).map((s) =>
          s.key === "decision"
            ? {
                ...s,
                transitions: [
                  { event: "approve", to: "nowhere" },
                  { event: "reject", to: "rejected" },
                ],
              }
            : s,
        ),
        {
          key: "second_review",
          name: "Second review",
          kind: "manual",
          slaHours: "12",
          transitions: [{ event: "approve", to: "settlement" }],
        },
        ...form.stages.slice(3),
      ],
    };
    const refused = await browser.post(EDIT, fields(broken, { intent: "save", basedOn: "0" }));
    expect(refused.status).toBe(400);
    const stageBlocks = refused.text.split('<li class="wf-stage ').slice(1);
    const block = (legend: string) => textOf(stageBlocks.find((b) => b.includes(`<legend>${legend}`))!);
    expect(block("Stage 4: Second review")).toContain("Choose who works this stage");
    expect(stageBlocks.find((b) => b.includes("<legend>Stage 4: Second review"))).toContain("wf-stage-invalid");
    expect(await templates(own.tenant.id)).toHaveLength(0);

    // With the role given, the template's own problems show on their stages.
    broken.stages[3]!.role = "claims_manager";
    const problems = await browser.post(EDIT, fields(broken, { intent: "save", basedOn: "0" }));
    expect(problems.status).toBe(400);
    const blocks = problems.text.split('<li class="wf-stage ').slice(1);
    expect(textOf(blocks.find((b) => b.includes("<legend>Stage 3: Decision"))!)).toContain(
      'Goes to "nowhere", which is not a stage of this workflow',
    );
    broken.stages[2]!.transitions = [
      { event: "approve", to: "settlement" },
      { event: "reject", to: "rejected" },
    ];
    const unreached = await browser.post(EDIT, fields(broken, { intent: "save", basedOn: "0" }));
    expect(unreached.status).toBe(400);
    const again = unreached.text.split('<li class="wf-stage ').slice(1);
    expect(textOf(again.find((b) => b.includes("<legend>Stage 4: Second review"))!)).toContain('Nothing leads to "Second review"');
    expect(await templates(own.tenant.id)).toHaveLength(0);

    // The decision now goes to the second review; "Check" says it is fine and saves nothing.
    broken.stages[2]!.transitions = [
      { event: "approve", to: "second_review" },
      { event: "reject", to: "rejected" },
    ];
    const checked = await browser.post(EDIT, fields(broken, { intent: "check", basedOn: "0" }));
    expect(checked.status).toBe(200);
    expect(textOf(checked.text)).toContain("No problems found");
    expect(checked.text).toContain("Second review");
    expect(await templates(own.tenant.id)).toHaveLength(0);

    const saved = await browser.post(EDIT, fields({ ...broken, name: "Claims with a second look" }, { intent: "save", basedOn: "0" }));
    expect(saved.status).toBe(302);
    const [v1] = await templates(own.tenant.id);
    expect(v1).toMatchObject({
      subject: "claim",
      scope: "*",
      claim_type: "*",
      version: 1,
      name: "Claims with a second look",
      created_by: ownAdmin.id,
    });
    expect(saved.location).toBe(`/admin/workflows/${v1!.id}?saved=1`);
    expect((v1!.definition as WorkflowDefinition).stages.map((s) => s.key)).toContain("second_review");
    expect(await auditRows(own.tenant.id, "workflow.template_saved", v1!.id)).toHaveLength(1);

    // A claim starts on version 1; version 2 comes from it; version 1 keeps its claim and is read-only.
    const claimId = await claimWithWorkflow(own);
    expect((await instanceOf(own.tenant.id, claimId)).template_id).toBe(v1!.id);
    const view = textOf((await browser.get(`/admin/workflows/${v1!.id}?saved=1`)).text);
    expect(view).toContain("Version 1 saved");
    expect(view).toContain("1 claim runs on this version");
    const from = `/admin/workflows/new?from=${v1!.id}`;
    const editor = await browser.get(from);
    expect(editor.text).toContain('name="basedOn" value="1"');
    expect(legends(editor.text)[3]).toBe("Stage 4: Second review");
    const v2post = await browser.post(from, fields({ ...broken, name: "Claims v2" }, { intent: "save", basedOn: "1" }));
    expect(v2post.status).toBe(302);
    const all = await templates(own.tenant.id);
    expect(all.map((t) => t.version)).toEqual([1, 2]);
    const past = textOf((await browser.get(`/admin/workflows/${v1!.id}`)).text);
    expect(past).toContain("A past version, kept as it was");
    expect(past).toContain("1 claim runs on this version");
    expect(past).toContain("See the latest (version 2)");
    expect((await browser.get(`/admin/workflows/${all[1]!.id}`)).text).toContain("0 claims run on this version");
    expect(textOf((await browser.get("/admin/workflows")).text)).toContain("Claims v2 · version 2");

    // Someone who opened the editor at version 1 is told version 2 came in between; nothing saved.
    const stale = await browser.post(from, fields(broken, { intent: "save", basedOn: "1" }));
    expect(stale.status).toBe(409);
    expect(textOf(stale.text)).toContain("Version 2 was saved while you were editing");
    expect(await templates(own.tenant.id)).toHaveLength(2);
  });

  it("makes workflows per category and claim type, and underwriting per category", async () => {
    const own = await claimsSetup();
    const ownAdmin = await createUser(own.tenant.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(own.tenant), ownAdmin.email);
    const theft = "/admin/workflows/new?subject=claim&scope=motor&claimType=theft";
    const page = await browser.get(theft);
    expect(textOf(page.text)).toContain("A workflow for motor claims · theft");
    const form = claimDefault();
    expect((await browser.post(theft, fields({ ...form, name: "Theft" }, { intent: "save", basedOn: "0" }))).status).toBe(302);
    expect(await templates(own.tenant.id)).toMatchObject([{ scope: "motor", claim_type: "theft", version: 1, name: "Theft" }]);
    // A theft claim on a motor policy starts on it.
    const claimId = await claimWithWorkflow(own, { claimType: "theft", scopes: ["motor"] });
    expect((await instanceOf(own.tenant.id, claimId)).template_id).toBe((await templates(own.tenant.id))[0]!.id);

    const bad = await browser.get("/admin/workflows/new?subject=claim&scope=motor&claimType=Not%20a%20type");
    expect(textOf(bad.text)).toContain("Use lower-case letters, digits and underscores");

    const underwriting = await browser.get("/admin/workflows/new?subject=policy&scope=life&claimType=ignored");
    expect(underwriting.status).toBe(200);
    expect(textOf(underwriting.text)).toContain("A workflow for life underwriting");
    expect(legends(underwriting.text)).toEqual([
      "Stage 1 (where it starts): Underwriting",
      "Stage 2: Accepted",
      "Stage 3: Declined",
      "Stage 4: Cancelled",
    ]);
    // Its roles are underwriting's, not claims'.
    expect(underwriting.text).toContain('<option value="underwriter">Underwriter</option>');
    expect(underwriting.text).not.toContain('<option value="assessor">');
  });

  it("takes the definition as JSON in the advanced editor, with the same validation", async () => {
    const own = await claimsSetup();
    const ownAdmin = await createUser(own.tenant.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(own.tenant), ownAdmin.email);
    const url = "/admin/workflows/new?subject=policy&scope=*";
    const notJson = await browser.post(url, { intent: "json", basedOn: "0", name: "Underwriting", definition: "{ stages: " });
    expect(notJson.status).toBe(400);
    expect(textOf(notJson.text)).toContain("This is not JSON");
    const unknown = await browser.post(url, {
      intent: "json",
      basedOn: "0",
      name: "Underwriting",
      definition: JSON.stringify({
        stages: [
          { key: "look", name: "Look", kind: "manual", role: "assessor", slaHours: 4, next: { settle: "done" } },
          { key: "done", name: "Done", kind: "terminal" },
        ],
      }),
    });
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.text)).toContain('look: "settle" is not an event this workflow knows');
    expect(textOf(unknown.text)).toContain('look: "assessor" is not a role that can work this stage');
    expect(await templates(own.tenant.id)).toHaveLength(0);
    const ok = await browser.post(url, {
      intent: "json",
      basedOn: "0",
      name: "Two-level underwriting",
      definition: JSON.stringify({
        stages: [
          {
            key: "look",
            name: "Look",
            kind: "manual",
            role: "underwriter",
            slaHours: 4,
            next: { refer: "senior", approve: "done", decline: "done" },
          },
          { key: "senior", name: "Senior", kind: "manual", role: "admin", slaHours: 8, next: { approve: "done", decline: "done" } },
          { key: "done", name: "Done", kind: "terminal" },
        ],
      }),
    });
    expect(ok.status).toBe(302);
    expect(await templates(own.tenant.id)).toMatchObject([{ subject: "policy", version: 1, name: "Two-level underwriting" }]);
  });
});

describe("isolation", () => {
  it("answers 404 for another agency's versions", async () => {
    const other = await claimsSetup();
    const foreign = await saveClaimTemplate(other, "*", "*", defaultClaimTemplate(false).definition);
    expect((await asAdmin.get(`/admin/workflows/${foreign.id}`)).status).toBe(404);
    expect((await asAdmin.get(`/admin/workflows/new?from=${foreign.id}`)).status).toBe(404);
    expect(
      (await asAdmin.post(`/admin/workflows/new?from=${foreign.id}`, fields(claimDefault(), { intent: "save", basedOn: "1" }))).status,
    ).toBe(404);
    expect((await asAdmin.get("/admin/workflows/not-a-uuid")).status).toBe(404);
    expect((await templates(other.tenant.id)).map((t) => t.version)).toEqual([1]);
    // An agency without the catalogue sees its own (empty) list.
    const empty = await createTenant();
    const emptyAdmin = await createUser(empty.id, { roles: ["admin"] });
    const browser = await signIn(hostOf(empty), emptyAdmin.email);
    expect(textOf((await browser.get("/admin/workflows")).text)).not.toContain("Motor");
  });
});

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { wallClockIn } from "~/lib/dates";
import { createUser, ownerDb } from "../support/db";
import type { Browser } from "../support/http";
import { auditRows, hostOf, signIn, textOf } from "./accounts-support";
import { insertProduct } from "./admin-payments-fixtures";
import { insertRules, KL, networkTenant, seenOf, tierFields, tiers } from "./commissions-support";

/**
 * The rules editor's history and its guarantees over HTTP (issue 16, decision 016): each version
 * with who saved it when and what it changed; scheduled versions withdrawn, with who did it; bad
 * input answered on its field with nothing saved; two admins saving at once — one wins, the other
 * is told; and a version that has started never edited or withdrawn, whatever is posted.
 */

const text = (html: string) => textOf(html).replace(/\u00a0/g, " ");
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Whether the control named `name` is marked invalid (conform puts aria-invalid on the field in error). */
const invalid = (html: string, name: string) =>
  new RegExp(`<[^>]*name="${escape(name)}"[^>]*aria-invalid="true"|<[^>]*aria-invalid="true"[^>]*name="${escape(name)}"`).test(html);
/** A wall-clock time in Kuala Lumpur, `days` from now, on the minute. */
const klLocal = (days: number, minutes = 0) => wallClockIn(KL, new Date(Date.now() + days * DAY + minutes * MINUTE));

/** Every version of the product with its tiers' rates, as stored: what a refused save must leave as it was. */
const stored = (tenantId: string, productId: string) =>
  ownerDb()
    .selectFrom("commission_rule_versions as v")
    .leftJoin("commission_rules as r", (join) => join.onRef("r.tenant_id", "=", "v.tenant_id").onRef("r.version_id", "=", "v.id"))
    .select(["v.id", "v.effective_at", "v.created_by", "r.tier", "r.rate_bp", "r.amount_minor", "r.cap_minor"])
    .where("v.tenant_id", "=", tenantId)
    .where("v.product_id", "=", productId)
    .orderBy("v.effective_at")
    .orderBy("r.tier")
    .execute();

async function agency() {
  const tenant = await networkTenant();
  const [amina, baraka] = await Promise.all([
    createUser(tenant.id, { roles: ["admin"], name: "Amina Hassan" }),
    createUser(tenant.id, { roles: ["admin"], name: "Baraka Otieno" }),
  ]);
  const productId = (await insertProduct(tenant.id, { name: "Hibah Gold" })).id;
  await insertRules(tenant.id, productId, "monthly", tiers(1111, 222, 222, 111, 83), "2020-01-01");
  const [asAmina, asBaraka] = await Promise.all([signIn(hostOf(tenant), amina.email), signIn(hostOf(tenant), baraka.email)]);
  return { tenant, productId, asAmina, asBaraka };
}

const post = (browser: Browser, productId: string, fields: Record<string, string | string[]>) =>
  browser.post(`/admin/commission-rules/${productId}`, { intent: "save", frequency: "monthly", ...fields });

describe("the rules history", () => {
  it("shows who saved each version when and what it changed, and who withdrew a scheduled one", async () => {
    const { tenant, productId, asAmina, asBaraka } = await agency();
    const tomorrow = klLocal(1);
    const saved = await post(asAmina, productId, {
      seen: await seenOf(asAmina, productId),
      start: "later",
      startsAt: tomorrow,
      ...tierFields([
        { kind: "percent", rate: "12" },
        { kind: "fixed", amount: "3", cap: "100", active: false, minSales: "2" },
      ]),
    });
    expect(saved.status, text(saved.text).slice(0, 400)).toBe(302);

    const page = text((await asAmina.get(`/admin/commission-rules/${productId}?frequency=monthly`)).text);
    expect(page).toMatch(/T1 12% · T2 RM 3\.00 .*Scheduled Saved by Amina Hassan on \d+ \w+ \d{4}, \d+:\d\d/);
    expect(page).toContain("T1 pays: 11.11% → 12%");
    expect(page).toContain("T2 pays: 2.22% → RM 3.00");
    expect(page).toContain("T2 monthly cap: no cap → RM 100.00");
    expect(page).toContain("T2 who qualifies: active agents only → whatever the agent's status, 2 own sales in the month");
    expect(page).toContain("T3 removed (was 2.22%, active agents only)");
    expect(page).toContain("T5 removed (was 0.83%, active agents only)");
    // The first version: written by a seed, no one to name, nothing before it.
    expect(page).toMatch(/T1 11\.11% · T2 2\.22% .*In force Saved on .*The first version of these rules\./);

    // Baraka schedules one more and cancels it; Amina then saves from now, which replaces hers.
    const later = klLocal(2);
    expect(
      (
        await post(asBaraka, productId, {
          seen: await seenOf(asBaraka, productId),
          start: "later",
          startsAt: later,
          ...tierFields([{ kind: "percent", rate: "13" }]),
        })
      ).status,
    ).toBe(302);
    const [barakas] = await ownerDb()
      .selectFrom("commission_rule_versions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("effective_at", "=", new Date(`${later}:00+08:00`))
      .execute();
    expect((await asBaraka.post(`/admin/commission-rules/${productId}`, { intent: "cancel", versionId: barakas!.id })).status).toBe(302);
    const now = await post(asAmina, productId, {
      seen: await seenOf(asAmina, productId),
      start: "now",
      ...tierFields([
        { kind: "percent", rate: "11.11" },
        { kind: "percent", rate: "2.5" },
      ]),
    });
    expect(now.status).toBe(302);

    const history = text((await asAmina.get(`/admin/commission-rules/${productId}?frequency=monthly`)).text);
    expect(history).toMatch(
      /Withdrawn before they started Scheduled from .*: replaced when Amina Hassan saved new rules on .*Scheduled from .*: cancelled by Baraka Otieno on /,
    );
    expect(history).toContain("T2 pays: 2.22% → 2.5%");
    expect(history).toContain("T3 removed (was 2.22%, active agents only)");
    // The audit log names the withdrawn version, which is gone from its table.
    const [replacing] = (await auditRows(tenant.id, "commission.rules_saved", productId)).slice(-1);
    expect(replacing!.details).toMatchObject({
      withdrawn: 1,
      withdrawnVersions: [{ effectiveAt: new Date(`${tomorrow}:00+08:00`).toISOString() }],
    });
  });
});

describe("bad input to the rules editor", () => {
  let env: Awaited<ReturnType<typeof agency>>;
  beforeAll(async () => {
    env = await agency();
  });

  const fixed = (over: Record<string, string>) => ({
    "tiers[0].kind": "fixed",
    "tiers[0].amount": "3",
    "tiers[0].minPersonalSales": "0",
    ...over,
  });
  const percent = (over: Record<string, string>) => ({
    "tiers[0].kind": "percent",
    "tiers[0].rate": "10",
    "tiers[0].minPersonalSales": "0",
    ...over,
  });
  it.each([
    ["a negative amount", fixed({ "tiers[0].amount": "-5" }), "tiers[0].amount", "The amount cannot be negative."],
    ["a rate over 100%", percent({ "tiers[0].rate": "100.01" }), "tiers[0].rate", "A rate is at most 100%."],
    ["a cap below zero", percent({ "tiers[0].cap": "-1" }), "tiers[0].cap", "The cap cannot be negative."],
    [
      "a fractional count of own sales",
      percent({ "tiers[0].minPersonalSales": "1.5" }),
      "tiers[0].minPersonalSales",
      "Enter a whole number of sales (0 or more).",
    ],
    ["a NUL in a rate", percent({ "tiers[0].rate": "1\u00000" }), "tiers[0].rate", "Use one line of plain text"],
    ["a CR-LF in an amount", fixed({ "tiers[0].amount": "3\r\n4" }), "tiers[0].amount", "Use one line of plain text"],
    ["a megabyte in a cap", percent({ "tiers[0].cap": "9".repeat(1_000_000) }), "tiers[0].cap", "Use at most"],
    ["an unknown kind of tier", percent({ "tiers[0].kind": "bonus" }), "tiers[0].kind", "Choose a fixed amount or a percentage."],
    [
      "a word for own sales",
      percent({ "tiers[0].minPersonalSales": "many" }),
      "tiers[0].minPersonalSales",
      "Enter a whole number of sales (0 or more).",
    ],
    [
      "a yes-or-no that is neither",
      percent({ "tiers[0].requiresActive": "maybe" }),
      "tiers[0].requiresActive",
      "Tick the box, or leave it empty.",
    ],
    [
      "a tier numbered 1.5",
      percent({ "tiers[1.5].kind": "percent", "tiers[1.5].rate": "3" }),
      "tiers",
      "The tiers sent are not rows of this form",
    ],
    [
      "a tier numbered -1",
      percent({ "tiers[-1].kind": "fixed", "tiers[-1].amount": "3" }),
      "tiers",
      "The tiers sent are not rows of this form",
    ],
    ["tiers sent as a word", percent({ tiers: "abc" }), "tiers", "The tiers sent are not rows of this form"],
  ])("%s: a message on its field, nothing saved", async (_name, fields, field, message) => {
    const before = await stored(env.tenant.id, env.productId);
    const res = await post(env.asAmina, env.productId, { seen: await seenOf(env.asAmina, env.productId), start: "now", ...fields });
    expect(res.status).toBe(400);
    // The list's own message (no control is named "tiers"), else the control's.
    if (field === "tiers") expect(res.text).toMatch(/<p class="field-error" id="[^"]*-tiers-error" role="alert">/);
    else expect(invalid(res.text, field), `${field} marked invalid`).toBe(true);
    expect(text(res.text)).toContain(message);
    expect(await stored(env.tenant.id, env.productId)).toEqual(before);
  });

  it("a start in the past, or at the instant another version starts: a message on the start, nothing saved", async () => {
    const { tenant, productId, asAmina } = env;
    const scheduled = klLocal(3);
    const first = await post(asAmina, productId, {
      seen: await seenOf(asAmina, productId),
      start: "later",
      startsAt: scheduled,
      ...tierFields([{ kind: "percent", rate: "12" }]),
    });
    expect(first.status).toBe(302);
    const before = await stored(tenant.id, productId);
    for (const startsAt of [klLocal(-1), scheduled, "2020-01-01T00:00"]) {
      const res = await post(asAmina, productId, {
        seen: await seenOf(asAmina, productId),
        start: "later",
        startsAt,
        ...tierFields([{ kind: "percent", rate: "14" }]),
      });
      expect(res.status, startsAt).toBe(400);
      expect(invalid(res.text, "startsAt"), startsAt).toBe(true);
      expect(text(res.text)).toMatch(startsAt === scheduled ? /Another version already starts at that time/ : /Choose a time after now/);
    }
    expect(await stored(tenant.id, productId)).toEqual(before);
  });

  it("a form without what it was built from, or a forged one: told above the form, nothing saved", async () => {
    const { tenant, productId, asAmina } = env;
    const before = await stored(tenant.id, productId);
    for (const seen of [undefined, "not-a-version", ["none", "none"]]) {
      const res = await post(asAmina, productId, {
        ...(seen === undefined ? {} : { seen }),
        start: "now",
        ...tierFields([{ kind: "percent", rate: "14" }]),
      });
      expect(res.status).toBe(400);
      expect(text(res.text)).toContain("This form is out of date: reload the page and save again.");
    }
    expect(await stored(tenant.id, productId)).toEqual(before);
  });
});

describe("two admins saving the same product's rules", () => {
  it("at once: one version is written, the other admin is told who won when, and nothing of theirs is saved", async () => {
    const { tenant, productId, asAmina, asBaraka } = await agency();
    const seen = await seenOf(asAmina, productId);
    expect(await seenOf(asBaraka, productId)).toBe(seen);
    const before = await stored(tenant.id, productId);

    const [a, b] = await Promise.all([
      post(asAmina, productId, {
        seen,
        start: "now",
        ...tierFields([
          { kind: "percent", rate: "12" },
          { kind: "percent", rate: "3" },
        ]),
      }),
      post(asBaraka, productId, { seen, start: "now", ...tierFields([{ kind: "fixed", amount: "20" }]) }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const loser = a.status === 409 ? a : b;
    expect(text(loser.text)).toMatch(
      /Someone else changed these rules at \d+ \w+ \d{4}, \d+:\d\d( [ap]m)?; review their version and save again\./,
    );
    // The loser's page shows the winner's version, and its form now builds on it.
    expect(text(loser.text)).toMatch(a.status === 302 ? /In force now · Monthly T1 12% T2 3%/ : /In force now · Monthly T1 RM 20\.00/);

    // Exactly one new version, wholly the winner's: no mixture of the two forms.
    const after = await stored(tenant.id, productId);
    const added = after.filter((row) => !before.some((old) => old.id === row.id));
    expect(new Set(added.map((row) => row.id)).size).toBe(1);
    expect(added.map((row) => [row.tier, row.rate_bp, row.amount_minor])).toEqual(
      a.status === 302
        ? [
            [1, 1200, null],
            [2, 300, null],
          ]
        : [[1, null, 2000]],
    );
    expect(await auditRows(tenant.id, "commission.rules_saved", productId)).toHaveLength(1);
  });

  it("from a form read before someone else's save or cancel: refused with the message, then saved once reviewed", async () => {
    const { tenant, productId, asAmina, asBaraka } = await agency();
    const stale = await seenOf(asAmina, productId);
    const scheduled = klLocal(1);
    expect(
      (
        await post(asBaraka, productId, {
          seen: await seenOf(asBaraka, productId),
          start: "later",
          startsAt: scheduled,
          ...tierFields([{ kind: "percent", rate: "13" }]),
        })
      ).status,
    ).toBe(302);
    const before = await stored(tenant.id, productId);
    const refused = await post(asAmina, productId, { seen: stale, start: "now", ...tierFields([{ kind: "percent", rate: "12" }]) });
    expect(refused.status).toBe(409);
    expect(text(refused.text)).toContain("Someone else changed these rules at");
    expect(await stored(tenant.id, productId)).toEqual(before);

    // Baraka cancels his version: a form built on it is out of date too, and says so without a time.
    const onBarakas = await seenOf(asAmina, productId);
    const [barakas] = await ownerDb()
      .selectFrom("commission_rule_versions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("effective_at", "=", new Date(`${scheduled}:00+08:00`))
      .execute();
    expect(onBarakas).toBe(barakas!.id);
    expect((await asBaraka.post(`/admin/commission-rules/${productId}`, { intent: "cancel", versionId: barakas!.id })).status).toBe(302);
    const afterCancel = await post(asAmina, productId, { seen: onBarakas, start: "now", ...tierFields([{ kind: "percent", rate: "12" }]) });
    expect(afterCancel.status).toBe(409);
    expect(text(afterCancel.text)).toContain("Someone else changed these rules meanwhile; review the versions below and save again.");

    // Reviewed (the page read again), the same change saves.
    const reviewed = await post(asAmina, productId, {
      seen: await seenOf(asAmina, productId),
      start: "now",
      ...tierFields([{ kind: "percent", rate: "12" }]),
    });
    expect(reviewed.status).toBe(302);
  });
});

describe("a version that has started", () => {
  it("is neither replaced nor withdrawn by a forged post, nor changed in SQL", async () => {
    const { tenant, productId, asAmina } = await agency();
    const [started] = await ownerDb()
      .selectFrom("commission_rule_versions")
      .select("id")
      .where("tenant_id", "=", tenant.id)
      .where("product_id", "=", productId)
      .execute();
    const before = await stored(tenant.id, productId);
    // "Change" it, as if it were still scheduled: from a later time, or from now.
    for (const start of [{ start: "later", startsAt: klLocal(1) }, { start: "now" }] as Record<string, string>[]) {
      const res = await post(asAmina, productId, {
        seen: await seenOf(asAmina, productId),
        replaces: started!.id,
        ...start,
        ...tierFields([{ kind: "percent", rate: "50" }]),
      });
      expect(res.status).toBe(400);
      expect(text(res.text)).toContain("The version you were changing has started: it is history now.");
    }
    const cancel = await asAmina.post(`/admin/commission-rules/${productId}`, { intent: "cancel", versionId: started!.id });
    expect(cancel.status).toBe(409);
    expect(text(cancel.text)).toContain("That version has started: it is history now");
    expect(await stored(tenant.id, productId)).toEqual(before);

    // The database refuses it too, whoever asks: a new start, a new author, a deletion.
    const refused = (statement: ReturnType<typeof sql>) =>
      withTenant(tenant.id, (db) => statement.execute(db)).then(
        () => "changed",
        (e: Error) => e.message,
      );
    expect(
      await refused(sql`update commission_rule_versions set effective_at = now() + interval '1 day' where id = ${started!.id}`),
    ).toMatch(/append-only/);
    expect(await refused(sql`update commission_rule_versions set created_by = null where id = ${started!.id}`)).toMatch(/append-only/);
    expect(await refused(sql`delete from commission_rule_versions where id = ${started!.id}`)).toMatch(/has started/);
    expect(await stored(tenant.id, productId)).toEqual(before);
  });
});

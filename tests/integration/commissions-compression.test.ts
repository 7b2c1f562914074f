import { describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { createUser } from "../support/db";
import { hostOf, signIn, textOf } from "./accounts-support";
import { parseCsv } from "./admin-payments-fixtures";
import { addAgent } from "./network-support";
import type { UnqualifiedShare } from "~db/schema";
import { distributeShares, type ChainAgent, type QualifyingRule } from "~/modules/commissions/distribute";
import {
  insertChain,
  insertRules,
  insertSale,
  networkTenant,
  product,
  record,
  setStatus,
  setUnqualifiedShare,
  tiers,
} from "./commissions-support";

/**
 * Issue 16: the three ways to treat an unqualified upline, on a ten-deep chain (A10 sells, A1 is
 * the tenth agent; A0 above them is out of reach). Every tier asks for an active agent with one
 * personal sale in the month; tier k pays (11 − k)% of RM100. Each line is an entry the ledger
 * writes for the sale — tier, agent, amount, and for a share that moved, the agent it went past
 * and why — and the TypeScript preview (`distributeShares`) must give the same lines.
 */
const RATES = tiers(...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((p) => ({ rateBp: p * 100, minPersonalSales: 1 })));
const NAMES = ["A10", "A9", "A8", "A7", "A6", "A5", "A4", "A3", "A2", "A1", "A0"];
const SEPT = (day: number) => new Date(Date.UTC(2026, 8, day, 4));

interface Scenario {
  name: string;
  suspended: string[];
  /** Agents with no personal sale in the month. */
  noSales: string[];
  expected: Record<UnqualifiedShare, string[]>;
}

const OWN = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const tier = from + i;
    return `T${tier} A${11 - tier} ${11 - tier}.00`;
  });

const SCENARIOS: Scenario[] = [
  {
    name: "A8 suspended (the issue's example)",
    suspended: ["A8"],
    noSales: [],
    expected: {
      skip: [...OWN(1, 2), ...OWN(4, 10)],
      pass_up: [...OWN(1, 2), "T3 A7 8.00 past A8 inactive", ...OWN(4, 10)],
      compress: [
        ...OWN(1, 2),
        "T3 A7 8.00 past A8 inactive",
        "T4 A6 7.00 past A8 inactive",
        "T5 A5 6.00 past A8 inactive",
        "T6 A4 5.00 past A8 inactive",
        "T7 A3 4.00 past A8 inactive",
        "T8 A2 3.00 past A8 inactive",
        "T9 A1 2.00 past A8 inactive",
      ],
    },
  },
  {
    name: "A8 without a personal sale",
    suspended: [],
    noSales: ["A8"],
    expected: {
      skip: [...OWN(1, 2), ...OWN(4, 10)],
      pass_up: [...OWN(1, 2), "T3 A7 8.00 past A8 below_min_sales", ...OWN(4, 10)],
      compress: [
        ...OWN(1, 2),
        "T3 A7 8.00 past A8 below_min_sales",
        "T4 A6 7.00 past A8 below_min_sales",
        "T5 A5 6.00 past A8 below_min_sales",
        "T6 A4 5.00 past A8 below_min_sales",
        "T7 A3 4.00 past A8 below_min_sales",
        "T8 A2 3.00 past A8 below_min_sales",
        "T9 A1 2.00 past A8 below_min_sales",
      ],
    },
  },
  {
    name: "A8 suspended and A6 without a personal sale",
    suspended: ["A8"],
    noSales: ["A6"],
    expected: {
      skip: [...OWN(1, 2), "T4 A7 7.00", ...OWN(6, 10)],
      pass_up: [...OWN(1, 2), "T3 A7 8.00 past A8 inactive", "T4 A7 7.00", "T5 A5 6.00 past A6 below_min_sales", ...OWN(6, 10)],
      compress: [
        ...OWN(1, 2),
        "T3 A7 8.00 past A8 inactive",
        "T4 A5 7.00 past A6 below_min_sales",
        "T5 A4 6.00 past A6 below_min_sales",
        "T6 A3 5.00 past A6 below_min_sales",
        "T7 A2 4.00 past A6 below_min_sales",
        "T8 A1 3.00 past A6 below_min_sales",
      ],
    },
  },
  {
    name: "A9 and A8 suspended, side by side",
    suspended: ["A9", "A8"],
    noSales: [],
    expected: {
      skip: [...OWN(1, 1), ...OWN(4, 10)],
      pass_up: [...OWN(1, 1), "T2 A7 9.00 past A9 inactive", "T3 A7 8.00 past A8 inactive", ...OWN(4, 10)],
      compress: [
        ...OWN(1, 1),
        "T2 A7 9.00 past A8 inactive",
        "T3 A6 8.00 past A8 inactive",
        "T4 A5 7.00 past A8 inactive",
        "T5 A4 6.00 past A8 inactive",
        "T6 A3 5.00 past A8 inactive",
        "T7 A2 4.00 past A8 inactive",
        "T8 A1 3.00 past A8 inactive",
      ],
    },
  },
  {
    // Nobody is below the seller to close up: compression skips their own share.
    name: "the seller A10 suspended",
    suspended: ["A10"],
    noSales: [],
    expected: {
      skip: OWN(2, 10),
      pass_up: ["T1 A9 10.00 past A10 inactive", ...OWN(2, 10)],
      compress: OWN(2, 10),
    },
  },
];

const MODES: UnqualifiedShare[] = ["skip", "pass_up", "compress"];

function line(tier: number, agent: string, amountMinor: number, passedFrom: string | null, reason: string | null) {
  return `T${tier} ${agent} ${(amountMinor / 100).toFixed(2)}${passedFrom ? ` past ${passedFrom} ${reason}` : ""}`;
}

describe("an unqualified upline's share: skip, pass up, compress", () => {
  for (const scenario of SCENARIOS) {
    it(`on a ten-deep chain with ${scenario.name}: the ledger writes the table`, async () => {
      const tenant = await networkTenant();
      const productId = await product(tenant.id);
      await insertRules(tenant.id, productId, "monthly", RATES);
      const chain = await insertChain(tenant.id, NAMES.length);
      const name = new Map(chain.map((id, i) => [id, NAMES[i]!]));
      const id = (n: string) => chain[NAMES.indexOf(n)]!;
      for (const n of NAMES.slice(1)) {
        if (!scenario.noSales.includes(n)) {
          await insertSale(tenant.id, { agentId: id(n), productId, frequency: "monthly", amountMinor: 10_00, at: SEPT(1) });
        }
      }
      for (const n of scenario.suspended) await setStatus(tenant.id, id(n), "suspended");

      const written: Record<string, string[]> = {};
      for (const [i, mode] of MODES.entries()) {
        await setUnqualifiedShare(tenant.id, mode);
        const sale = await insertSale(tenant.id, {
          agentId: id("A10"),
          productId,
          frequency: "monthly",
          amountMinor: 100_00,
          at: SEPT(10 + i),
        });
        await record(tenant.id, [sale.transactionId]);
        const rows = await withTenant(tenant.id, (db) =>
          db
            .selectFrom("commission_entries")
            .select(["tier", "agent_id", "amount_minor", "passed_from_agent_id", "moved_reason"])
            .where("transaction_id", "=", sale.transactionId)
            .orderBy("tier")
            .execute(),
        );
        written[mode] = rows.map((r) =>
          line(
            r.tier!,
            name.get(r.agent_id)!,
            Number(r.amount_minor),
            r.passed_from_agent_id ? name.get(r.passed_from_agent_id)! : null,
            r.moved_reason,
          ),
        );
      }
      expect(written).toEqual(scenario.expected);
    });

    it(`on a ten-deep chain with ${scenario.name}: the settings page's preview gives the same table`, () => {
      const chain: ChainAgent[] = NAMES.map((n) => ({
        id: n,
        active: !scenario.suspended.includes(n),
        personalSales: scenario.noSales.includes(n) ? 0 : 1,
      }));
      const rules: QualifyingRule[] = RATES;
      const previewed = Object.fromEntries(
        MODES.map((mode) => [
          mode,
          distributeShares(chain, rules, mode, { tiers: 10, baseMinor: 100_00 }).map((s) =>
            line(s.tier, s.agentId, s.amountMinor, s.passedFrom, s.reason),
          ),
        ]),
      );
      expect(previewed).toEqual(scenario.expected);
    });
  }

  it("pays only the tenant's tiers when compressing", async () => {
    const tenant = await networkTenant({ tiers: 3 });
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 900, 800, 700));
    const chain = await insertChain(tenant.id, 5);
    await setStatus(tenant.id, chain[1]!, "suspended");
    await setUnqualifiedShare(tenant.id, "compress");
    const sale = await insertSale(tenant.id, { agentId: chain[0]!, productId, frequency: "monthly", amountMinor: 100_00, at: SEPT(10) });
    await record(tenant.id, [sale.transactionId]);
    const rows = await withTenant(tenant.id, (db) =>
      db
        .selectFrom("commission_entries")
        .select(["tier", "agent_id"])
        .where("transaction_id", "=", sale.transactionId)
        .orderBy("tier")
        .execute(),
    );
    expect(rows.map((r) => [r.tier, r.agent_id])).toEqual([
      [1, chain[0]],
      [2, chain[2]],
      [3, chain[3]],
    ]);
  });

  it("tells the agent and the back office why a share moved, on the page and in the CSV", async () => {
    const tenant = await networkTenant({ unqualifiedShare: "compress" });
    const productId = await product(tenant.id);
    await insertRules(tenant.id, productId, "monthly", tiers(1000, 900, 800));
    const top = await addAgent(tenant.id, { name: "Aisha Top" });
    const suspended = await addAgent(tenant.id, { sponsorId: top.id, name: "Badrul Away", status: "suspended" });
    const seller = await addAgent(tenant.id, { sponsorId: suspended.id, name: "Chong Seller" });
    const sale = await insertSale(tenant.id, { agentId: seller.id, productId, frequency: "monthly", amountMinor: 100_00 });
    await record(tenant.id, [sale.transactionId]);
    const csvRows = (body: string) => {
      const [header, ...rows] = parseCsv(body.replace(/^\uFEFF/, ""));
      // Entries of one payment share their created_at: read them in tier order.
      return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]]))).sort((a, b) => Number(a["Tier"]) - Number(b["Tier"]));
    };

    const admin = await signIn(hostOf(tenant), (await createUser(tenant.id, { roles: ["admin"] })).email);
    expect(textOf((await admin.get("/admin/commissions")).text)).toContain(`passed up from ${suspended.agentNumber}: not active`);
    const ledger = csvRows((await admin.get("/admin/commissions.csv")).text);
    expect(ledger.map((r) => [r["Tier"], r["Agent number"], r["Passed up from agent number"], r["Moved because"]])).toEqual([
      ["1", seller.agentNumber, "", ""],
      ["2", top.agentNumber, suspended.agentNumber, "Not active"],
    ]);

    const agent = await signIn(hostOf(tenant), top.email);
    expect(textOf((await agent.get("/agent/commissions")).text)).toContain(
      `Passed up from Badrul Away (${suspended.agentNumber}): not active`,
    );
    const mine = csvRows((await agent.get("/agent/commissions.csv")).text);
    expect(mine.map((r) => [r["Tier"], r["Passed up from"], r["Moved because"]])).toEqual([
      ["2", `Badrul Away (${suspended.agentNumber})`, "Not active"],
    ]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "~db/schema";
import { BACK_OFFICE_NAV } from "~/components/admin/nav";
import { createTenant, createUser } from "../support/db";
import type { Browser } from "../support/http";
import { backOfficeMenuOf, hostOf, PAGES_TO_COME, signIn } from "./accounts-support";
import { agentNetworkTenant } from "./network-support";

/**
 * The back office's grouped menu, as served: the groups and links each role gets, checked against
 * what the server then lets that person open, in an agency with the agent network and one without.
 */
let network: { id: string; slug: string };
let plain: { id: string; slug: string };
const as: Record<string, Browser> = {};
const ROLES = ["admin", "staff", "underwriter", "assessor", "claims_manager"] as const satisfies readonly Role[];

beforeAll(async () => {
  [network, plain] = await Promise.all([agentNetworkTenant(), createTenant()]);
  await Promise.all(
    [network, plain].flatMap((tenant) =>
      ROLES.map(async (role) => {
        const user = await createUser(tenant.id, { roles: [role] });
        as[`${tenant.slug}:${role}`] = await signIn(hostOf(tenant), user.email);
      }),
    ),
  );
});

const browser = (tenant: { slug: string }, role: (typeof ROLES)[number]) => as[`${tenant.slug}:${role}`]!;
const menuOf = async (tenant: { slug: string }, role: (typeof ROLES)[number]) =>
  backOfficeMenuOf((await browser(tenant, role).get("/admin")).text).map(({ group, links }) => [group, links.map((link) => link.label)]);

describe("the back office menu", () => {
  it("shows an admin every group, and the agent network's pages only where the agency runs one", async () => {
    expect(await menuOf(network, "admin")).toEqual([
      ["Sales", ["Overview", "Catalogue", "Transactions"]],
      ["Policies", ["Policies", "Underwriting", "Policy rules"]],
      ["Claims", ["My tasks", "Claims queue", "Claims figures", "Hospitals & clinics", "Workflows", "Claim settings"]],
      ["Money", ["Chargebacks", "Offline payments", "Commissions", "Payouts", "Payment providers"]],
      ["Network", ["Agents", "Members", "Commission rules"]],
      ["Messages", ["Message log", "Templates", "Broadcasts", "Messaging providers", "Quiet hours & limits", "Alerts"]],
      ["Settings", ["Users", "Security", "API keys", "Audit log"]],
    ]);
    const withNetwork = backOfficeMenuOf((await browser(network, "admin").get("/admin")).text);
    const money = withNetwork.find(({ group }) => group === "Money")!.links;
    expect(money.map((link) => link.href)).toEqual([
      "/admin/chargebacks",
      "/admin/offline-payments",
      "/admin/commissions",
      "/admin/commissions/months",
      "/admin/payments",
    ]);

    expect(await menuOf(plain, "admin")).toEqual([
      ["Sales", ["Overview", "Catalogue", "Transactions"]],
      ["Policies", ["Policies", "Underwriting", "Policy rules"]],
      ["Claims", ["My tasks", "Claims queue", "Claims figures", "Hospitals & clinics", "Workflows", "Claim settings"]],
      ["Money", ["Chargebacks", "Payment providers"]],
      ["Messages", ["Message log", "Templates", "Broadcasts", "Messaging providers", "Quiet hours & limits", "Alerts"]],
      ["Settings", ["Users", "Security", "API keys", "Audit log"]],
    ]);
  });

  it("shows staff, underwriters, assessors and claims managers only their own pages", async () => {
    expect(await menuOf(network, "staff")).toEqual([
      ["Sales", ["Overview", "Catalogue", "Transactions"]],
      ["Policies", ["Policies"]],
      ["Claims", ["Claims queue", "Hospitals & clinics"]],
      ["Money", ["Chargebacks", "Offline payments", "Commissions", "Payouts"]],
      ["Network", ["Agents", "Members", "Commission rules"]],
      ["Settings", ["Users"]],
    ]);
    expect(await menuOf(network, "underwriter")).toEqual([
      ["Sales", ["Overview"]],
      ["Policies", ["Policies", "Underwriting"]],
      ["Claims", ["My tasks"]],
    ]);
    expect(await menuOf(network, "assessor")).toEqual([
      ["Sales", ["Overview"]],
      ["Claims", ["My tasks", "Claims queue", "Hospitals & clinics"]],
    ]);
    expect(await menuOf(network, "claims_manager")).toEqual([
      ["Sales", ["Overview"]],
      ["Policies", ["Policies"]],
      ["Claims", ["My tasks", "Claims queue", "Claims figures", "Hospitals & clinics"]],
    ]);
  });

  it("links exactly the pages the server lets each person open", async () => {
    for (const tenant of [network, plain]) {
      for (const role of ROLES) {
        const shown = backOfficeMenuOf((await browser(tenant, role).get("/admin")).text).flatMap(({ links }) => links.map((l) => l.href));
        // The pages of one person at once: the menu grows with each capability, the test's time must not.
        const links = BACK_OFFICE_NAV.flatMap((group) => group.links);
        const answers = await Promise.all(links.map((link) => browser(tenant, role).get(link.to)));
        links.forEach((link, i) => {
          const res = answers[i]!;
          if (res.status === 404 && PAGES_TO_COME.includes(link.to)) return;
          expect(
            shown.includes(link.to),
            `${role} in ${tenant === network ? "a network" : "a plain"} agency: ${link.to} answers ${res.status}`,
          ).toBe(res.status === 200);
        });
      }
    }
  });

  it("marks the one link of the page being read, also on the pages below it", async () => {
    const admin = browser(network, "admin");
    const current = async (path: string) =>
      backOfficeMenuOf((await admin.get(path)).text)
        .flatMap(({ links }) => links)
        .filter((link) => link.current)
        .map((link) => link.label);
    expect(await current("/admin")).toEqual(["Overview"]);
    expect(await current("/admin/transactions")).toEqual(["Transactions"]);
    expect(await current("/admin/catalogue/products")).toEqual(["Catalogue"]);
    expect(await current("/admin/commissions/disputes")).toEqual(["Commissions"]);
    expect(await current("/admin/commissions/months")).toEqual(["Payouts"]);
  });

  it("folds into a disclosure that opens without JavaScript, naming the page being read", async () => {
    const html = (await browser(network, "admin").get("/admin/policies")).text;
    expect(html).toMatch(
      /<details class="backoffice-menu"><summary>Menu<span class="backoffice-menu-current"> · <!-- -->Policies<\/span><\/summary><nav class="backoffice-nav" aria-label="Back office">/,
    );
  });
});

import { describe, expect, it } from "vitest";
import { BACK_OFFICE_NAV, backOfficeNav, currentLink } from "./nav";

const network = { marketplace: true, agentNetwork: true };

describe("which link marks the current page", () => {
  const groups = backOfficeNav(["admin"], network);
  const current = (path: string) => currentLink(groups, path)?.key;

  it("marks the deepest link a page sits under, and only one", () => {
    expect(current("/admin")).toBe("overview");
    expect(current("/admin/")).toBe("overview");
    expect(current("/admin/transactions/6b0c8a3e-0000-4000-8000-000000000000")).toBe("transactions");
    expect(current("/admin/commissions")).toBe("commissions");
    expect(current("/admin/commissions/disputes")).toBe("commissions");
    expect(current("/admin/commissions/months/2026-11")).toBe("payouts");
    expect(current("/admin/commission-rules/abc")).toBe("commissionRules");
    expect(current("/admin/agents/settings")).toBe("agents");
  });

  it("marks nothing on a page outside the menu, and never the overview for a page below it", () => {
    expect(current("/admin/unlisted")).toBeUndefined();
    expect(current("/administrators")).toBeUndefined();
    expect(current("/admin/policies-archive")).toBeUndefined();
  });
});

describe("what the menu holds", () => {
  it("links every page once", () => {
    const paths = BACK_OFFICE_NAV.flatMap((group) => group.links.map((link) => link.to));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("leaves out the agent network's pages, and then the empty Network group, for agencies without one", () => {
    const groups = backOfficeNav(["admin"], { marketplace: true, agentNetwork: false });
    expect(groups.map((group) => group.id)).not.toContain("network");
    const paths = groups.flatMap((group) => group.links.map((link) => link.to));
    expect(paths).not.toContain("/admin/commissions");
    expect(paths).not.toContain("/admin/offline-payments");
    expect(paths).toContain("/admin/chargebacks");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import type { ProviderName } from "~db/schema";
import { formatDateTime } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { applyDisputeEvent } from "~/modules/payments/chargebacks.server";
import type { DisputeOutcome } from "~/modules/payments/providers/types";
import { createTenant, createUser, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { backOfficeMenuOf, hostOf, signIn, textOf } from "./accounts-support";
import { insertOrder, insertProduct, insertTransaction, type OrderFixture } from "./admin-payments-fixtures";

/**
 * The back office's list of chargebacks across payments (/admin/chargebacks): open ones by the
 * deadline to answer, the status filter, pagination, who may see it, that another agency's never
 * show, and the overview's "Needs attention" line. Chargebacks are made by the module that applies
 * the providers' dispute events, on payments written straight into the tables.
 */

type Tenant = { id: string; slug: string; name: string };

const DAY = 86_400_000;
const LIST = "/admin/chargebacks";
/** A date and time as the pages show them (the test agencies are in Nairobi), as textOf reads it. */
const shown = (at: Date) => formatDateTime(at, "en-KE", "Africa/Nairobi").replace(/\s+/g, " ");
const moneyText = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");
/** The dispute references a page shows (not its loader data), in the order they are listed. */
const refsIn = (html: string, prefix: string) => [...textOf(html).matchAll(new RegExp(`${prefix}[A-Za-z0-9_]+`, "g"))].map((m) => m[0]);
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The visible text of the table row that names a dispute reference. */
function rowOf(html: string, ref: string): string {
  const row = html.split("<tr").find((r) => r.includes(ref));
  if (!row) throw new Error(`no row for ${ref}`);
  return textOf(`<tr${row}`);
}

/** A card payment of the tenant's customer, for an order of its own. */
async function payment(tenant: Tenant, customerId: string, productId: string, provider: ProviderName = "stripe") {
  const order: OrderFixture = await insertOrder(tenant.id, customerId, productId);
  const transactionId = await insertTransaction(tenant.id, {
    orderId: order.orderId,
    userId: customerId,
    method: "card",
    provider,
    amountMinor: 150_000,
  });
  return { transactionId, reference: order.reference };
}

/** A dispute as the provider reports it: opened, and then decided when an outcome is given. */
async function chargeback(
  tenant: Tenant,
  transactionId: string,
  o: {
    ref: string;
    openedAt: Date;
    respondBy: Date | null;
    outcome?: DisputeOutcome;
    decidedAt?: Date;
    reason?: string;
    amountMinor?: number;
    provider?: ProviderName;
  },
) {
  const provider = o.provider ?? "stripe";
  await withTenant(tenant.id, async (db) => {
    const opened = {
      kind: "dispute" as const,
      providerEventId: `${o.ref}:created`,
      disputeRef: o.ref,
      providerRef: null,
      outcome: "open" as DisputeOutcome,
      providerStatus: "needs_response",
      amountMinor: o.amountMinor ?? 150_000,
      currency: "KES",
      reason: o.reason ?? "fraudulent",
      openedAt: o.openedAt.toISOString(),
      respondBy: o.respondBy?.toISOString(),
      occurredAt: o.openedAt.toISOString(),
      raw: {},
    };
    expect(await applyDisputeEvent(db, tenant.id, transactionId, provider, opened)).toBe("chargeback_opened");
    if (o.outcome && o.outcome !== "open") {
      const decided = { ...opened, providerEventId: `${o.ref}:closed`, outcome: o.outcome, providerStatus: o.outcome };
      expect(await applyDisputeEvent(db, tenant.id, transactionId, provider, { ...decided, occurredAt: o.decidedAt!.toISOString() })).toBe(
        `chargeback_${o.outcome}`,
      );
    }
  });
}

// ---------------------------------------------------------------------------------------------

const now = Date.now();
const tag = uniqueSlug("").toUpperCase();
// One agency's chargebacks: four open (one overdue, one due in two days, one in ten, one without a deadline), one won, one lost.
const ref = {
  overdue: `dp_A${tag}_overdue`,
  soon: `dp_A${tag}_soon`,
  later: `dp_A${tag}_later`,
  undated: `dp_A${tag}_undated`,
  won: `dp_A${tag}_won`,
  lost: `dp_A${tag}_lost`,
};
const respondBy = {
  overdue: new Date(now - DAY),
  soon: new Date(now + 2 * DAY),
  later: new Date(now + 10 * DAY),
};
const OTHER_REF = `dp_B${tag}_other`;

let tenant: Tenant;
let other: Tenant;
let paid: { transactionId: string; reference: string };
let second: { transactionId: string; reference: string };
let customerName: string;
let asStaff: Browser;
let asUnderwriter: Browser;
let asCustomer: Browser;
let asOtherAdmin: Browser;

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  customerName = "Amina Chargeback";
  const customer = await createUser(tenant.id, { roles: ["customer"], name: customerName });
  const staff = await createUser(tenant.id, { roles: ["staff"] });
  const underwriter = await createUser(tenant.id, { roles: ["underwriter"] });
  const product = await insertProduct(tenant.id, { name: "Comprehensive Motor Cover" });
  paid = await payment(tenant, customer.id, product.id);
  second = await payment(tenant, customer.id, product.id, "paystack");

  await chargeback(tenant, paid.transactionId, { ref: ref.overdue, openedAt: new Date(now - 20 * DAY), respondBy: respondBy.overdue });
  await chargeback(tenant, second.transactionId, {
    ref: ref.soon,
    openedAt: new Date(now - 5 * DAY),
    respondBy: respondBy.soon,
    reason: "product_not_received",
    amountMinor: 75_000,
    provider: "paystack",
  });
  await chargeback(tenant, paid.transactionId, { ref: ref.later, openedAt: new Date(now - DAY), respondBy: respondBy.later });
  await chargeback(tenant, second.transactionId, { ref: ref.undated, openedAt: new Date(now - 2 * DAY), respondBy: null });
  await chargeback(tenant, paid.transactionId, {
    ref: ref.won,
    openedAt: new Date("2026-09-01T06:00:00Z"),
    respondBy: new Date("2026-09-20T20:59:59Z"),
    outcome: "won",
    decidedAt: new Date("2026-10-05T07:00:00Z"),
  });
  await chargeback(tenant, second.transactionId, {
    ref: ref.lost,
    openedAt: new Date("2026-09-02T06:00:00Z"),
    respondBy: new Date("2026-09-21T20:59:59Z"),
    outcome: "lost",
    decidedAt: new Date("2026-10-20T07:00:00Z"),
  });

  // Another agency's open chargeback, due tomorrow: never seen by the first.
  const foreigner = await createUser(other.id, { roles: ["customer"], name: "Other Agency Customer" });
  const otherAdmin = await createUser(other.id, { roles: ["admin"] });
  const otherProduct = await insertProduct(other.id, { name: "Other Agency Cover" });
  const otherPayment = await payment(other, foreigner.id, otherProduct.id);
  await chargeback(other, otherPayment.transactionId, { ref: OTHER_REF, openedAt: new Date(now - DAY), respondBy: new Date(now + DAY) });

  [asStaff, asUnderwriter, asCustomer, asOtherAdmin] = await Promise.all([
    signIn(hostOf(tenant), staff.email),
    signIn(hostOf(tenant), underwriter.email),
    signIn(hostOf(tenant), customer.email),
    signIn(hostOf(other), otherAdmin.email),
  ]);
});

async function list(path: string, browser = asStaff): Promise<HttpResponse> {
  const res = await browser.get(path);
  expect(res.status, path).toBe(200);
  return res;
}

describe("the chargebacks list", () => {
  it("shows every payment's open chargebacks by default, the soonest deadline first and those without one last", async () => {
    const res = await list(LIST);
    expect(refsIn(res.text, `dp_A${tag}_`)).toEqual([ref.overdue, ref.soon, ref.later, ref.undated]);
    const text = textOf(res.text);
    expect(text).toContain("4 open chargebacks.");

    // The other payment's chargeback: its order, linked to the payment, customer, provider, amount, reason, status and deadline.
    expect(res.text).toContain(`href="/admin/transactions/${second.transactionId}"`);
    const soon = rowOf(res.text, ref.soon);
    expect(soon).toContain(second.reference);
    expect(soon).toContain(customerName);
    expect(soon).toContain("Paystack");
    expect(soon).toContain(moneyText(75_000));
    expect(soon).toContain("Product not received");
    expect(soon).toContain("Open");
    expect(soon).toContain("needs response");
    // Two days away (tomorrow only if the agency's midnight passed since the fixtures were made).
    expect(soon).toMatch(new RegExp(`${literal(shown(respondBy.soon))} Due (in 2 days|tomorrow)`));
    expect(soon).toContain("Not yet");

    // Overdue, and far enough away to need no flag, in the agency's calendar.
    expect(rowOf(res.text, ref.overdue)).toContain(`${shown(respondBy.overdue)} Overdue`);
    expect(rowOf(res.text, ref.overdue)).toContain(paid.reference);
    const later = rowOf(res.text, ref.later);
    expect(later).toContain(shown(respondBy.later));
    expect(later).not.toMatch(/Overdue|Due (today|tomorrow|in)/);
    expect(rowOf(res.text, ref.undated)).toContain("Not given");
  });

  it("filters by status: won, lost, or every chargeback (open ones first, then the latest decision first)", async () => {
    const lost = await list(`${LIST}?status=lost`);
    expect(refsIn(lost.text, `dp_A${tag}_`)).toEqual([ref.lost]);
    const lostRow = rowOf(lost.text, ref.lost);
    expect(lostRow).toContain("Lost");
    expect(lostRow).toContain(shown(new Date("2026-10-20T07:00:00Z")));
    // A decided chargeback has no deadline left to flag.
    expect(lostRow).not.toContain(shown(new Date("2026-09-21T20:59:59Z")));
    expect(textOf(lost.text)).toContain("1 chargeback lost.");

    const won = await list(`${LIST}?status=won`);
    expect(refsIn(won.text, `dp_A${tag}_`)).toEqual([ref.won]);
    expect(rowOf(won.text, ref.won)).toContain("Won");

    const all = await list(`${LIST}?status=all`);
    expect(refsIn(all.text, `dp_A${tag}_`)).toEqual([ref.overdue, ref.soon, ref.later, ref.undated, ref.lost, ref.won]);
    expect(textOf(all.text)).toContain("6 chargebacks.");
    // The select keeps the choice; a bad value falls back to the open ones.
    expect(all.text).toMatch(/<option value="all" selected="">Any status<\/option>/);
    const bogus = await list(`${LIST}?status=%3Cnope%3E&page=-2`);
    expect(refsIn(bogus.text, `dp_A${tag}_`)).toEqual([ref.overdue, ref.soon, ref.later, ref.undated]);
  });

  it("pages 25 at a time, keeping the filter", async () => {
    const busy = await createTenant();
    const customer = await createUser(busy.id, { roles: ["customer"] });
    const staff = await createUser(busy.id, { roles: ["staff"] });
    const product = await insertProduct(busy.id, { name: "Busy Cover" });
    const { transactionId } = await payment(busy, customer.id, product.id);
    const refs = Array.from({ length: 27 }, (_, i) => `dp_P${tag}_${String(i).padStart(2, "0")}`);
    for (const [i, r] of refs.entries()) {
      await chargeback(busy, transactionId, { ref: r, openedAt: new Date(now - DAY), respondBy: new Date(now + (i + 1) * DAY) });
    }
    const browser = await signIn(hostOf(busy), staff.email);
    const first = await list(LIST, browser);
    expect(refsIn(first.text, `dp_P${tag}_`)).toEqual(refs.slice(0, 25));
    expect(first.text).toContain('rel="next"');
    const next = await list(`${LIST}?status=open&page=2`, browser);
    expect(refsIn(next.text, `dp_P${tag}_`)).toEqual(refs.slice(25));
    expect(next.text).toContain('rel="prev"');
    expect(textOf(next.text)).toContain("27 open chargebacks.");
  });

  it("says so when a filter has nothing, for each filter", async () => {
    const quiet = await createTenant();
    const staff = await createUser(quiet.id, { roles: ["staff"] });
    const browser = await signIn(hostOf(quiet), staff.email);
    const empty = {
      "": "No open chargebacks. When a cardholder disputes a card payment, it appears here with the date to answer by.",
      "?status=won": "No chargeback has been won yet.",
      "?status=lost": "No chargeback has been lost.",
      "?status=all": "No chargebacks yet. Disputes of card payments (Stripe, Paystack) appear here as the provider reports them.",
    };
    for (const [query, message] of Object.entries(empty)) {
      const res = await list(`${LIST}${query}`, browser);
      expect(textOf(res.text), query).toContain(message);
      expect(res.text).not.toContain("<table");
    }
  });
});

describe("who sees it", () => {
  it("sends visitors to sign in, refuses customers and underwriters, and links it for staff first under Money", async () => {
    const anonymous = await new Browser(hostOf(tenant)).get(LIST);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(LIST)}`);
    expect((await asCustomer.get(LIST)).status).toBe(403);
    expect((await asUnderwriter.get(LIST)).status).toBe(403);

    const money = backOfficeMenuOf((await list("/admin")).text).find(({ group }) => group === "Money");
    expect(money?.links[0]).toEqual({ href: "/admin/chargebacks", label: "Chargebacks", current: false });
    const underwriterNav = await asUnderwriter.get("/admin");
    expect(underwriterNav.status).toBe(200);
    expect(underwriterNav.text).not.toContain('href="/admin/chargebacks"');
  });

  it("never shows another agency's chargebacks, and each agency sees only its own", async () => {
    for (const query of ["", "?status=all"]) {
      const res = await list(`${LIST}${query}`);
      expect(res.text).not.toContain(OTHER_REF);
      expect(res.text).not.toContain("Other Agency Customer");
    }
    const theirs = await list(`${LIST}?status=all`, asOtherAdmin);
    expect(refsIn(theirs.text, "dp_[AB]").filter((r) => r.includes(tag))).toEqual([OTHER_REF]);
    expect(textOf((await list("/admin", asOtherAdmin)).text)).toContain("1 open chargeback — the first answer is due");
    expect(textOf((await list("/admin")).text)).toContain("4 open chargebacks —");
  });
});

describe("the overview", () => {
  it("says how many chargebacks are open and when the first answer is due, linking to the list", async () => {
    const res = await list("/admin");
    expect(textOf(res.text)).toContain(
      `Needs attention 4 open chargebacks — the first answer was due ${shown(respondBy.overdue)} (overdue)`,
    );
    expect(res.text).toMatch(/<a [^>]*href="\/admin\/chargebacks"[^>]*>4 open chargebacks<\/a>/);
    // Someone who cannot read payments is not told.
    expect(textOf((await asUnderwriter.get("/admin")).text)).not.toContain("Needs attention");
  });

  it("appears only while a chargeback is open", async () => {
    const fresh = await createTenant();
    const customer = await createUser(fresh.id, { roles: ["customer"] });
    const staff = await createUser(fresh.id, { roles: ["staff"] });
    const product = await insertProduct(fresh.id, { name: "Fresh Cover" });
    const { transactionId } = await payment(fresh, customer.id, product.id);
    const browser = await signIn(hostOf(fresh), staff.email);
    const overview = async () => textOf((await list("/admin", browser)).text);

    expect(await overview()).not.toContain("Needs attention");
    await chargeback(fresh, transactionId, {
      ref: `dp_F${tag}_lost`,
      openedAt: new Date(now - 30 * DAY),
      respondBy: new Date(now - 10 * DAY),
      outcome: "lost",
      decidedAt: new Date(now - 5 * DAY),
    });
    expect(await overview()).not.toContain("Needs attention");

    const due = new Date(now + 6 * DAY);
    await chargeback(fresh, transactionId, { ref: `dp_F${tag}_open`, openedAt: new Date(now - DAY), respondBy: due });
    expect(await overview()).toContain(`Needs attention 1 open chargeback — the first answer is due ${shown(due)}`);
  });
});

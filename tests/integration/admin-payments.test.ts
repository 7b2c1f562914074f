import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { csvCell, csvLine, minorToMajorText, type CsvCursor } from "~/lib/csv.server";
import { formatMoney } from "~/lib/money";
import { transactionsCsvBatch } from "~/modules/payments/transactions-admin.server";
import { ensureSandbox, providerConfig } from "~/modules/payments/settings.server";
import { fileKey } from "~/modules/files/storage.server";
import { createTenant, createUser, eventually, ownerDb, uniqueSlug } from "../support/db";
import { Browser, type HttpResponse } from "../support/http";
import { auditRows, backOfficeMenuOf, hostOf, signIn, textOf } from "./accounts-support";
import { insertOrder, insertPolicy, insertProduct, insertTransaction, parseCsv, type OrderFixture } from "./admin-payments-fixtures";

/**
 * The back office's payment pages: transactions (filters, totals, pagination, CSV), one
 * transaction (gateway log, events, refunds), the underwriting queue, policies and the payment
 * provider settings. Fixtures are written straight into the tables, not made through checkout.
 */

type Tenant = { id: string; slug: string; name: string };
type User = { id: string; email: string };

/** Money as the page shows it (raw HTML keeps Intl's no-break space) … */
const money = (minor: number) => formatMoney(minor, "KES", "en-KE");
/** … and as textOf reads it (every space collapsed to one). */
const moneyText = (minor: number) => money(minor).replace(/\s+/g, " ");
const TX_LINK = /href="\/admin\/transactions\/([0-9a-f-]{36})"/g;
const txIdsIn = (html: string) => [...html.matchAll(TX_LINK)].map((m) => m[1]!);

// ---------------------------------------------------------------------------------------------

let tenant: Tenant;
let other: Tenant;
let admin: User;
let staff: User;
let underwriter: User;
let customer: User;
let asAdmin: Browser;
let asStaff: Browser;
let asUnderwriter: Browser;
let asCustomer: Browser;

let product: { id: string; name: string };
let uwProduct: { id: string; name: string };
let paidOrder: OrderFixture;
let paidTx: string;
let failedTx: string;
let lateNightTx: string;
let pendingTx: string;
let bulkOrder: OrderFixture;
let otherTx: string;
let pendingOld: string;
let pendingNew: string;
let otherPending: string;
let oldOrder: OrderFixture;

const INJECTION = '=HYPERLINK("http://evil.example","click")';
const MESSY = 'Declined, "insufficient funds"\nTry again';
const BULK = 26;

beforeAll(async () => {
  tenant = await createTenant();
  other = await createTenant();
  admin = await createUser(tenant.id, { roles: ["admin"], name: "Wanjiru Admin" });
  staff = await createUser(tenant.id, { roles: ["staff"], name: "Otieno Staff" });
  underwriter = await createUser(tenant.id, { roles: ["underwriter"], name: "Njeri Underwriter" });
  customer = await createUser(tenant.id, { roles: ["customer"], name: "Amina Customer", email: `${uniqueSlug("amina")}@example.com` });
  const foreigner = await createUser(other.id, { roles: ["customer"], name: "Other Agency Customer" });
  // The sandbox takes the refunds (its adapter refunds sbx_ payments at once).
  await withTenant(tenant.id, (db) => ensureSandbox(db, tenant.id));

  product = await insertProduct(tenant.id, { name: "Comprehensive Motor Cover" });
  uwProduct = await insertProduct(tenant.id, { name: "Underwritten Motor Cover", requiresUnderwriting: true });

  // A paid order with its policy, certificate and receipt: complete.
  paidOrder = await insertOrder(tenant.id, customer.id, product.id);
  await insertPolicy(tenant.id, customer.id, product.id, paidOrder, 0, { status: "active", number: "TST-POL-0001", certificate: true });
  paidTx = await insertTransaction(tenant.id, {
    orderId: paidOrder.orderId,
    userId: customer.id,
    amountMinor: 150_000,
    providerReceipt: "SBXRCPT01",
    createdAt: new Date("2026-03-05T09:00:00Z"),
  });
  await withTenant(tenant.id, async (db) => {
    await db
      .insertInto("receipts")
      .values({ receipt_number: `TST-RCT-${uniqueSlug("r")}`, transaction_id: paidTx, file_key: fileKey(tenant.id, "receipts", "r.pdf") })
      .execute();
    await db
      .insertInto("gateway_log")
      .values({
        transaction_id: paidTx,
        provider: "sandbox",
        kind: "initiate",
        request: JSON.stringify({
          method: "POST",
          url: "https://sandbox.local/pay",
          body: { amountMinor: 150000, reference: paidOrder.reference },
        }),
        response: JSON.stringify({ status: 200, body: { providerRef: "sbx_ref", checkoutNote: "<b>hi</b>" } }),
        duration_ms: 42,
        created_at: new Date("2026-03-05T09:00:01Z"),
      })
      .execute();
    await db
      .insertInto("gateway_log")
      .values({
        transaction_id: paidTx,
        provider: "sandbox",
        kind: "callback",
        raw_body: '{"choice":"approve","ref":"sbx_ref"}',
        created_at: new Date("2026-03-05T09:00:30Z"),
      })
      .execute();
    await db
      .insertInto("provider_events")
      .values({
        provider: "sandbox",
        provider_event_id: "sbx_ref:approve",
        kind: "payment",
        event: JSON.stringify({ outcome: "completed" }),
        transaction_id: paidTx,
        deliveries: 3,
        processed_at: new Date(),
        outcome: "completed",
      })
      .execute();
    await db
      .insertInto("state_changes")
      .values({
        entity: "transaction",
        entity_id: paidTx,
        from_state: "pending",
        to_state: "completed",
        event: "complete",
        reason: "sandbox approve",
      })
      .execute();
  });

  // Failed, card via Paystack: a failure message that a spreadsheet would run, at 01:30 Nairobi on 2 March.
  const failedOrder = await insertOrder(tenant.id, customer.id, product.id, { paid: false });
  failedTx = await insertTransaction(tenant.id, {
    orderId: failedOrder.orderId,
    userId: customer.id,
    status: "failed",
    method: "card",
    provider: "paystack",
    amountMinor: 99_900,
    providerRef: "+254700000001",
    failureMessage: INJECTION,
    createdAt: new Date("2026-03-01T22:30:00Z"),
  });
  // Cancelled M-Pesa at 23:59 Nairobi on 1 March, with a messy message and formula-looking references.
  lateNightTx = await insertTransaction(tenant.id, {
    orderId: failedOrder.orderId,
    userId: customer.id,
    status: "cancelled",
    method: "mpesa",
    provider: "mpesa",
    amountMinor: 99_900,
    providerRef: "-2+3",
    providerReceipt: "@SUM(A1)",
    failureMessage: MESSY,
    createdAt: new Date("2026-03-01T20:59:00Z"),
  });
  pendingTx = await insertTransaction(tenant.id, {
    orderId: failedOrder.orderId,
    userId: customer.id,
    status: "pending",
    provider: "mpesa",
    amountMinor: 99_900,
    providerRef: "ws_CO_PENDING_1",
    createdAt: new Date("2026-02-10T08:00:00Z"),
  });

  // Many expired attempts on one order: pagination (some share a timestamp: ties in the CSV cursor).
  bulkOrder = await insertOrder(tenant.id, customer.id, product.id, { paid: false });
  for (let i = 0; i < BULK; i++) {
    await insertTransaction(tenant.id, {
      orderId: bulkOrder.orderId,
      userId: customer.id,
      status: "expired",
      amountMinor: 1_000 + i,
      createdAt: new Date(Date.UTC(2026, 0, 10 + Math.floor(i / 3), 12, 0, 0)),
    });
  }

  // The underwriting queue: two waiting (older first), one decided.
  oldOrder = await insertOrder(tenant.id, customer.id, uwProduct.id, { firstPaymentMinor: 80_000 });
  pendingOld = await insertPolicy(tenant.id, customer.id, uwProduct.id, oldOrder, 0, {
    status: "pending_underwriting",
    createdAt: new Date("2026-04-01T08:00:00Z"),
  });
  await insertTransaction(tenant.id, { orderId: oldOrder.orderId, userId: customer.id, amountMinor: 80_000 });
  await withTenant(tenant.id, async (db) => {
    await db
      .insertInto("uploads")
      .values({
        order_id: oldOrder.orderId,
        requirement: "logbook",
        file_key: fileKey(tenant.id, "uploads", "logbook.pdf"),
        filename: "logbook.pdf",
        content_type: "application/pdf",
        size_bytes: 2048,
      })
      .execute();
    await db
      .insertInto("personal_identifiers")
      .values({ order_id: oldOrder.orderId, kind: "national_id", ciphertext: "v1.x.y", blind_index: randomUUID(), masked: "****5678" })
      .execute();
    await db
      .insertInto("personal_identifiers")
      .values({ order_id: oldOrder.orderId, kind: "kra_pin", ciphertext: "v1.x.y", blind_index: randomUUID(), masked: "A*******9Z" })
      .execute();
  });
  const newOrder = await insertOrder(tenant.id, customer.id, uwProduct.id, { firstPaymentMinor: 60_000 });
  pendingNew = await insertPolicy(tenant.id, customer.id, uwProduct.id, newOrder, 0, {
    status: "pending_underwriting",
    createdAt: new Date("2026-04-02T08:00:00Z"),
  });
  await insertTransaction(tenant.id, { orderId: newOrder.orderId, userId: customer.id, amountMinor: 60_000 });

  // Another agency's payment and waiting policy: never seen here.
  const otherProduct = await insertProduct(other.id, { name: "Other Agency Cover", requiresUnderwriting: true });
  const otherOrder = await insertOrder(other.id, foreigner.id, otherProduct.id);
  otherPending = await insertPolicy(other.id, foreigner.id, otherProduct.id, otherOrder, 0, { status: "pending_underwriting" });
  otherTx = await insertTransaction(other.id, { orderId: otherOrder.orderId, userId: foreigner.id, providerReceipt: "OTHERRCPT" });

  [asAdmin, asStaff, asUnderwriter, asCustomer] = await Promise.all([
    signIn(hostOf(tenant), admin.email),
    signIn(hostOf(tenant), staff.email),
    signIn(hostOf(tenant), underwriter.email),
    signIn(hostOf(tenant), customer.email),
  ]);
});

const ALL_TX = () => 4 + BULK + 2; // paid, failed, late night, pending, bulk, two underwriting orders

describe("permissions", () => {
  const pages = () => [
    "/admin/transactions",
    "/admin/transactions.csv",
    `/admin/transactions/${paidTx}`,
    "/admin/policies",
    "/admin/underwriting",
    `/admin/underwriting/${pendingOld}`,
    "/admin/payments",
  ];

  it("sends visitors to sign in and refuses customers", async () => {
    for (const path of pages()) {
      const anonymous = await new Browser(hostOf(tenant)).get(path);
      expect(anonymous.status, path).toBe(302);
      expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      expect((await asCustomer.get(path)).status, path).toBe(403);
    }
    expect((await asCustomer.post(`/admin/transactions/${paidTx}`, { intent: "confirm-refund", amount: "1", reason: "x" })).status).toBe(
      403,
    );
  });

  it("lets staff read payments and policies, but not refund, underwrite or configure providers", async () => {
    expect((await asStaff.get("/admin/transactions")).status).toBe(200);
    expect((await asStaff.get("/admin/transactions.csv")).status).toBe(200);
    expect((await asStaff.get("/admin/policies")).status).toBe(200);
    const detail = await asStaff.get(`/admin/transactions/${paidTx}`);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain("Review refund");
    expect(textOf(detail.text)).toContain("Only an administrator can refund a payment.");
    for (const intent of ["review-refund", "confirm-refund", "retry-issuance"]) {
      const res = await asStaff.post(`/admin/transactions/${paidTx}`, { intent, amount: "10", reason: "Staff try" });
      expect(res.status, intent).toBe(403);
    }
    expect(await refundsOf(paidTx)).toEqual([]);
    expect((await asStaff.get("/admin/underwriting")).status).toBe(403);
    expect((await asStaff.post(`/admin/underwriting/${pendingOld}`, { intent: "approve" })).status).toBe(403);
    expect((await asStaff.get("/admin/payments")).status).toBe(403);
    expect((await asStaff.post("/admin/payments", { provider: "sandbox", mode: "test", secret: "x".repeat(20) })).status).toBe(403);

    const nav = backOfficeMenuOf((await asStaff.get("/admin")).text).flatMap(({ links }) => links.map((link) => link.label));
    expect(nav).toContain("Transactions");
    expect(nav).toContain("Policies");
    expect(nav).not.toContain("Underwriting");
    expect(nav).not.toContain("Payment providers");
  });

  it("lets an underwriter underwrite and read policies, but not transactions", async () => {
    expect((await asUnderwriter.get("/admin/underwriting")).status).toBe(200);
    expect((await asUnderwriter.get("/admin/policies")).status).toBe(200);
    expect((await asUnderwriter.get("/admin/transactions")).status).toBe(403);
    expect((await asUnderwriter.get("/admin/transactions.csv")).status).toBe(403);
    const nav = textOf((await asUnderwriter.get("/admin")).text);
    expect(nav).toContain("Underwriting");
    expect(nav).not.toContain("Transactions");
  });

  it("answers 404 for another agency's records and for malformed ids", async () => {
    expect((await asAdmin.get(`/admin/transactions/${otherTx}`)).status).toBe(404);
    expect((await asAdmin.get(`/admin/underwriting/${otherPending}`)).status).toBe(404);
    expect((await asAdmin.get("/admin/transactions/not-a-uuid")).status).toBe(404);
    expect((await asAdmin.post(`/admin/transactions/${otherTx}`, { intent: "confirm-refund", amount: "1", reason: "x" })).status).toBe(404);
    expect((await asAdmin.post(`/admin/underwriting/${otherPending}`, { intent: "approve" })).status).toBe(404);
    expect((await asAdmin.post(`/admin/transactions/${paidTx}`, { intent: "bogus" })).status).toBe(400);
    const list = await asAdmin.get("/admin/transactions?q=OTHERRCPT");
    expect(txIdsIn(list.text)).toEqual([]);
  });
});

describe("transactions list", () => {
  it("pages 25 at a time, newest first, with totals of the whole set", async () => {
    const first = await asAdmin.get("/admin/transactions");
    expect(first.status).toBe(200);
    const firstIds = txIdsIn(first.text);
    expect(firstIds).toHaveLength(25);
    expect(first.text).toContain('rel="next"');
    const second = await asAdmin.get("/admin/transactions?page=2");
    const secondIds = txIdsIn(second.text);
    expect(secondIds).toHaveLength(ALL_TX() - 25);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(ALL_TX());
    expect(textOf(first.text)).toContain(`${ALL_TX()} Transactions`);
    // A page number past the end, or nonsense, never errors.
    expect(txIdsIn((await asAdmin.get("/admin/transactions?page=99")).text)).toEqual([]);
    expect((await asAdmin.get("/admin/transactions?page=-3&status=nope&from=2026-02-31&provider=%3Cx%3E")).status).toBe(200);
  });

  it("filters by status, method and provider, with the filtered totals", async () => {
    const expired = await asAdmin.get("/admin/transactions?status=expired");
    const expiredTotal = Array.from({ length: BULK }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0);
    expect(txIdsIn(expired.text)).toHaveLength(25);
    const text = textOf(expired.text);
    expect(text).toContain(`${BULK} Transactions`);
    expect(text).toContain(moneyText(expiredTotal));

    const card = await asAdmin.get("/admin/transactions?method=card");
    expect(txIdsIn(card.text)).toEqual([failedTx]);
    const mpesaProvider = await asAdmin.get("/admin/transactions?provider=mpesa");
    expect(new Set(txIdsIn(mpesaProvider.text))).toEqual(new Set([lateNightTx, pendingTx]));
    const combined = await asAdmin.get("/admin/transactions?provider=mpesa&status=pending");
    expect(txIdsIn(combined.text)).toEqual([pendingTx]);
    const none = await asAdmin.get("/admin/transactions?status=refunded");
    expect(txIdsIn(none.text)).toEqual([]);
    expect(textOf(none.text)).toContain("No transaction matches these filters.");
  });

  it("filters by calendar days in the agency's time zone", async () => {
    // 22:30 UTC on 1 March is 01:30 on 2 March in Nairobi; 20:59 UTC is 23:59 on 1 March.
    const second = await asAdmin.get("/admin/transactions?from=2026-03-02&to=2026-03-02");
    expect(txIdsIn(second.text)).toEqual([failedTx]);
    const first = await asAdmin.get("/admin/transactions?from=2026-03-01&to=2026-03-01");
    expect(txIdsIn(first.text)).toEqual([lateNightTx]);
    // Given the wrong way round, the days are swapped rather than matching nothing.
    const swapped = await asAdmin.get("/admin/transactions?from=2026-03-05&to=2026-03-01");
    expect(new Set(txIdsIn(swapped.text))).toEqual(new Set([failedTx, lateNightTx, paidTx]));
    const since = await asAdmin.get("/admin/transactions?from=2026-03-03&status=completed");
    expect(txIdsIn(since.text)).toContain(paidTx);
    expect(txIdsIn(since.text)).not.toContain(failedTx);
  });

  it("searches by order reference, provider receipt and provider reference", async () => {
    expect(txIdsIn((await asAdmin.get(`/admin/transactions?q=${encodeURIComponent(paidOrder.reference.toLowerCase())}`)).text)).toEqual([
      paidTx,
    ]);
    expect(txIdsIn((await asAdmin.get("/admin/transactions?q=sbxrcpt01")).text)).toEqual([paidTx]);
    expect(txIdsIn((await asAdmin.get("/admin/transactions?q=ws_CO_PENDING")).text)).toEqual([pendingTx]);
    // LIKE wildcards are literal.
    expect(txIdsIn((await asAdmin.get("/admin/transactions?q=%25")).text)).toEqual([]);
  });
});

describe("CSV export", () => {
  async function csv(path: string): Promise<{ res: HttpResponse; rows: string[][] }> {
    const res = await asStaff.get(path);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(
      new RegExp(`attachment; filename="${tenant.slug}-transactions-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    return { res, rows: parseCsv(res.text.slice(1)) };
  }

  it("exports every row of the filtered set (not one page), with the columns asked for", async () => {
    const { rows } = await csv("/admin/transactions.csv");
    const [header, ...body] = rows;
    expect(header).toEqual([
      "Created at (Africa/Nairobi)",
      "Order reference",
      "Customer email",
      "Provider",
      "Method",
      "Mode",
      "Status",
      "Amount",
      "Currency",
      "Refunded",
      "Provider ref",
      "Receipt",
      "Failure message",
    ]);
    expect(body).toHaveLength(ALL_TX());
    const paid = body.find((r) => r[11] === "SBXRCPT01")!;
    expect(paid).toEqual([
      "2026-03-05 12:00:00",
      paidOrder.reference,
      customer.email,
      "Sandbox",
      "M-Pesa",
      "test",
      "Completed",
      "1500.00",
      "KES",
      "0.00",
      expect.stringMatching(/^sbx_[0-9a-f]{24}$/),
      "SBXRCPT01",
      "",
    ]);
  });

  it("applies the list's filters", async () => {
    const { rows } = await csv("/admin/transactions.csv?status=expired&from=2026-01-10&to=2026-01-11");
    // Days 10 and 11 January: three attempts each.
    expect(rows.slice(1)).toHaveLength(6);
    expect(rows.slice(1).every((r) => r[6] === "Expired")).toBe(true);
  });

  it("quotes commas, quotes and line breaks, and defuses formulas", async () => {
    const { res, rows } = await csv("/admin/transactions.csv?from=2026-03-01&to=2026-03-02");
    const failed = rows.find((r) => r[6] === "Failed")!;
    expect(failed[12]).toBe(`'${INJECTION}`);
    expect(failed[10]).toBe("'+254700000001");
    expect(failed[0]).toBe("2026-03-02 01:30:00");
    const cancelled = rows.find((r) => r[6] === "Cancelled")!;
    expect(cancelled[12]).toBe(MESSY);
    expect(cancelled[10]).toBe("'-2+3");
    expect(cancelled[11]).toBe("'@SUM(A1)");
    // The raw text: the message is one quoted cell with its quotes doubled.
    expect(res.text).toContain('"Declined, ""insufficient funds""\nTry again"');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(res.text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it("reads in batches without losing or repeating rows that share a timestamp", async () => {
    const seen: string[] = [];
    let cursor: CsvCursor | null = null;
    let batches = 0;
    do {
      const batch: { lines: string; next: CsvCursor | null } = await withTenant(tenant.id, (db) =>
        transactionsCsvBatch(db, { status: "expired" }, { timeZone: "Africa/Nairobi", cursor, limit: 4 }),
      );
      seen.push(...parseCsv(batch.lines).map((r) => r[7]!));
      cursor = batch.next;
      batches++;
    } while (cursor && batches < 50);
    expect(seen).toHaveLength(BULK);
    expect(new Set(seen).size).toBe(BULK);
  });

  it("formats cells and amounts exactly", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("\t=cmd")).toBe("'\t=cmd");
    expect(csvCell("@x, y")).toBe(`"'@x, y"`);
    expect(minorToMajorText(150_050, "KES")).toBe("1500.50");
    expect(minorToMajorText(5, "KES")).toBe("0.05");
    expect(minorToMajorText(1500, "JPY")).toBe("1500");
    expect(minorToMajorText(900_719_925_474_099, "MYR")).toBe("9007199254740.99");
    // A negative amount is made inert by default; a caller that writes money may keep plain numbers as numbers.
    expect(csvLine(["-16.67", "=1+2", 3, null])).toBe("'-16.67,'=1+2,3,\r\n");
    expect(csvLine(["-16.67", "-1e3", "=1+2", 3, null], { plainNumbers: true })).toBe("-16.67,'-1e3,'=1+2,3,\r\n");
  });
});

describe("one transaction", () => {
  it("shows amounts, customer, order, policies, timeline, provider events and the raw gateway log", async () => {
    const res = await asStaff.get(`/admin/transactions/${paidTx}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(moneyText(150_000));
    expect(text).toContain("Amina Customer");
    expect(text).toContain(customer.email);
    expect(text).toContain(paidOrder.reference);
    expect(text).toContain("TST-POL-0001");
    expect(text).toContain("Comprehensive Motor Cover");
    expect(text).toContain("pending → completed (complete)");
    expect(text).toContain("sbx_ref:approve");
    expect(text).toMatch(/sbx_ref:approve\s+payment\s+3\s/);
    // The log in time order, JSON pretty-printed and escaped, the raw callback body as it came.
    const initiate = res.text.indexOf("<strong>initiate</strong>");
    const callback = res.text.indexOf("<strong>callback</strong>");
    expect(initiate).toBeGreaterThan(0);
    expect(callback).toBeGreaterThan(initiate);
    expect(text).toContain('"amountMinor": 150000');
    expect(res.text).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(res.text).not.toContain("<b>hi</b>");
    expect(text).toContain('{"choice":"approve","ref":"sbx_ref"}');
    expect(text).toContain("42 ms");
    // Complete issuance: nothing to retry.
    expect(res.text).not.toContain("Retry issuance");
  });

  it("refuses refund amounts that are zero, too much, malformed or without a reason, field by field", async () => {
    const path = `/admin/transactions/${paidTx}`;
    const cases: [Record<string, string>, string, string][] = [
      [{ amount: "0", reason: "Customer cancelled" }, "amount", "Enter an amount more than zero."],
      [{ amount: "2000", reason: "Customer cancelled" }, "amount", `at most ${money(150_000)}`],
      [{ amount: "1,500.01", reason: "Customer cancelled" }, "amount", `at most ${money(150_000)}`],
      [{ amount: "10.005", reason: "Customer cancelled" }, "amount", "at most 2 decimal places"],
      [{ amount: "ten", reason: "Customer cancelled" }, "amount", "Enter an amount such as 1500"],
      [{ amount: "-5", reason: "Customer cancelled" }, "amount", "Enter an amount more than zero."],
      [{ amount: "", reason: "Customer cancelled" }, "amount", "Enter the amount to refund."],
      [{ amount: "100", reason: "   " }, "reason", "Give the reason for this refund"],
      [{ amount: "100" }, "reason", "Give the reason for this refund"],
    ];
    for (const [fields, field, message] of cases) {
      for (const intent of ["review-refund", "confirm-refund"]) {
        const res = await asAdmin.post(path, { intent, ...fields });
        expect(res.status, `${intent} ${JSON.stringify(fields)}`).toBe(400);
        const errorP = res.text.match(new RegExp(`<p class="field-error" id="refund-${field}-error"[^>]*>([^<]*)</p>`));
        expect(errorP?.[1], `${intent} ${JSON.stringify(fields)}`).toContain(message.replace(/"/g, "&quot;"));
      }
    }
    expect(await refundsOf(paidTx)).toEqual([]);
  });

  it("confirms before refunding, refunds through the provider and audits", async () => {
    const path = `/admin/transactions/${paidTx}`;
    const review = await asAdmin.post(path, { intent: "review-refund", amount: "500.50", reason: "Customer cancelled the motor cover" });
    expect(review.status).toBe(200);
    const text = textOf(review.text);
    expect(text).toContain(`Refund ${moneyText(50_050)} to Amina Customer?`);
    expect(text).toContain(`Confirm refund of ${moneyText(50_050)}`);
    expect(review.text).toMatch(/<input type="hidden" name="amount" value="500.50"/);
    expect(await refundsOf(paidTx)).toEqual([]);

    // "Change" brings the form back with what was typed.
    const change = await asAdmin.post(path, { intent: "edit-refund", amount: "500.50", reason: "Customer cancelled the motor cover" });
    expect(change.status).toBe(200);
    expect(change.text).toContain('value="500.50"');
    expect(change.text).toContain("Review refund");

    const confirmed = await asAdmin.post(path, {
      intent: "confirm-refund",
      amount: "500.50",
      reason: "Customer cancelled the motor cover",
    });
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe(`${path}?notice=refund_requested`);
    const [refund, ...more] = await refundsOf(paidTx);
    expect(more).toEqual([]);
    expect(refund).toMatchObject({ amount_minor: 50_050, reason: "Customer cancelled the motor cover", requested_by: admin.id });
    const [entry] = await auditRows(tenant.id, "payment.refund_requested", paidTx);
    expect(entry).toMatchObject({ actor_user_id: admin.id, target_type: "transaction" });
    expect(entry!.details).toMatchObject({ amountMinor: 50_050, currency: "KES", refundId: refund!.id });

    // The sandbox pays it back (the lead's refund job): the transaction is partly refunded.
    await eventually(async () => (await refundsOf(paidTx))[0]?.status === "completed");
    const tx = await ownerDb()
      .selectFrom("transactions")
      .select(["status", "refunded_minor"])
      .where("id", "=", paidTx)
      .executeTakeFirstOrThrow();
    expect(tx).toEqual({ status: "partially_refunded", refunded_minor: 50_050 });

    const after = await asAdmin.get(`${path}?notice=refund_requested`);
    const afterText = textOf(after.text);
    expect(afterText).toContain("Refund requested.");
    expect(afterText).toContain("Customer cancelled the motor cover");
    expect(afterText).toContain(`Up to ${moneyText(99_950)} can be refunded.`);

    // What is left is the limit now.
    const tooMuch = await asAdmin.post(path, { intent: "review-refund", amount: "1000", reason: "Rest of it" });
    expect(tooMuch.status).toBe(400);
    expect(textOf(tooMuch.text)).toContain(`at most ${moneyText(99_950)}`);
  });

  it("refuses to refund a payment that took no money", async () => {
    const res = await asAdmin.post(`/admin/transactions/${failedTx}`, { intent: "confirm-refund", amount: "1", reason: "Why not" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Only a completed payment can be refunded");
    expect((await asAdmin.get(`/admin/transactions/${failedTx}`)).text).not.toContain("Review refund");
  });
});

describe("issuance retry", () => {
  it("is offered when a paid order has fewer policies than items, and is audited", async () => {
    const t = await createTenant();
    const a = await createUser(t.id, { roles: ["admin"] });
    const s = await createUser(t.id, { roles: ["staff"] });
    const c = await createUser(t.id, { roles: ["customer"], name: "Two Items" });
    const p = await insertProduct(t.id, { name: "Two Item Cover" });
    const order = await insertOrder(t.id, c.id, p.id, { items: 2 });
    await insertPolicy(t.id, c.id, p.id, order, 0, { status: "active", number: "TST-POL-RETRY" });
    const tx = await insertTransaction(t.id, { orderId: order.orderId, userId: c.id, amountMinor: 200_000 });
    const [asA, asS] = await Promise.all([signIn(hostOf(t), a.email), signIn(hostOf(t), s.email)]);

    const asStaffPage = await asS.get(`/admin/transactions/${tx}`);
    expect(textOf(asStaffPage.text)).toContain("only 1 of its 2 policies exist");
    expect(asStaffPage.text).not.toContain("Retry issuance</button>");
    expect((await asS.post(`/admin/transactions/${tx}`, { intent: "retry-issuance" })).status).toBe(403);

    const page = await asA.get(`/admin/transactions/${tx}`);
    expect(page.text).toContain("Retry issuance");
    const res = await asA.post(`/admin/transactions/${tx}`, { intent: "retry-issuance" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/admin/transactions/${tx}?notice=issuance_retried`);
    const [entry] = await auditRows(t.id, "payment.issuance_retried", tx);
    expect(entry).toMatchObject({ actor_user_id: a.id });
  });
});

describe("underwriting", () => {
  it("lists this agency's waiting policies only, oldest first, with documents and masked identifiers", async () => {
    const res = await asUnderwriter.get("/admin/underwriting");
    expect(res.status).toBe(200);
    const links = [...res.text.matchAll(/href="\/admin\/underwriting\/([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect([...new Set(links)]).toEqual([pendingOld, pendingNew]);
    expect(links).not.toContain(otherPending);
    const text = textOf(res.text);
    expect(text).toContain("2 policies wait for a decision");
    expect(text).toContain("Underwritten Motor Cover");
    expect(text).toContain("National ID: ****5678");
    expect(text).toContain("KRA PIN: A*******9Z");
    expect(text).toContain(moneyText(80_000));
    expect(text).toContain("declining refunds the customer's payment for it");
    // The upload is a signed link (for this underwriter), never the storage key.
    const upload = res.text.match(/<a href="(\/files\/[^"]+)">logbook.pdf<\/a>/);
    expect(upload).not.toBeNull();
    expect(res.text).not.toContain(`${tenant.id}/uploads/`);
  });

  it("shows the case and requires a reason to decline", async () => {
    const page = await asUnderwriter.get(`/admin/underwriting/${pendingOld}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Approve and issue");
    expect(text).toContain("Declining refunds the customer's payment for this policy");
    expect(text).toContain(moneyText(80_000));
    expect(text).toContain("Amina Wanjiku");

    const noReason = await asUnderwriter.post(`/admin/underwriting/${pendingOld}`, { intent: "decline", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(textOf(noReason.text)).toContain("Give the reason for declining");
    const status = await policyStatus(pendingOld);
    expect(status).toBe("pending_underwriting");
  });

  it("declines with a reason (refunding the policy's payment) and approves (issuing it)", async () => {
    const declined = await asUnderwriter.post(`/admin/underwriting/${pendingOld}`, { intent: "decline", reason: "Vehicle used for hire" });
    expect(declined.status).toBe(302);
    expect(declined.location).toBe("/admin/underwriting?notice=declined");
    expect(await policyStatus(pendingOld)).toBe("declined");
    const refund = await ownerDb().selectFrom("refunds").selectAll().where("policy_id", "=", pendingOld).executeTakeFirst();
    expect(refund).toMatchObject({ amount_minor: 80_000 });

    const approved = await asUnderwriter.post(`/admin/underwriting/${pendingNew}`, { intent: "approve" });
    expect(approved.status).toBe(302);
    expect(await policyStatus(pendingNew)).toBe("active");

    const queue = await asUnderwriter.get("/admin/underwriting?notice=approved");
    expect(textOf(queue.text)).toContain("No policy is waiting for underwriting.");
    // A decided policy cannot be decided again.
    const again = await asUnderwriter.post(`/admin/underwriting/${pendingOld}`, { intent: "approve" });
    expect(again.status).toBe(400);
    expect(await policyStatus(pendingOld)).toBe("declined");
  });
});

describe("policies list", () => {
  it("filters by status and searches by policy number, customer email and order", async () => {
    const all = await asStaff.get("/admin/policies");
    expect(all.status).toBe(200);
    expect(textOf(all.text)).toContain("TST-POL-0001");
    const active = await asStaff.get("/admin/policies?status=active");
    expect(textOf(active.text)).toContain("TST-POL-0001");
    const byNumber = textOf((await asStaff.get("/admin/policies?q=tst-pol-0001")).text);
    expect(byNumber).toContain("1 policy match these filters");
    const byEmail = textOf((await asStaff.get(`/admin/policies?q=${encodeURIComponent(customer.email)}`)).text);
    expect(byEmail).toMatch(/\d+ policies match these filters/);
    const byOrder = await asStaff.get(`/admin/policies?q=${encodeURIComponent(paidOrder.reference)}`);
    expect(byOrder.text).toContain(`href="/admin/transactions/${paidTx}"`);
    const nothing = textOf((await asStaff.get("/admin/policies?status=lapsed")).text);
    expect(nothing).toContain("No policy matches these filters.");
    expect((await asStaff.get("/admin/policies?status=nonsense&page=abc")).status).toBe(200);
  });
});

describe("payment provider settings", () => {
  it("shows each provider and the webhook addresses to paste", async () => {
    const res = await asAdmin.get("/admin/payments");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    for (const label of ["M-Pesa (Daraja)", "Paystack", "Stripe", "Sandbox"]) expect(text).toContain(label);
    expect(res.text).toContain(`value="${asAdmin.origin}/webhooks/paystack"`);
    expect(res.text).toContain(`value="${asAdmin.origin}/webhooks/stripe"`);
    expect(res.text).toContain(`value="${asAdmin.origin}/webhooks/curlec"`);
    expect(text).toContain("Not set up");
  });

  it("refuses a bad configuration field by field", async () => {
    const res = await asAdmin.post("/admin/payments", {
      provider: "paystack",
      mode: "test",
      enabled: "on",
      secretKey: "nope",
      publicKey: "",
    });
    expect(res.status).toBe(400);
    const error = (field: string) => res.text.match(new RegExp(`id="paystack-${field}-error"[^>]*>([^<]*)<`))?.[1];
    expect(error("secretKey")).toContain("Must look like sk_test_");
    expect(error("publicKey")).toBe("Required.");
    const live = await asAdmin.post("/admin/payments", {
      provider: "stripe",
      mode: "live",
      secretKey: "sk_test_abc123",
      publishableKey: "pk_test_abc123",
      webhookSecret: "whsec_abc",
    });
    expect(live.status).toBe(400);
    expect(live.text).toMatch(/id="stripe-secretKey-error"[^>]*>Must be a live key/);
    expect(await withTenant(tenant.id, (db) => providerConfig(db, tenant.id, "stripe"))).toBeUndefined();
  });

  it("keeps secrets write-only: shown as set, kept when left blank, never sent back", async () => {
    const secret = "sk_test_SuperSecretValue9876";
    const saved = await asAdmin.post("/admin/payments", {
      provider: "paystack",
      mode: "test",
      enabled: "on",
      secretKey: secret,
      publicKey: "pk_test_public111",
    });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/admin/payments?saved=paystack#paystack");
    const page = await asAdmin.get("/admin/payments?saved=paystack");
    expect(page.text).not.toContain(secret);
    expect(page.text).not.toContain("SuperSecret");
    expect(textOf(page.text)).toContain("Saved (•••• 9876)");
    expect(page.text).toContain('value="pk_test_public111"');

    // A blank secret keeps the stored one; the public key changes.
    const again = await asAdmin.post("/admin/payments", {
      provider: "paystack",
      mode: "test",
      enabled: "on",
      secretKey: "",
      publicKey: "pk_test_public222",
    });
    expect(again.status).toBe(302);
    const stored = await withTenant(tenant.id, (db) => providerConfig(db, tenant.id, "paystack"));
    expect(stored).toMatchObject({ enabled: true, mode: "test", config: { secretKey: secret, publicKey: "pk_test_public222" } });

    // Unticking "enabled" disables it without touching the keys.
    await asAdmin.post("/admin/payments", { provider: "paystack", mode: "test", secretKey: "", publicKey: "pk_test_public222" });
    expect(await withTenant(tenant.id, (db) => providerConfig(db, tenant.id, "paystack"))).toMatchObject({
      enabled: false,
      config: { secretKey: secret },
    });

    // A refused save never echoes a secret back.
    const refused = await asAdmin.post("/admin/payments", {
      provider: "paystack",
      mode: "live",
      enabled: "on",
      secretKey: "sk_test_Another555",
      publicKey: "pk_test_x",
    });
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain("sk_test_Another555");

    const audits = await auditRows(tenant.id, "payment.provider_updated", "paystack");
    expect(audits.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audits)).not.toContain("SuperSecret");
    expect(audits[0]!.details).toMatchObject({
      provider: "paystack",
      enabled: true,
      mode: "test",
      changedFields: ["secretKey", "publicKey"],
    });
  });

  describe("hostile input on the Curlec and PayPal forms", () => {
    const errorOf = (res: HttpResponse, provider: string, field: string) =>
      res.text.match(new RegExp(`id="${provider}-${field}-error"[^>]*>([^<]*)<`))?.[1];
    const stored = (provider: "curlec" | "paypal") => withTenant(tenant.id, (db) => providerConfig(db, tenant.id, provider));
    const HUGE = "s".repeat(1_000_000);

    it("refuses NUL bytes, CR/LF and a 1 MB value by the field, saves nothing and echoes no secret", async () => {
      const curlecSecret = "CurlecKeySecret\r\nSet-Cookie: sid=1";
      const res = await asAdmin.post("/admin/payments", {
        provider: "curlec",
        mode: "test",
        keyId: "rzp_test_Ab\u0000cd12",
        keySecret: curlecSecret,
        webhookSecret: HUGE,
      });
      expect(res.status).toBe(400);
      expect(errorOf(res, "curlec", "keyId")).toBeTruthy();
      expect(errorOf(res, "curlec", "keySecret")).toContain("one line");
      expect(errorOf(res, "curlec", "webhookSecret")).toMatch(/at most|too long/i);
      expect(res.text).not.toContain("CurlecKeySecret");
      expect(res.text).not.toContain("s".repeat(100));
      expect(res.text).not.toContain("\u0000");
      expect(await stored("curlec")).toBeUndefined();

      const paypalSecret = "PaypalSecret\u0000Tail99";
      const pp = await asAdmin.post("/admin/payments", {
        provider: "paypal",
        mode: "test",
        clientId: "AbCdEfGh12\r\nX-Injected: 1",
        clientSecret: paypalSecret,
        webhookId: HUGE,
      });
      expect(pp.status).toBe(400);
      expect(errorOf(pp, "paypal", "clientId")).toContain("one line");
      expect(errorOf(pp, "paypal", "clientSecret")).toContain("one line");
      expect(errorOf(pp, "paypal", "webhookId")).toMatch(/at most|too long/i);
      expect(pp.text).not.toContain("PaypalSecret");
      expect(pp.text).not.toContain("s".repeat(100));
      expect(await stored("paypal")).toBeUndefined();
    });

    it("refuses a test key in live mode and a mode or choice that is not one of the form's", async () => {
      const keys = { keyId: "rzp_test_Abcd1234", keySecret: "KeySecretValue1", webhookSecret: "WebhookSecret1" };
      const live = await asAdmin.post("/admin/payments", { provider: "curlec", mode: "live", ...keys });
      expect(live.status).toBe(400);
      expect(errorOf(live, "curlec", "keyId")).toMatch(/live key/i);
      expect(live.text).not.toContain("KeySecretValue1");

      const mode = await asAdmin.post("/admin/payments", { provider: "curlec", mode: "production", ...keys });
      expect(mode.status).toBe(400);
      expect(errorOf(mode, "curlec", "mode")).toBeTruthy();
      expect(mode.text).not.toContain("WebhookSecret1");

      const recurring = await asAdmin.post("/admin/payments", { provider: "curlec", mode: "test", recurring: "sometimes", ...keys });
      expect(recurring.status).toBe(400);
      expect(errorOf(recurring, "curlec", "recurring")).toBeTruthy();

      const enabled = await asAdmin.post("/admin/payments", { provider: "curlec", mode: "test", enabled: "yes please", ...keys });
      expect(enabled.status).toBe(400);
      expect(errorOf(enabled, "curlec", "enabled")).toBeTruthy();

      expect(await stored("curlec")).toBeUndefined();
      expect(await stored("paypal")).toBeUndefined();

      const unknown = await asAdmin.post("/admin/payments", { provider: "curlec\u0000", mode: "test", ...keys });
      expect(unknown.status).toBe(400);
    });
  });
});

// ---------------------------------------------------------------------------------------------

async function refundsOf(transactionId: string) {
  return ownerDb().selectFrom("refunds").selectAll().where("transaction_id", "=", transactionId).orderBy("created_at").execute();
}

async function policyStatus(policyId: string) {
  return (await ownerDb().selectFrom("policies").select("status").where("id", "=", policyId).executeTakeFirstOrThrow()).status;
}

/**
 * The customer's side of issue 4 over real HTTP: "My policies", a policy's page with its schedule
 * and signed document links, the payment history and status page, the public certificate check,
 * and the sandbox page that plays the customer's phone. Fixtures go straight into the tables
 * (customer-policies-fixtures.ts), so these pages are tested without checkout or issuance.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTenant } from "~db/client";
import { formatDate } from "~/lib/dates";
import { formatMoney } from "~/lib/money";
import { signDownload } from "~/modules/files/signed-links.server";
import { ensureSandbox } from "~/modules/payments/settings.server";
import { createUser, eventually, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

const money = (minor: number) => formatMoney(minor, "KES", "en-KE").replace(/\s+/g, " ");
const day = (date: string) => formatDate(date, "en-KE", "UTC");
const linksIn = (html: string) => [...html.matchAll(/href="(\/files\/[A-Za-z0-9_.-]+)"/g)].map((m) => m[1]!);

let agency: StoreTenant;
let otherAgency: StoreTenant;
let alice: { id: string; email: string };
let bob: { id: string; email: string };
let carol: { id: string; email: string };
let aliceBrowser: Browser;
let bobBrowser: Browser;
let carolBrowser: Browser;
let monthly: PolicyFixture;
let underwriting: PolicyFixture;
let lapsed: PolicyFixture;
let declined: PolicyFixture;
let bobPolicy: PolicyFixture;
let carolPolicy: PolicyFixture;

const ALICE_HOLDER = { name: "Alice Wanjiru Kamau", email: "alice.holder@example.co.ke", phone: "0712345678" };

beforeAll(async () => {
  [agency, otherAgency] = await Promise.all([createStoreTenant(), createStoreTenant()]);
  await withTenant(agency.id, (db) => ensureSandbox(db, agency.id));
  [alice, bob, carol] = await Promise.all([
    createUser(agency.id, { name: "Alice Account" }),
    createUser(agency.id, { name: "Bob Account" }),
    createUser(otherAgency.id, { name: "Carol Account" }),
  ]);
  monthly = await insertPolicy(agency.id, alice.id, {
    holder: ALICE_HOLDER,
    identifiers: [
      { kind: "national_id", masked: "****5678" },
      { kind: "kra_pin", masked: "A*******12Z" },
    ],
    beneficiaries: [
      { name: "Brian Kamau", relationship: "Son", shareBp: 6000 },
      { name: "Grace Kamau", relationship: "Daughter", shareBp: 4000 },
    ],
    instalments: ["paid", "due", "scheduled"],
    instalmentMinor: 250_000,
    startDate: "2026-01-15",
  });
  underwriting = await insertPolicy(agency.id, alice.id, { status: "pending_underwriting", productSlug: "family-medical" });
  lapsed = await insertPolicy(agency.id, alice.id, { status: "lapsed", productSlug: "home-cover", startDate: "2025-06-01" });
  declined = await insertPolicy(agency.id, alice.id, {
    status: "declined",
    productSlug: "term-life",
    declineReason: "Medical history outside our appetite",
    transactionStatus: "partially_refunded",
    refundedMinor: 400_000,
  });
  bobPolicy = await insertPolicy(agency.id, bob.id, { productSlug: "travel-cover" });
  carolPolicy = await insertPolicy(otherAgency.id, carol.id);
  [aliceBrowser, bobBrowser, carolBrowser] = await Promise.all([
    signIn(agency.host, alice.email),
    signIn(agency.host, bob.email),
    signIn(otherAgency.host, carol.email),
  ]);
});

describe("My policies", () => {
  it("lists the signed-in customer's own policies with their status, cover and next instalment", async () => {
    const res = await aliceBrowser.get("/account/policies");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("4 policies");
    expect(text).toContain(monthly.policyNumber!);
    expect(text).toContain(lapsed.policyNumber!);
    expect(text).toContain("Awaiting underwriting");
    expect(text).toContain(`Not issued yet (order ${underwriting.orderReference})`);
    expect(text).toContain("Lapsed");
    expect(text).toContain("Declined");
    expect(text).toContain("Medical history outside our appetite");
    expect(text).toContain(`${day("2026-01-15")} to ${day("2027-01-14")}`);
    // The next instalment is the second one (the first was paid with the order).
    expect(text).toContain(`${money(250_000)} due ${day("2026-02-15")}`);
    // Nobody else's, in this agency or another.
    expect(text).not.toContain(bobPolicy.policyNumber!);
    expect(text).not.toContain(carolPolicy.policyNumber!);
    // The account area's navigation.
    expect(res.text).toMatch(/<nav[^>]*aria-label="Your account"/);
    expect(res.text).toContain('href="/account/payments"');
  });

  it("pages at 20 and shows an empty state with a way to the storefront", async () => {
    const dave = await createUser(agency.id);
    const browser = await signIn(agency.host, dave.email);
    const empty = await browser.get("/account/policies");
    expect(empty.status).toBe(200);
    expect(textOf(empty.text)).toContain("You have no policies yet.");
    expect(empty.text).toContain('href="/products"');

    const made: PolicyFixture[] = [];
    for (let i = 0; i < 21; i += 1)
      made.push(await insertPolicy(agency.id, dave.id, { withCertificateFile: false, withReceiptFile: false }));
    const first = textOf((await browser.get("/account/policies")).text);
    const second = textOf((await browser.get("/account/policies?page=2")).text);
    const onFirst = made.filter((p) => first.includes(p.policyNumber!));
    const onSecond = made.filter((p) => second.includes(p.policyNumber!));
    expect(onFirst).toHaveLength(20);
    expect(onSecond).toHaveLength(1);
    // Newest first: the last one made is on page one, the first one made on page two.
    expect(onSecond[0]!.policyId).toBe(made[0]!.policyId);
    expect(first).toContain("Next →");
    // A nonsense page number is page one, not an error.
    expect((await browser.get("/account/policies?page=abc")).status).toBe(200);
  });

  it("asks a visitor to sign in", async () => {
    const res = await new Browser(agency.host).get("/account/policies");
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent("/account/policies")}`);
  });
});

describe("A policy's page", () => {
  it("shows the policy, the holder with masked identifiers, beneficiaries, the schedule and its payments", async () => {
    const res = await aliceBrowser.get(`/account/policies/${monthly.policyId}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain(monthly.policyNumber!);
    expect(text).toContain(monthly.productName);
    expect(text).toContain("Savannah General");
    expect(text).toContain(ALICE_HOLDER.name);
    expect(text).toContain("National ID ****5678");
    expect(text).toContain("KRA PIN A*******12Z");
    expect(text).toContain("Brian Kamau Son 60%");
    expect(text).toContain("Grace Kamau Daughter 40%");
    // The schedule: sequence, due date, amount, status.
    expect(text).toContain(`1 ${day("2026-01-15")} ${money(250_000)} Paid`);
    expect(text).toContain(`2 ${day("2026-02-15")} ${money(250_000)} Due`);
    expect(text).toContain(`3 ${day("2026-03-15")} ${money(250_000)} Scheduled`);
    expect(text).toContain(`Pay instalment 2: ${money(250_000)}, due ${day("2026-02-15")}`);
    expect(text).toContain(`Receipt ${monthly.receiptNumber}`);
    expect(res.text).not.toContain(monthly.certificateKey!);
    expect(linksIn(res.text)).toHaveLength(2);
  });

  it("does not exist for anyone else", async () => {
    expect((await bobBrowser.get(`/account/policies/${monthly.policyId}`)).status).toBe(404);
    // Another agency's customer, on their own agency's host, with this agency's policy id.
    expect((await carolBrowser.get(`/account/policies/${monthly.policyId}`)).status).toBe(404);
    expect((await aliceBrowser.get(`/account/policies/${carolPolicy.policyId}`)).status).toBe(404);
    expect((await aliceBrowser.get("/account/policies/not-a-uuid")).status).toBe(404);
  });

  it("says a certificate is being prepared while its file is not there yet, and offers no payment on a lapsed policy", async () => {
    const pending = await insertPolicy(agency.id, alice.id, { withCertificateFile: false, instalments: ["paid", "scheduled"] });
    await ownerDb().updateTable("policies").set({ certificate_file_key: null }).where("id", "=", pending.policyId).execute();
    const text = textOf((await aliceBrowser.get(`/account/policies/${pending.policyId}`)).text);
    expect(text).toContain("Being prepared");
    // The next scheduled instalment may be paid early.
    expect(text).toContain("Pay instalment 2");

    const lapsedPage = textOf((await aliceBrowser.get(`/account/policies/${lapsed.policyId}`)).text);
    expect(lapsedPage).toContain("This policy lapsed");
    expect(lapsedPage).not.toContain("Pay instalment");
    const declinedPage = textOf((await aliceBrowser.get(`/account/policies/${declined.policyId}`)).text);
    expect(declinedPage).toContain("The insurer declined this application: Medical history outside our appetite");
  });
});

describe("Signed downloads", () => {
  it("give the owner the file, with download headers", async () => {
    const page = await aliceBrowser.get(`/account/policies/${monthly.policyId}`);
    const [certificate] = linksIn(page.text);
    const res = await downloadBytes(aliceBrowser, certificate!);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="Certificate-TST-POL-[A-Z0-9-]+\.pdf"/);
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.body.equals(monthly.certificateBody!)).toBe(true);
  });

  it("refuse another signed-in customer, a visitor, a tampered or expired link, and another agency's host", async () => {
    const page = await aliceBrowser.get(`/account/policies/${monthly.policyId}`);
    const [certificate] = linksIn(page.text);

    const other = await bobBrowser.get(certificate!);
    expect(other.status).toBe(403);
    expect(textOf(other.text)).toContain("This link is not for your account");
    expect(other.text).not.toContain("%PDF");

    const visitor = await new Browser(agency.host).get(certificate!);
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/login\?redirectTo=%2Ffiles%2F/);

    // Point the link at another file by editing its payload: the signature no longer matches.
    const token = certificate!.slice("/files/".length);
    const [body, mac] = token.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    payload.k = bobPolicy.certificateKey;
    const forged = `/files/${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${mac}`;
    const tampered = await aliceBrowser.get(forged);
    expect(tampered.status).toBe(403);
    expect(textOf(tampered.text)).toContain("This download link is not valid");
    expect((await aliceBrowser.get(`${certificate!.slice(0, -2)}xx`)).status).toBe(403);
    expect((await aliceBrowser.get("/files/garbage")).status).toBe(403);

    const expired = signDownload({
      tenantId: agency.id,
      fileKey: monthly.certificateKey!,
      userId: alice.id,
      expiresInSeconds: 300,
      now: new Date(Date.now() - 10 * 60_000),
    });
    const late = await aliceBrowser.get(expired);
    expect(late.status).toBe(410);
    expect(textOf(late.text)).toContain("This download link has expired");

    // Alice's cookie is no good on the other agency's host, and the link belongs to this agency.
    const elsewhere = await carolBrowser.get(certificate!);
    expect(elsewhere.status).toBe(403);
  });

  it("serve receipts from the payment history too", async () => {
    const page = await aliceBrowser.get("/account/payments");
    const links = linksIn(page.text);
    expect(links.length).toBeGreaterThanOrEqual(4);
    const res = await downloadBytes(aliceBrowser, links[0]!);
    expect(res.status).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/filename="Receipt-TST-RCT-/);
    expect(res.body.subarray(0, 5).toString()).toBe("%PDF-");
  });
});

describe("The public certificate check", () => {
  it("confirms a valid certificate with its number, product and dates, and nothing about the holder", async () => {
    const res = await new Browser(agency.host).get(`/verify/${monthly.verificationCode}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Valid certificate");
    expect(text).toContain(monthly.policyNumber!);
    expect(text).toContain(monthly.productName);
    expect(text).toContain("Savannah General");
    expect(text).toContain(agency.name);
    expect(text).toContain(day("2026-01-15"));
    expect(text).toContain(day("2027-01-14"));
    for (const personal of [
      ALICE_HOLDER.name,
      ALICE_HOLDER.email,
      "Alice",
      "****5678",
      "A*******12Z",
      "Brian Kamau",
      alice.email,
      "0712345678",
    ]) {
      expect(res.text).not.toContain(personal);
    }
    expect(res.text).toMatch(/<meta name="robots" content="noindex/);
    expect(res.headers["x-robots-tag"]).toMatch(/noindex/);
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("says why a certificate is not valid", async () => {
    const check = async (code: string) => textOf((await new Browser(agency.host).get(`/verify/${code}`)).text);
    expect(await check(lapsed.verificationCode)).toContain("Not valid");
    expect(await check(lapsed.verificationCode)).toContain("lapsed");
    expect(await check(underwriting.verificationCode)).toContain("still being reviewed");
    expect(await check(declined.verificationCode)).toContain("declined");
    const ended = await insertPolicy(agency.id, alice.id, { startDate: "2020-01-01", withReceiptFile: false });
    expect(await check(ended.verificationCode)).toContain("cover period has ended");
  });

  it("answers an unknown code, a malformed one, and another agency's with the same friendly 404", async () => {
    for (const code of [randomBytes(12).toString("hex").toUpperCase(), "x", "%3Cscript%3E", carolPolicy.verificationCode]) {
      const res = await new Browser(agency.host).get(`/verify/${code}`);
      expect(res.status).toBe(404);
      expect(textOf(res.text)).toContain("We could not find a certificate with this code");
      expect(res.text).toMatch(/<meta name="robots" content="noindex/);
    }
  });
});

describe("Payment history", () => {
  it("lists the customer's own payments with refunds and receipts", async () => {
    const res = await aliceBrowser.get("/account/payments");
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    for (const p of [monthly, underwriting, lapsed, declined]) {
      expect(text).toContain(`Order ${p.orderReference}`);
      expect(text).toContain(p.receiptNumber);
    }
    expect(text).toContain("Partly refunded");
    expect(text).toContain(`${money(400_000)} refunded`);
    expect(text).not.toContain(bobPolicy.orderReference);
    expect(text).not.toContain(carolPolicy.orderReference);
  });

  it("shows one payment's status to its owner only", async () => {
    const res = await aliceBrowser.get(`/account/payments/${monthly.transactionId}`);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("Payment received");
    expect(text).toContain(`Download receipt ${monthly.receiptNumber}`);
    expect((await bobBrowser.get(`/account/payments/${monthly.transactionId}`)).status).toBe(404);
    expect((await carolBrowser.get(`/account/payments/${monthly.transactionId}`)).status).toBe(404);
    expect((await aliceBrowser.get("/account/payments/nope")).status).toBe(404);
  });
});

describe("Paying the next instalment with the sandbox", () => {
  it("refuses an instalment that is not next, and checks the phone", async () => {
    const later = await aliceBrowser.post(`/account/policies/${monthly.policyId}`, {
      instalmentId: monthly.instalments[2]!.id,
      method: "mpesa",
      phone: "0712345678",
    });
    expect(later.status).toBe(400);
    expect(textOf(later.text)).toContain("Please pay the earlier instalment first.");

    const badPhone = await aliceBrowser.post(`/account/policies/${monthly.policyId}`, {
      instalmentId: monthly.instalments[1]!.id,
      method: "mpesa",
      phone: "12345",
    });
    expect(badPhone.status).toBe(400);
    expect(textOf(badPhone.text)).toContain("Enter a Kenyan mobile number");

    const notHers = await bobBrowser.post(`/account/policies/${monthly.policyId}`, {
      instalmentId: monthly.instalments[1]!.id,
      method: "mpesa",
      phone: "0712345678",
    });
    expect(notHers.status).toBe(404);
  });

  it("sends the customer to the sandbox phone, and an approval pays the instalment", async () => {
    const started = await aliceBrowser.post(`/account/policies/${monthly.policyId}`, {
      instalmentId: monthly.instalments[1]!.id,
      method: "mpesa",
      phone: "0712 345 678",
    });
    expect(started.status, textOf(started.text).slice(0, 400)).toBe(302);
    expect(started.location).toMatch(/^\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);

    const phone = await aliceBrowser.get(started.location!);
    expect(phone.status).toBe(200);
    const screen = textOf(phone.text);
    expect(screen).toContain("Sandbox — no real money");
    expect(screen).toContain(`Enter M-Pesa PIN to pay ${money(250_000)} to ${agency.name}`);

    const noPin = await aliceBrowser.post(started.location!, { choice: "approve", pin: "12" });
    expect(noPin.status).toBe(400);
    expect(textOf(noPin.text)).toContain("Enter a 4-digit PIN.");

    const approved = await aliceBrowser.post(started.location!, { choice: "approve", pin: "1234" });
    expect(approved.status).toBe(302);
    expect(approved.location).toMatch(/^\/account\/payments\/[0-9a-f-]{36}$/);
    const transactionId = approved.location!.split("/").pop()!;

    await eventually(async () => {
      const row = await ownerDb()
        .selectFrom("instalments")
        .select("status")
        .where("id", "=", monthly.instalments[1]!.id)
        .executeTakeFirst();
      return row?.status === "paid";
    });
    const status = textOf((await aliceBrowser.get(`/account/payments/${transactionId}`)).text);
    expect(status).toContain("Payment received");
    expect(status).toContain(`${monthly.policyNumber}, instalment 2`);

    // The phone now shows where the payment ended, not the buttons.
    const after = await aliceBrowser.get(started.location!);
    expect(textOf(after.text)).toContain("This payment is paid.");
    expect(after.text).not.toContain('value="approve"');

    // The next one is now the third.
    expect(textOf((await aliceBrowser.get(`/account/policies/${monthly.policyId}`)).text)).toContain("Pay instalment 3");
  });

  it("sends an order's payment back to its checkout page after a decline", async () => {
    const ref = `sbx_${randomBytes(12).toString("hex")}`;
    const tx = await withTenant(agency.id, (db) =>
      db
        .insertInto("transactions")
        .values({
          order_id: bobPolicy.orderId,
          user_id: bob.id,
          provider: "sandbox",
          method: "card",
          mode: "test",
          amount_minor: 99_900,
          currency: "KES",
          provider_ref: ref,
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    const card = await bobBrowser.get(`/sandbox/pay/${ref}`);
    expect(card.status).toBe(200);
    expect(textOf(card.text)).toContain("4242 4242 4242 4242");
    const badCard = await bobBrowser.post(`/sandbox/pay/${ref}`, { choice: "approve", cardNumber: "1234", expiry: "01/20", cvc: "1" });
    expect(badCard.status).toBe(400);
    const badText = textOf(badCard.text);
    expect(badText).toContain("Enter a valid card number");
    expect(badText).toContain("Enter a future expiry date");
    expect(badText).toContain("security code");

    const declinedRes = await bobBrowser.post(`/sandbox/pay/${ref}`, { choice: "decline" });
    expect(declinedRes.status).toBe(302);
    expect(declinedRes.location).toBe(`/checkout/${bobPolicy.orderId}/pay/${tx.id}`);
    await eventually(async () => {
      const row = await ownerDb().selectFrom("transactions").select("status").where("id", "=", tx.id).executeTakeFirst();
      return row?.status === "failed";
    });
  });

  it("does not exist for an unknown or malformed reference", async () => {
    expect((await aliceBrowser.get(`/sandbox/pay/sbx_${"0".repeat(24)}`)).status).toBe(404);
    expect((await aliceBrowser.get("/sandbox/pay/nonsense")).status).toBe(404);
    expect((await aliceBrowser.post("/sandbox/pay/nonsense", { choice: "approve" })).status).toBe(404);
  });
});

/** A download as bytes (the Browser helper decodes bodies as text). */
async function downloadBytes(browser: Browser, path: string) {
  const http = await import("node:http");
  const { inject } = await import("vitest");
  const port = inject("appPort");
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "GET", headers: { host: `${browser.host}:${port}`, cookie } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

import { crc32, deflateSync } from "node:zlib";
import path from "node:path";
import jsQR from "jsqr";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { Browser, ConsoleMessage, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium, siteUrl } from "../support/browser";
import { eventually, ownerDb } from "../support/db";
import { autoDebitInstalment } from "~/modules/payments/autodebit.server";
import { quoteDateIn } from "~/modules/rating/dates";
import { tenantById } from "~/modules/tenancy/resolve.server";

/**
 * Buying cover in a real browser, from the cart to a certificate that checks out:
 * - Bowman, on a desktop and on a phone: a motor policy paid in full (its logbook uploaded at
 *   checkout) and a medical plan paid monthly, in one order paid with the sandbox M-Pesa; the
 *   order confirmation shows both policy numbers once the issuance job has run; "My policies"
 *   lists them; the certificate downloads as a PDF naming the policy and its holder, whose QR code
 *   opens the public verification page (valid, the policy number, never the holder's name); the
 *   outbox has one documents email for the order, with the certificates and the receipt.
 * - KHHoldings: the Medical Card and a Hibah plan (beneficiaries 60/40) with the sandbox card.
 * - Bowman: the sandbox M-Pesa prompt declined, the failure shown with "Try again", then approved.
 * Every customer is new (the demo tenants' database is shared by every test file).
 */

const PASSWORD = "Safari#2026";

interface Viewport {
  label: string;
  width: number;
  height: number;
}
const DESKTOP: Viewport = { label: "desktop", width: 1280, height: 900 };
const PHONE: Viewport = { label: "phone", width: 390, height: 844 };

function yearIn(timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(new Date()));
}

function text(locator: Locator): Promise<string> {
  return locator.textContent().then((t) => (t ?? "").replace(/\s+/g, " ").trim());
}

const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** A real 16×16 PNG (a "photo of the logbook"): signature, IHDR, deflated IDAT, IEND, with CRCs. */
function logbookPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const size = 16;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) rows.set([x * 16, y * 16, 128], y * (size * 3 + 1) + 1 + x * 3);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// PDFs read back as a customer's viewer reads them (as in tests/integration/documents-pdf.test.ts)

interface PdfImage {
  width: number;
  height: number;
  kind: 1 | 2 | 3;
  data: Uint8Array | Uint8ClampedArray;
}

function toRgba({ width, height, kind, data }: PdfImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  if (kind === 3) {
    out.set(data);
  } else if (kind === 2) {
    for (let p = 0, s = 0; p < width * height; p++, s += 3) out.set([data[s]!, data[s + 1]!, data[s + 2]!, 255], p * 4);
  } else {
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const v = (data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0;
        out.set([v, v, v, 255], (y * width + x) * 4);
      }
  }
  return out;
}

/** The text of every page, and every QR code found in the page images. */
async function readPdf(bytes: Buffer): Promise<{ text: string; qrCodes: string[] }> {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    standardFontDataUrl: path.resolve("node_modules/pdfjs-dist/standard_fonts") + "/",
    verbosity: 0,
  }).promise;
  try {
    const parts: string[] = [];
    const qrCodes: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      for (const item of (await page.getTextContent()).items) if ("str" in item) parts.push(item.str);
      const ops = await page.getOperatorList();
      for (let i = 0; i < ops.fnArray.length; i++) {
        if (ops.fnArray[i] !== OPS.paintImageXObject) continue;
        const id = ops.argsArray[i][0] as string;
        const store = id.startsWith("g_") ? page.commonObjs : page.objs;
        const image = (await new Promise((resolve) => store.get(id, resolve))) as PdfImage;
        const code = jsQR(toRgba(image), image.width, image.height);
        if (code) qrCodes.push(code.data);
      }
    }
    return { text: parts.join(" ").replace(/\s+/g, " "), qrCodes };
  } finally {
    await doc.destroy();
  }
}

/** A download fetched by the page itself, with its cookies (Node cannot resolve *.localhost; Chromium can). */
async function download(page: Page, href: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const got = await page.evaluate(async (url) => {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { status: response.status, type: response.headers.get("content-type"), base64: btoa(binary) };
  }, href);
  return { status: got.status, type: got.type, bytes: Buffer.from(got.base64, "base64") };
}

// ---------------------------------------------------------------------------------------------

interface Holder {
  name: string;
  phone: string;
  dateOfBirth: string;
  address: string;
  identifiers: Record<string, string>;
  beneficiaries?: { name: string; relationship: string; share: string }[];
}

const KENYAN: Holder = {
  name: "Wanjiru Kamau",
  phone: "0712 345 678",
  dateOfBirth: "1988-03-14",
  address: "P.O. Box 4410-00100, Nairobi",
  identifiers: { "National ID number": "12345678", "KRA PIN": "A123456789Z" },
};

const MALAYSIAN: Holder = {
  name: "Nur Aisyah binti Ahmad",
  phone: "012-345 6789",
  // The MyKad number starts with the date of birth (YYMMDD); 10 is Selangor.
  dateOfBirth: "1985-04-12",
  address: "12 Jalan Ampang, 50450 Kuala Lumpur",
  identifiers: { "MyKad (NRIC) number": "850412-10-1234" },
  beneficiaries: [
    { name: "Ahmad bin Ismail", relationship: "spouse", share: "60" },
    { name: "Siti Hajar binti Ahmad", relationship: "child", share: "40" },
  ],
};

describe.skipIf(!hasChromium)("buying cover: checkout, payment, issuance and the certificate", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(host: string, viewport: Viewport) {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error") errors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    return { context, page, errors, url: (p: string) => siteUrl(host, p) };
  }

  /** A product page's quote form, filled by `fill`, quoted, then put in the cart. */
  async function quoteIntoCart(page: Page, url: (p: string) => string, slug: string, fill: (form: Locator) => Promise<void>) {
    await page.goto(url(`/products/${slug}`));
    const form = page.locator("section#quote");
    await fill(form);
    await form.getByRole("button", { name: "Get my quote" }).click();
    await page.waitForURL(/\/quotes\/[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(url("/cart"));
  }

  /** From the cart: a new account, signed in (the cart comes along), then Checkout. Returns the order id. */
  async function registerAndCheckOut(page: Page, url: (p: string) => string, name: string, email: string, items: number) {
    await page.getByRole("link", { name: "Create account" }).click();
    await page.getByRole("heading", { level: 1, name: "Create your account" }).waitFor();
    await page.getByLabel("Full name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByLabel(/terms/i).check();
    await page.getByRole("button", { name: "Create account" }).click();
    // Registering answers "check your email" and signs no one in; signing in brings the cart along.
    await page.getByRole("heading", { level: 1, name: "Check your email" }).waitFor();
    await page.getByRole("link", { name: "Sign in" }).last().click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Your account", exact: true }).waitFor();
    await page.goto(url("/cart"));
    await expect(page.locator("table.cart-items tbody tr").count()).resolves.toBe(items);
    await page.getByRole("button", { name: "Checkout", exact: true }).click();
    await page.waitForURL(/\/checkout\/[0-9a-f-]{36}\/details$/);
    return /\/checkout\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
  }

  /** Step 1: the holder (name and email come from the account), identity numbers, beneficiaries. */
  async function fillDetails(page: Page, holder: Holder, email: string) {
    await page.getByRole("heading", { level: 1, name: "Your details" }).waitFor();
    await expect(page.getByLabel("Full name").first().inputValue()).resolves.toBe(holder.name);
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe(email);
    await page.getByLabel("Phone").fill(holder.phone);
    await page.getByLabel("Date of birth").fill(holder.dateOfBirth);
    await page.getByLabel("Address").fill(holder.address);
    for (const [label, value] of Object.entries(holder.identifiers)) await page.getByLabel(label, { exact: true }).fill(value);
    for (const [i, b] of (holder.beneficiaries ?? []).entries()) {
      await page.locator(`#beneficiary-${i}-name`).fill(b.name);
      await page.locator(`#beneficiary-${i}-relationship`).selectOption(b.relationship);
      await page.locator(`#beneficiary-${i}-share`).fill(b.share);
    }
  }

  async function saveDetails(page: Page) {
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForURL(/\/plan$/);
    await page.getByRole("heading", { level: 1, name: "Payment plan" }).waitFor();
  }

  /** Step 3: the identity numbers only ever masked; the terms accepted. Returns what is due now. */
  async function review(page: Page, holder: Holder): Promise<string> {
    await page.getByRole("button", { name: "Continue to review" }).click();
    await page.waitForURL(/\/review$/);
    await page.getByRole("heading", { level: 1, name: "Review your order" }).waitFor();
    const summary = await text(page.locator("main"));
    expect(summary).toContain(holder.name);
    for (const value of Object.values(holder.identifiers)) {
      expect(summary).not.toContain(value);
      expect(summary).toContain(value.slice(-4));
    }
    for (const b of holder.beneficiaries ?? []) expect(summary).toContain(`${b.name} (`);
    await page.getByLabel(/I have read the policy terms/).check();
    await page.getByRole("button", { name: "Accept and continue to payment" }).click();
    await page.waitForURL(/\/pay$/);
    await page.getByRole("heading", { level: 1, name: "Pay", exact: true }).waitFor();
    return text(page.locator(".pay-total"));
  }

  /**
   * Step 4: pay; the sandbox page stands in for the phone or the card, asking for `charged`: the
   * amount due, or by M-Pesa, which moves whole shillings, the amount due with its cents waived
   * (which the pay page says).
   */
  async function startPaying(page: Page, url: (p: string) => string, dueNow: string, method: "mpesa" | "card"): Promise<string> {
    const charged = method === "mpesa" ? dueNow.replace(/\.\d{2}$/, ".00") : dueNow;
    if (charged !== dueNow) await page.getByText(`so you pay ${charged} (the cents are on us)`).waitFor();
    // When M-Pesa would take less than the card, the button cannot name one amount.
    await page.getByRole("button", { name: charged !== dueNow ? "Pay now" : `Pay ${dueNow}` }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    await page.locator("h1#sandbox-title").waitFor();
    await expect(text(page.locator("main"))).resolves.toMatch(
      new RegExp(`Payment [A-Z]+-ORD-\\d{4}-\\d{6} · ${charged.replace(/[.$]/g, "\\$&")}`),
    );
    expect(page.url().startsWith(url("/"))).toBe(true);
    return charged;
  }

  async function approveMpesa(page: Page) {
    await page.getByRole("heading", { level: 1, name: "M-Pesa payment request" }).waitFor();
    await page.getByLabel("M-Pesa PIN").fill("1234");
    await page.getByRole("button", { name: "Approve" }).click();
  }

  /**
   * The order confirmation, once the issuance job has numbered every policy (the page refreshes
   * itself). Returns each product's policy number and page.
   */
  async function confirmation(page: Page, url: (p: string) => string, orderId: string, products: string[], numberPattern: RegExp) {
    await page.waitForURL(url(`/orders/${orderId}`), { timeout: 20_000 });
    await page.getByRole("heading", { level: 1, name: "Thank you: your order is paid" }).waitFor();
    const items = page.locator("li.order-item");
    const issued = items.locator(".order-item-policy a");
    await expect.poll(() => issued.count(), { timeout: 20_000 }).toBe(products.length);
    await expect(page.getByText("Being issued…").count()).resolves.toBe(0);
    const policies: { product: string; number: string; href: string }[] = [];
    for (const product of products) {
      const item = items.filter({ hasText: product });
      await expect(item.count()).resolves.toBe(1);
      const link = item.locator(".order-item-policy a");
      const number = await text(link);
      expect(number).toMatch(numberPattern);
      await expect(text(item.locator(".badge"))).resolves.toBe("Active");
      policies.push({ product, number, href: (await link.getAttribute("href"))! });
    }
    expect(new Set(policies.map((p) => p.number)).size).toBe(products.length);
    return policies;
  }

  /** "My policies" lists exactly this new customer's policies. */
  async function myPolicies(page: Page, url: (p: string) => string, policies: { product: string; number: string }[]) {
    await page.goto(url("/account/policies"));
    await page.getByRole("heading", { level: 1, name: "My policies" }).waitFor();
    const cards = page.locator("ul.policy-list > li");
    await expect(cards.count()).resolves.toBe(policies.length);
    for (const p of policies) {
      const card = cards.filter({ hasText: p.number });
      await expect(card.count()).resolves.toBe(1);
      await expect(text(card)).resolves.toContain(p.product);
    }
  }

  /**
   * The policy page's certificate: a PDF naming the policy and its holder, whose QR code opens the
   * agency's verification page; that page confirms the policy and keeps the holder's name to itself.
   * The receipt downloads too.
   */
  async function certificate(
    page: Page,
    host: string,
    policy: { product: string; number: string },
    holder: Holder,
  ): Promise<{ pdf: string; page: string }> {
    await page.goto(siteUrl(host, "/account/policies"));
    await page.getByRole("link", { name: `View ${policy.product} ${policy.number}` }).click();
    await page.waitForURL(/\/account\/policies\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: `${policy.product} · ${policy.number}` }).waitFor();

    // The certificate is rendered just after the policy is numbered: until then the page says
    // "Being prepared — refresh this page in a minute", and the customer refreshes.
    const certificateLink = page.getByRole("link", { name: "Download certificate (PDF)" });
    await expect
      .poll(
        async () => {
          if (await certificateLink.count()) return true;
          await page.waitForTimeout(500);
          await page.reload();
          return false;
        },
        { timeout: 20_000, interval: 10 },
      )
      .toBe(true);
    const pdf = await download(page, (await certificateLink.getAttribute("href"))!);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toMatch(/^application\/pdf/);
    expect(pdf.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const read = await readPdf(pdf.bytes);
    expect(read.text).toContain(policy.number);
    expect(read.text).toContain(holder.name);
    expect(read.qrCodes).toHaveLength(1);
    const verifyUrl = read.qrCodes[0]!;
    expect(verifyUrl).toMatch(new RegExp(`^https?://${host.replace(/\./g, "\\.")}(:\\d+)?/verify/[A-Za-z0-9]+$`));
    expect(read.text.replace(/\s/g, "")).toContain(verifyUrl);

    const receipt = await download(page, (await page.getByRole("link", { name: "Download receipt (PDF)" }).getAttribute("href"))!);
    expect(receipt.status).toBe(200);
    expect(receipt.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // What anyone scanning the code sees: signed out, in a fresh browser.
    const stranger = await browser.newContext();
    try {
      const verify = await stranger.newPage();
      const errors: string[] = [];
      verify.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      verify.on("pageerror", (e) => errors.push(e.message));
      const response = await verify.goto(verifyUrl);
      expect(response?.status()).toBe(200);
      await verify.getByRole("heading", { level: 1, name: "Valid certificate" }).waitFor();
      const shown = await text(verify.locator("main"));
      expect(shown).toContain("This policy is in force.");
      expect(shown).toContain(policy.number);
      expect(shown).toContain(policy.product);
      expect(shown).not.toContain(holder.name);
      for (const part of holder.name.split(" ").filter((w) => w.length > 3)) expect(shown).not.toContain(part);
      for (const value of Object.values(holder.identifiers)) expect(shown).not.toContain(value.slice(-4));
      expect(errors).toEqual([]);
    } finally {
      await stranger.close();
    }
    return { pdf: read.text, page: await text(page.locator("main")) };
  }

  /** One documents email for the order, delivered to the outbox, with every certificate and the receipt. */
  async function documentsEmail(orderId: string, email: string, policies: { number: string }[]) {
    const db = ownerDb();
    const message = await eventually(() =>
      db
        .selectFrom("messages")
        .selectAll()
        .where("dedupe_key", "=", `order_documents:${orderId}:email`)
        .where("status", "=", "outbox")
        .executeTakeFirst(),
    );
    const sent = await db
      .selectFrom("messages")
      .select(["id", "template"])
      .where("recipient", "=", email)
      .where("template", "=", "policy_documents")
      .execute();
    expect(sent).toHaveLength(1);
    expect(message.template).toBe("policy_documents");
    expect(message.recipient).toBe(email);
    const names = message.attachments.map((a) => a.filename).sort();
    expect(names).toEqual([...policies.map((p) => `${p.number}.pdf`), expect.stringMatching(/-RCT-\d{4}-\d{6}\.pdf$/)].sort());
    expect(message.attachments.every((a) => a.contentType === "application/pdf")).toBe(true);
  }

  // -------------------------------------------------------------------------------------------

  const MOTOR = { slug: "savannah-private-comprehensive", name: "Savannah Crest Private Motor Comprehensive" };
  const MEDICAL = { slug: "zawadi-individual-health", name: "Zawadi Individual Health Plan" };

  for (const viewport of [DESKTOP, PHONE])
    it(`Bowman (${viewport.label}): motor and medical in one order, paid with the sandbox M-Pesa, issued with a certificate that verifies`, async () => {
      const host = "bowman.localhost";
      const { context, page, errors, url } = await open(host, viewport);
      const email = uniqueEmail(`checkout-bowman-${viewport.label}`);

      await quoteIntoCart(page, url, MOTOR.slug, async (form) => {
        await form.getByLabel("Vehicle value (KES)").fill("1,850,000");
        await form.getByLabel("Year of manufacture").fill(String(yearIn("Africa/Nairobi") - 5));
        await form.getByLabel("Vehicle use").selectOption("private");
        await form.getByLabel("Registration number (optional)").fill("KDA 123A");
        await form.getByLabel("How would you like to pay?").selectOption("annual");
      });
      await quoteIntoCart(page, url, MEDICAL.slug, async (form) => {
        await form.getByLabel("Inpatient limit").selectOption("500k");
        await form.getByLabel("Principal member: age").fill("38");
        await form.getByLabel("How would you like to pay?").selectOption("monthly");
      });
      const orderId = await registerAndCheckOut(page, url, KENYAN.name, email, 2);

      // 1. Details, with the logbook for the car.
      await fillDetails(page, KENYAN, email);
      await page.getByLabel(`Vehicle logbook for ${MOTOR.name}`).setInputFiles({
        name: "logbook.png",
        mimeType: "image/png",
        buffer: logbookPng(),
      });
      await saveDetails(page);

      // 2. The car paid in full, the medical plan monthly; M-Pesa from 0712 345 678.
      await page
        .getByRole("group", { name: new RegExp(MOTOR.name) })
        .getByRole("radio", { name: /^Pay in full/ })
        .check();
      await page
        .getByRole("group", { name: new RegExp(MEDICAL.name) })
        .getByRole("radio", { name: /^Monthly/ })
        .check();
      await page.getByRole("radio", { name: /^M-Pesa \(sandbox\)/ }).check();
      await page.getByLabel("M-Pesa phone number").fill("0712345678");

      // 3. Review: the plan chosen, the logbook attached, the phone the prompt goes to.
      const dueNow = await review(page, KENYAN);
      expect(dueNow).toMatch(/^Ksh\s[\d,]+\.\d{2}$/);
      await page.getByRole("radio", { name: "M-Pesa (sandbox)" }).waitFor();
      await expect(page.getByLabel("M-Pesa phone number").inputValue()).resolves.toBe("+254 712 345 678");

      // 4. Pay: the sandbox "phone" asks for the PIN; approving it pays the order.
      const charged = await startPaying(page, url, dueNow, "mpesa");
      await expect(text(page.locator("main"))).resolves.toContain(`Enter M-Pesa PIN to pay ${charged} to Bowman Insurance.`);
      await expect(text(page.locator("main"))).resolves.toContain("+254 7** *** 678");
      await approveMpesa(page);
      const year = yearIn("Africa/Nairobi");
      const policies = await confirmation(page, url, orderId, [MOTOR.name, MEDICAL.name], new RegExp(`^BWM-POL-${year}-\\d{6}$`));
      await expect(text(page.locator("main"))).resolves.toContain(`${charged} by M-Pesa`);

      await myPolicies(page, url, policies);
      const motor = await certificate(page, host, policies[0]!, KENYAN);
      // The holder's national ID (masked), not their tax PIN; the car's declared value, not the product's ceiling.
      expect(motor.pdf).toContain("ID number ****5678");
      expect(motor.pdf).toMatch(/SUM INSURED Ksh 1,850,000\.00/i);
      expect(motor.pdf).not.toContain("30,000,000");
      // The yearly premium is before levies and the bundle discount, and says so.
      expect(motor.page).toMatch(/Ksh [\d,]+\.\d{2} a year before levies, less a Ksh [\d,]+\.\d{2} discount, paid yearly/);
      await documentsEmail(orderId, email, policies);

      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);

  it("KHHoldings: the Medical Card and a Hibah plan with beneficiaries, paid by card in the sandbox", async () => {
    const host = "khholdings.localhost";
    const { context, page, errors, url } = await open(host, DESKTOP);
    const email = uniqueEmail("checkout-khholdings");
    const medical = "Medical Card";
    const hibah = "Hibah Senior Care Gold 270";

    await quoteIntoCart(page, url, "medical-card", async () => {});
    await quoteIntoCart(page, url, "hibah-senior-care-gold-270", async (form) => {
      await form.getByLabel("How would you like to pay?").selectOption("annual");
    });
    const orderId = await registerAndCheckOut(page, url, MALAYSIAN.name, email, 2);

    // A MyKad number that is not one is refused, with what is wrong, and nothing typed is lost.
    await fillDetails(page, { ...MALAYSIAN, identifiers: { "MyKad (NRIC) number": "851332-10-1234" } }, email);
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.getByText("The first six digits of a MyKad number are a date of birth (YYMMDD).").waitFor();
    expect(new URL(page.url()).pathname).toBe(`/checkout/${orderId}/details`);
    await expect(page.locator("#beneficiary-1-name").inputValue()).resolves.toBe(MALAYSIAN.beneficiaries![1]!.name);
    await fillDetails(page, MALAYSIAN, email);
    await saveDetails(page);

    // Card is the only way to pay in ringgit.
    await expect(page.getByRole("radio", { name: /M-Pesa/ }).count()).resolves.toBe(0);
    await page.getByRole("radio", { name: /^Card \(sandbox\)/ }).check();
    const dueNow = await review(page, MALAYSIAN);
    expect(dueNow).toBe("RM 1,950.00"); // RM 150.00 + RM 1,800.00, both paid in full

    await startPaying(page, url, dueNow, "card");
    await page.getByRole("heading", { level: 1, name: "Card payment" }).waitFor();
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/34");
    await page.getByLabel("Security code").fill("123");
    await page.getByRole("button", { name: `Pay ${dueNow}` }).click();
    const year = yearIn("Asia/Kuala_Lumpur");
    const policies = await confirmation(page, url, orderId, [medical, hibah], new RegExp(`^KHH-POL-${year}-\\d{6}$`));
    await expect(text(page.locator("main"))).resolves.toContain(`${dueNow} by Card`);

    await myPolicies(page, url, policies);
    // The Hibah plan's certificate names its beneficiaries; the Medical Card's, which has none, does not.
    const hibahCertificate = await certificate(page, host, policies[1]!, MALAYSIAN);
    expect(hibahCertificate.pdf).toContain("ID number ******-**-1234");
    expect(hibahCertificate.pdf).toContain("SUM INSURED RM 60,000.00"); // a fixed plan: its benefit
    for (const b of MALAYSIAN.beneficiaries!) expect(hibahCertificate.pdf).toContain(`${b.name} ${b.relationship} ${b.share}%`);
    const medicalCertificate = await certificate(page, host, policies[0]!, MALAYSIAN);
    expect(medicalCertificate.pdf).not.toMatch(/beneficiar/i);
    for (const b of MALAYSIAN.beneficiaries!) expect(medicalCertificate.pdf).not.toContain(b.name);
    await documentsEmail(orderId, email, policies);

    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("KHHoldings: a monthly Hibah plan paid by FPX, then a direct debit mandate whose authorisation pays the next instalment and which debits the one after", async () => {
    const host = "khholdings.localhost";
    const { context, page, errors, url } = await open(host, DESKTOP);
    const email = uniqueEmail("checkout-fpx");
    const hibah = "Hibah Senior Care Gold 270";

    await quoteIntoCart(page, url, "hibah-senior-care-gold-270", async (form) => {
      await form.getByLabel("How would you like to pay?").selectOption("monthly");
    });
    const orderId = await registerAndCheckOut(page, url, MALAYSIAN.name, email, 1);
    await fillDetails(page, MALAYSIAN, email);
    await saveDetails(page);
    await page.getByRole("radio", { name: /^FPX online banking \(sandbox\)/ }).check();
    const dueNow = await review(page, MALAYSIAN);

    // The bank comes from the provider's list; the one that is offline cannot be chosen.
    const bank = page.getByLabel("Your bank (FPX)");
    await expect(bank.locator("option", { hasText: "RHB Now (sandbox) (offline now)" }).isDisabled()).resolves.toBe(true);
    await bank.selectOption({ label: "Maybank2u (sandbox)" });
    await page.getByRole("button", { name: `Pay ${dueNow}` }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    await page.getByRole("heading", { level: 1, name: "Online banking payment" }).waitFor();
    await expect(text(page.locator("main"))).resolves.toContain("Log in to Maybank2u (sandbox)");
    await page.getByRole("button", { name: `Pay ${dueNow}` }).click();
    const [policy] = await confirmation(page, url, orderId, [hibah], new RegExp(`^KHH-POL-${yearIn("Asia/Kuala_Lumpur")}-\\d{6}$`));
    await expect(text(page.locator("main"))).resolves.toContain(`${dueNow} by FPX online banking`);

    // The order page offers the automatic debit; the member consents and authorises it at the bank.
    await page.getByRole("link", { name: `Set up automatic debit for ${policy!.number}` }).click();
    await page.waitForURL(/\/account\/policies\/[0-9a-f-]{36}#autodebit$/);
    await page.locator("section#autodebit").getByLabel("Your bank (FPX)").selectOption({ label: "Maybank2u (sandbox)" });
    // Curlec takes a payment to authorise by FPX: the consent says it pays the next instalment now, early.
    const consent = page.locator("section#autodebit").getByLabel(/I authorise/);
    const consentText = await text(page.locator("label[for=mandate-consent]"));
    expect(consentText).toContain(`My bank will debit ${dueNow} now for the instalment due on`);
    expect(consentText).toContain("paying it early");
    await consent.check();
    await page.locator("section#autodebit").getByRole("button", { name: "Authorise at my bank" }).click();
    await page.waitForURL(/\/sandbox\/mandate\/sbxm_[a-f0-9]{24}$/);
    await page.getByRole("heading", { level: 1, name: "Authorise a direct debit" }).waitFor();
    await expect(text(page.locator("main"))).resolves.toContain(`Authorising pays ${dueNow} now`);
    await page.getByRole("button", { name: "Authorise" }).click();
    await page.waitForURL(/\/account\/policies\/[0-9a-f-]{36}$/);
    const policyId = /\/account\/policies\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    // The bank's answer comes back as a signed callback, applied by a job: then the page shows it.
    const db = ownerDb();
    await eventually(async () => {
      const row = await db.selectFrom("policies").select("autodebit_method_id").where("id", "=", policyId).executeTakeFirstOrThrow();
      return row.autodebit_method_id;
    }, 20_000);
    await page.goto(url(`/account/policies/${policyId}`));
    await expect(text(page.locator("section#autodebit .badge"))).resolves.toBe("Active");
    await expect(text(page.locator("section#autodebit"))).resolves.toContain("Maybank2u (sandbox)");

    const instalment = (sequence: number) =>
      db
        .selectFrom("instalments")
        .select(["id", "tenant_id", "status"])
        .where("policy_id", "=", policyId)
        .where("sequence", "=", sequence)
        .executeTakeFirstOrThrow();
    const paymentsOf = (instalmentId: string) =>
      db.selectFrom("transactions").select(["method", "status", "payment_method_id"]).where("instalment_id", "=", instalmentId).execute();
    // The authorisation paid the second instalment, once.
    const second = await instalment(2);
    await eventually(async () => (await instalment(2)).status === "paid", 20_000);
    const [authorisation, ...more] = await paymentsOf(second.id);
    expect(more).toEqual([]);
    expect(authorisation).toMatchObject({ method: "fpx", status: "completed" });
    expect(authorisation!.payment_method_id).not.toBeNull();
    const tenant = (await tenantById(second.tenant_id))!;
    await expect(autoDebitInstalment(tenant, second.id)).resolves.toBe("skipped");

    // The third instalment falls due (its date brought to today) and the auto-debit job debits it through the mandate.
    const third = await instalment(3);
    await db
      .updateTable("instalments")
      .set({ status: "due", due_date: quoteDateIn("Asia/Kuala_Lumpur") })
      .where("id", "=", third.id)
      .execute();
    await expect(autoDebitInstalment(tenant, third.id)).resolves.toBe("completed");
    await eventually(async () => (await instalment(3)).status === "paid", 20_000);
    const [debit] = await paymentsOf(third.id);
    expect(debit).toMatchObject({ method: "fpx", status: "completed", payment_method_id: authorisation!.payment_method_id });

    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("Bowman: a declined M-Pesa prompt says so and offers to try again; the second attempt pays", async () => {
    const host = "bowman.localhost";
    const { context, page, errors, url } = await open(host, DESKTOP);
    const email = uniqueEmail("checkout-decline");
    const travel = "Savannah Crest East Africa Safari Travel";

    await quoteIntoCart(page, url, "savannah-east-africa-travel", async (form) => {
      await form.getByLabel("Trip length (days)").fill("10");
      await form.getByLabel("Plan").selectOption("basic");
    });
    const orderId = await registerAndCheckOut(page, url, KENYAN.name, email, 1);
    await fillDetails(page, KENYAN, email);
    await saveDetails(page);
    await page.getByRole("radio", { name: /^M-Pesa \(sandbox\)/ }).check();
    await page.getByLabel("M-Pesa phone number").fill("0712345678");
    const dueNow = await review(page, KENYAN);

    // Declined on the phone: back on the status page, the failure and a way to try again.
    const charged = await startPaying(page, url, dueNow, "mpesa");
    await page.getByRole("button", { name: "Wrong PIN / decline" }).click();
    await page.waitForURL(new RegExp(`/checkout/${orderId}/pay/[0-9a-f-]{36}$`));
    await page.getByRole("heading", { level: 1, name: "The payment did not go through" }).waitFor();
    const alert = await text(page.locator(".alert"));
    expect(alert).toContain("declined");
    expect(alert).toContain("Nothing was taken from your account.");
    await page.getByRole("link", { name: "Change how to pay" }).waitFor();
    const firstAttempt = page.url();

    // Try again: a new prompt, approved this time.
    await page.getByRole("button", { name: "Try again" }).click();
    await page.waitForURL(/\/sandbox\/pay\/sbx_[a-f0-9]{24}$/);
    await page.getByRole("heading", { level: 1, name: "M-Pesa payment request" }).waitFor();
    await expect(text(page.locator("main"))).resolves.toContain(`Enter M-Pesa PIN to pay ${charged} to Bowman Insurance.`);
    await approveMpesa(page);
    const policies = await confirmation(page, url, orderId, [travel], new RegExp(`^BWM-POL-${yearIn("Africa/Nairobi")}-\\d{6}$`));
    // One payment for the order; the declined one stays declined and leads back to the order.
    const payments = page.locator("section[aria-labelledby=order-payments] li");
    await expect(payments.count()).resolves.toBe(1);
    await expect(text(payments.first())).resolves.toContain(`${charged} by M-Pesa`);
    expect(policies).toHaveLength(1);
    // The old attempt's "Try again", once the order is paid, leads to the order and charges nothing.
    await page.goto(firstAttempt);
    await page.getByRole("heading", { level: 1, name: "The payment did not go through" }).waitFor();
    await page.getByRole("button", { name: "Try again" }).click();
    await page.waitForURL(url(`/orders/${orderId}`));
    await page.getByRole("heading", { level: 1, name: "Thank you: your order is paid" }).waitFor();
    await expect(payments.count()).resolves.toBe(1);
    const attempts = await ownerDb()
      .selectFrom("transactions")
      .select("status")
      .where("order_id", "=", orderId)
      .orderBy("created_at")
      .execute();
    expect(attempts.map((a) => a.status)).toEqual(["failed", "completed"]);

    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

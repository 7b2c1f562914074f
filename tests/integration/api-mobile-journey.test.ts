import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "~/modules/api/openapi.server";
import { sandboxCallback } from "~/modules/payments/providers/sandbox.server";
import { ApiClient } from "../support/api";
import { HOLDER, paymentsTenant, sandboxSecret } from "../support/checkout";
import { TEST_PASSWORD, createUser, eventually, ownerDb } from "../support/db";
import { readPdf } from "../support/pdf";

/**
 * Issue 15's "done means": a mobile app's whole journey over HTTP with tokens only — sign in,
 * quote, cart, checkout, pay through the sandbox, poll the payment, list policies, download the
 * certificate, refresh the token, sign out — and the old access token refused afterwards.
 */

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  refreshExpiresAt: string;
}

async function signIn(api: ApiClient, user: { email: string }): Promise<TokenPair> {
  const res = await api.post("/auth/token", { email: user.email, password: TEST_PASSWORD, clientName: "Covera test app" });
  expect(res.status, res.text).toBe(200);
  return res.json as TokenPair;
}

async function refresh(api: ApiClient, refreshToken: string): Promise<TokenPair> {
  const res = await api.post("/auth/refresh", { refreshToken });
  expect(res.status, res.text).toBe(200);
  return res.json as TokenPair;
}

async function signOut(api: ApiClient): Promise<void> {
  const res = await api.post("/auth/sign-out", {});
  expect(res.status, res.text).toBe(204);
}

/** Whether an answer is what the OpenAPI document (generated from the endpoints' zod schemas) says it is. */
function conformsTo(method: string, path: string, status: number, body: unknown): string | null {
  const document = openApiDocument({ origin: "http://x.localhost", agency: "Test" });
  const operation = (
    document.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  )[method.toLowerCase()];
  const schema = operation?.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) return `${method} ${path} ${status} is not documented`;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document.components.schemas.Error, "#/components/schemas/Error");
  const validate = ajv.compile(schema);
  return validate(body) ? null : `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`;
}

describe("the mobile app's journey over /api/v1, tokens only", () => {
  it("signs in, quotes, checks out, pays through the sandbox, downloads the certificate, refreshes and signs out", async () => {
    const tenant = await paymentsTenant();
    const user = await createUser(tenant.id, { name: HOLDER.name });
    const api = new ApiClient(`${tenant.slug}.localhost`);

    // Sign in.
    const first = await signIn(api, user);
    expect(first).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
    api.token = first.accessToken;
    expect((await api.get("/me")).json.me).toMatchObject({ id: user.id, email: user.email });

    // Quote (the catalogue endpoint is public; a quote made by the app is saved) and add it to the cart.
    const quoted = await api.post("/quotes", { product: "home-cover", frequency: "annual", inputs: { buildingValue: 1_000_000_000 } });
    expect(quoted.status, quoted.text).toBe(201);
    const quoteId = quoted.json.quote.id as string;
    const added = await api.post("/cart/items", { quoteId });
    expect(added.status, added.text).toBe(201);
    expect(added.json.cart.items).toHaveLength(1);
    expect(added.json.cart.items[0].quote).toMatchObject({ id: quoteId, product: { slug: "home-cover" }, frequency: "annual" });
    // The quote is now the person's own.
    const mine = await api.get("/quotes");
    expect(mine.json.results.map((q: { id: string }) => q.id)).toEqual([quoteId]);

    // Check out: a holder without an address is refused field by field, and nothing is kept.
    const holder = {
      name: HOLDER.name,
      email: user.email,
      phone: HOLDER.phone,
      dateOfBirth: HOLDER.dateOfBirth,
      address: HOLDER.address,
      identifiers: { national_id: "12345678", kra_pin: "A123456789Z" },
      beneficiaries: [{ name: "Baraka Otieno", relationship: "child", share: "100" }],
    };
    const incomplete = await api.post("/checkout", {
      holder: { ...holder, address: "" },
      method: "mpesa",
      phone: "0712 345 678",
      acceptTerms: true,
    });
    expect(incomplete.status, incomplete.text).toBe(400);
    expect(incomplete.json).toMatchObject({ status: "error", code: "VALIDATION_ERROR" });
    expect(Object.keys(incomplete.json.errors)).toEqual(["holder.address"]);
    expect(await ownerDb().selectFrom("orders").select("id").where("user_id", "=", user.id).execute()).toEqual([]);

    const checkedOut = await api.post("/checkout", { holder, method: "mpesa", phone: "0712 345 678", acceptTerms: true });
    expect(checkedOut.status, checkedOut.text).toBe(201);
    const order = checkedOut.json.order;
    expect(order).toMatchObject({ status: "draft", step: "payment", termsAccepted: true, paymentMethod: "mpesa", currency: "KES" });
    expect(order.items).toHaveLength(1);
    expect(order.dueNow).toBe(order.items[0].firstPayment);
    expect(checkedOut.headers.location).toMatch(new RegExp(`/api/v1/orders/${order.id}$`));

    // Pay: the sandbox stands in for M-Pesa's page.
    const started = await api.post(`/orders/${order.id}/payments`, { method: "mpesa", phone: "0712 345 678" });
    expect(started.status, started.text).toBe(201);
    const { transactionId, action } = started.json.payment;
    expect(action.type).toBe("redirect");
    const providerRef = /\/sandbox\/pay\/([^/?#]+)$/.exec(action.url)?.[1];
    expect(providerRef).toBeTruthy();
    const pending = await api.get(`/payments/${transactionId}`);
    // M-Pesa moves whole shillings: the cents are waived (mpesaRounding), never added.
    expect(pending.json.payment).toMatchObject({
      id: transactionId,
      status: "pending",
      orderId: order.id,
      amount: order.dueNow - (order.dueNow % 100),
    });
    expect((await api.get(`/orders/${order.id}`)).json.order.pendingPaymentId).toBe(transactionId);

    // The sandbox's signed callback, as its page sends it when the customer approves.
    const callback = sandboxCallback(await sandboxSecret(tenant), {
      providerRef: providerRef!,
      choice: "approve",
      amountMinor: pending.json.payment.amount,
      currency: "KES",
    });
    const delivered = await api.browser.send("POST", "/webhooks/sandbox", callback.rawBody, Object.fromEntries(callback.headers));
    expect(delivered.status, delivered.text).toBe(200);

    // Poll as the app does until the payment is completed and the policy issued.
    const paid = await eventually(async () => {
      const res = await api.get(`/payments/${transactionId}`);
      return res.json.payment?.status === "completed" ? res.json.payment : undefined;
    }, 30_000);
    expect(paid.providerReceipt).toMatch(/^SBX/);
    expect(paid.completedAt).toBeTruthy();
    const policy = await eventually(async () => {
      const res = await api.get("/policies");
      const [p] = res.json.results ?? [];
      return p?.status === "active" && p.policyNumber ? p : undefined;
    }, 30_000);
    expect(policy).toMatchObject({ product: "Home Cover", frequency: "annual", currency: "KES" });
    expect((await api.get(`/orders/${order.id}`)).json.order).toMatchObject({ status: "paid", policyIds: [policy.id] });
    const detail = await api.get(`/policies/${policy.id}`);
    expect(detail.json.policy.instalments).toEqual([expect.objectContaining({ sequence: 1, status: "paid" })]);

    // The certificate: a real PDF naming the policy, through a link that needs no credentials.
    const certificate = await eventually(async () => {
      const res = await api.get(`/policies/${policy.id}/documents`);
      return (res.json.documents ?? []).find((d: { group: string }) => d.group === "certificate");
    }, 30_000);
    const file = await api.download(certificate.download.url);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toMatch(/application\/pdf/);
    const pdf = await readPdf(file.body);
    expect(pdf.text).toContain(policy.policyNumber);
    // The receipt is among the person's payments.
    const payments = await api.get("/payments");
    expect(payments.json.results[0]).toMatchObject({ id: transactionId, receipt: { number: expect.any(String) } });

    // Refresh: the new access token works.
    const second = await refresh(api, first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    api.token = second.accessToken;
    expect((await api.get("/policies")).status).toBe(200);

    // Sign out: the access token it held is refused at once.
    await signOut(api);
    const refused = await api.get("/policies");
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ status: "error", code: "TOKEN_REVOKED" });

    // Every answer is what the OpenAPI document describes.
    const answers: [string, string, { status: number; json: unknown }][] = [
      ["GET", "/quotes", mine],
      ["POST", "/cart/items", added],
      ["POST", "/checkout", incomplete],
      ["POST", "/checkout", checkedOut],
      ["POST", "/orders/{orderId}/payments", started],
      ["GET", "/payments/{transactionId}", pending],
      ["GET", "/policies/{policyId}", detail],
      ["GET", "/payments", payments],
      ["GET", "/policies", refused],
    ];
    for (const [method, path, res] of answers) expect(conformsTo(method, path, res.status, res.json)).toBeNull();
    // (and the check is no rubber stamp)
    expect(conformsTo("GET", "/policies", 200, { results: [{ id: 1 }], nextCursor: null, next: null })).not.toBeNull();

    // Tokens only, all the way: no cookie was ever set.
    expect(api.browser.cookies.size).toBe(0);
  });
});

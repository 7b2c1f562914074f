/**
 * Reviews come from policyholders: an issued policy on the product lets its holder review it once
 * (writing again replaces the review), the product's count and average follow, and the product page
 * shows the review with the author's first name and initial only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, ownerDb } from "../support/db";
import { Browser } from "../support/http";
import { signIn, textOf } from "./accounts-support";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { createStoreTenant, type StoreTenant } from "./quotes-support";

let agency: StoreTenant;
let holder: { id: string; email: string };
let other: { id: string; email: string };
let issued: PolicyFixture;
let waiting: PolicyFixture;

beforeAll(async () => {
  agency = await createStoreTenant();
  [holder, other] = await Promise.all([createUser(agency.id, { name: "Zawadi Mutua" }), createUser(agency.id, { name: "Other Person" })]);
  issued = await insertPolicy(agency.id, holder.id, { productSlug: "home-cover" });
  waiting = await insertPolicy(agency.id, holder.id, { status: "pending_underwriting", productSlug: "term-life" });
});

async function productStats(slug: string) {
  return ownerDb()
    .selectFrom("products")
    .select(["review_count", "review_average"])
    .where("tenant_id", "=", agency.id)
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
}

describe("Product reviews", () => {
  it("lets the holder of an issued policy review its product, once, and shows it on the product page", async () => {
    const browser = await signIn(agency.host, holder.email);
    const page = await browser.get(`/account/policies/${issued.policyId}`);
    expect(textOf(page.text)).toContain(`Review ${issued.productName}`);

    const bad = await browser.post(`/account/policies/${issued.policyId}/review`, { rating: "9", title: "" });
    expect(bad.status).toBe(200);
    expect(textOf(bad.text)).toContain("Choose a rating from 1 to 5 stars");
    expect(textOf(bad.text)).toContain("Give your review a title");
    expect((await productStats("home-cover")).review_count).toBe(0);

    const ok = await browser.post(`/account/policies/${issued.policyId}/review`, {
      rating: "4",
      title: "Quick claim help",
      body: "Easy to buy.",
    });
    expect(ok.status).toBe(302);
    expect(await productStats("home-cover")).toMatchObject({ review_count: 1, review_average: "4.00" });

    await browser.post(`/account/policies/${issued.policyId}/review`, { rating: "2", title: "Changed my mind", body: "" });
    expect(await productStats("home-cover")).toMatchObject({ review_count: 1, review_average: "2.00" });

    // As the public sees it (the holder's own page names her in the account menu).
    const product = textOf((await new Browser(agency.host).get("/products/home-cover")).text);
    expect(product).toContain("Changed my mind");
    expect(product).toContain("Zawadi M.");
    expect(product).not.toContain("Mutua");
  });

  it("refuses a policy that was not issued, and anyone else's policy", async () => {
    const browser = await signIn(agency.host, holder.email);
    expect((await browser.get(`/account/policies/${waiting.policyId}/review`)).status).toBe(404);
    const stranger = await signIn(agency.host, other.email);
    expect((await stranger.get(`/account/policies/${issued.policyId}/review`)).status).toBe(404);
    const posted = await stranger.post(`/account/policies/${issued.policyId}/review`, { rating: "1", title: "Not mine" });
    expect(posted.status).toBe(404);
    expect((await productStats("term-life")).review_count).toBe(0);
  });
});

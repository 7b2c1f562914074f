import { withTenant } from "~db/client";
import type { InstalmentStatus } from "~db/schema";
import { kenyaLevies } from "~/modules/rating/examples";
import { INSTALMENTS_PER_YEAR, priceQuote, type Frequency } from "~/modules/rating";
import type { ChangeTenant } from "~/modules/endorsements/change.server";
import { insertPolicy, type PolicyFixture } from "./customer-policies-fixtures";
import { buildCatalogue } from "./quotes-support";

/**
 * Issued policies with real rating inputs (not a test file itself): the fixture's policy, its
 * quote re-priced from `inputs` on the start date, the annual premium it gives, and its version 1,
 * as `startCover` writes it.
 */
export function changeTenant(tenant: { id: string }): ChangeTenant {
  return { id: tenant.id, currency: "KES", locale: "en-KE", timeZone: "Africa/Nairobi", levies: kenyaLevies };
}

export async function setEndorsable(tenantId: string, slug: string, endorsableInputs: string[]): Promise<void> {
  await withTenant(tenantId, (db) =>
    db
      .updateTable("products")
      .set({ lifecycle: JSON.stringify({ endorsableInputs }) })
      .where("slug", "=", slug)
      .execute(),
  );
}

export async function ratedPolicy(
  tenantId: string,
  userId: string,
  options: {
    slug: string;
    inputs: Record<string, unknown>;
    startDate: string;
    instalments?: InstalmentStatus[];
    beneficiaries?: { name: string; relationship: string; shareBp: number }[];
    holder?: { name: string; email: string };
  },
): Promise<PolicyFixture & { annualMinor: number }> {
  const statuses = options.instalments ?? ["paid"];
  const frequency: Frequency = statuses.length > 1 ? "monthly" : "annual";
  const rating = buildCatalogue().products.find((p) => p.slug === options.slug)!.rating;
  const priced = priceQuote(rating, options.inputs, { currency: "KES", quoteDate: options.startDate, levies: kenyaLevies });
  if (!priced.ok) throw new Error(`Fixture does not price: ${JSON.stringify(priced.errors)}`);
  const option = priced.quote.frequencies.find((f) => f.frequency === frequency)!;
  const annualMinor = option.instalmentPremium * INSTALMENTS_PER_YEAR[frequency];
  const fixture = await insertPolicy(tenantId, userId, {
    productSlug: options.slug,
    startDate: options.startDate,
    instalments: statuses,
    instalmentMinor: option.instalmentAmount,
    beneficiaries: options.beneficiaries,
    holder: options.holder,
  });
  await withTenant(tenantId, async (db) => {
    const policy = await db.selectFrom("policies").select(["quote_id"]).where("id", "=", fixture.policyId).executeTakeFirstOrThrow();
    await db
      .updateTable("quotes")
      .set({ inputs: JSON.stringify(priced.quote.input), breakdown: JSON.stringify({ ...priced.quote, quoteDate: options.startDate }) })
      .where("id", "=", policy.quote_id)
      .execute();
    await db.updateTable("policies").set({ annual_premium_minor: annualMinor }).where("id", "=", fixture.policyId).execute();
    await db
      .insertInto("policy_versions")
      .values({
        policy_id: fixture.policyId,
        version: 1,
        kind: "issue",
        effective_date: options.startDate,
        annual_premium_minor: annualMinor,
        currency: "KES",
        inputs: JSON.stringify(priced.quote.input),
        summary: "Policy issued",
      })
      .execute();
  });
  return { ...fixture, annualMinor };
}

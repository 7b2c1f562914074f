import { z } from "zod";
import { levyListSchema, ratingSchema } from "~/modules/rating";
import { lineText, multilineText } from "~/lib/text";
import { CLAIM_FAMILIES } from "~/modules/claims/rules";
import { productLifecycleSchema } from "~/modules/policies/lifecycle";

/**
 * An agency's catalogue as its manifest declares it (`tenants/<slug>/catalogue.json`). Seeding
 * loads it into the catalogue tables; from then on admins can run it from the back office.
 * Money is in minor units, rates in basis points.
 */
const slug = lineText().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes");
const text = lineText().min(1);

export const categoryEntrySchema = z
  .object({
    slug,
    name: text,
    icon: lineText().default("shield"),
    description: multilineText().default(""),
    order: z.number().int().default(0),
    // What kind of claims its policies produce; absent: worked out from the slug (hibah → life).
    claimFamily: z.enum(CLAIM_FAMILIES).optional(),
  })
  .strict();

const documentCode = lineText().regex(/^[a-z0-9_]{1,32}$/, "lowercase letters, digits and _");
const claimTypeCode = lineText().regex(/^[a-z][a-z_]{0,31}$/, "lowercase letters and _");

/** A product's claim rules (ProductClaimRules in db/schema.ts; app/modules/claims/rules.ts reads them). */
export const claimRulesSchema = z
  .object({
    // Days from the start of cover before a claim of this type is covered (else waitingPeriodDays).
    waitingDays: z.record(claimTypeCode, z.number().int().min(0).max(3650)).optional(),
    // What one policy year pays at most, all claims together, in minor units.
    annualLimitMinor: z.number().int().positive().optional(),
    // Deducted from each approved claim, in minor units.
    excessMinor: z.number().int().min(0).optional(),
    // Documents a claim type needs besides the claim family's defaults.
    documents: z.record(claimTypeCode, z.array(z.object({ code: documentCode, label: text }).strict())).optional(),
  })
  .strict();

export const insurerEntrySchema = z
  .object({
    slug,
    name: text,
    logoUrl: lineText().optional(),
    rating: z.number().min(0).max(5).optional(),
    description: multilineText().default(""),
    contact: z
      .object({ phone: lineText().optional(), email: lineText().email().optional(), website: lineText().optional() })
      .strict()
      .default({}),
    // What the insurer pays the agency on premium it places.
    commissionRateBp: z.number().int().min(0).max(10_000),
  })
  .strict();

export const productEntrySchema = z
  .object({
    slug,
    category: slug,
    insurer: slug,
    name: text,
    summary: text,
    description: multilineText().default(""),
    coverage: z.array(z.object({ label: text, value: text }).strict()).default([]),
    features: z.array(text).default([]),
    inclusions: z.array(text).default([]),
    exclusions: z.array(text).default([]),
    waitingPeriodDays: z.number().int().min(0).default(0),
    maxCover: z.number().int().min(0).optional(),
    requiresUnderwriting: z.boolean().default(false),
    // What checkout asks for besides the agency's identifiers: beneficiaries (life, hibah), documents (a logbook).
    requirements: z
      .object({
        beneficiaries: z.boolean().optional(),
        documents: z
          .array(z.object({ code: lineText().regex(/^[a-z0-9_]{1,32}$/, "lowercase letters, digits and _"), label: text }).strict())
          .optional(),
        // The input that gives the cover's length in days (a trip), instead of a year.
        coverDaysFrom: lineText()
          .regex(/^[a-zA-Z][a-zA-Z0-9]*$/)
          .optional(),
      })
      .strict()
      .default({}),
    claimRules: claimRulesSchema.default({}),
    featured: z.boolean().default(false),
    active: z.boolean().default(true),
    rating: ratingSchema,
    // The product's rules after the sale (decisions 027, 028, 031): renewal, no-claims discount, refund method, the inputs a customer may change mid-term.
    lifecycle: productLifecycleSchema.default({}),
    // The inputs the listing's "from" price is worked out with (a typical customer).
    sampleInput: z.record(z.unknown()),
    faqs: z.array(z.object({ question: text, answer: text }).strict()).default([]),
    reviews: z
      .array(
        z
          .object({
            by: lineText().email(),
            rating: z.number().int().min(1).max(5),
            title: lineText().default(""),
            body: multilineText().default(""),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export const bundleDiscountSchema = z
  .object({
    code: slug,
    label: text,
    // The discount applies when the cart holds at least this many policies…
    minItems: z.number().int().min(2),
    // …from at least this many different categories (1 = any mix).
    minCategories: z.number().int().min(1).default(1),
    percentBp: z.number().int().min(1).max(5_000),
  })
  .strict();

export const catalogueSchema = z
  .object({
    levies: levyListSchema.default([]),
    quoteValidityDays: z.number().int().min(1).max(90).default(30),
    bundleDiscounts: z.array(bundleDiscountSchema).default([]),
    categories: z.array(categoryEntrySchema),
    insurers: z.array(insurerEntrySchema),
    products: z.array(productEntrySchema),
  })
  .strict()
  .superRefine((catalogue, ctx) => {
    const categories = new Set(catalogue.categories.map((c) => c.slug));
    const insurers = new Set(catalogue.insurers.map((i) => i.slug));
    const seen = new Set<string>();
    catalogue.products.forEach((p, i) => {
      if (!categories.has(p.category))
        ctx.addIssue({ code: "custom", path: ["products", i, "category"], message: `no category "${p.category}"` });
      if (!insurers.has(p.insurer))
        ctx.addIssue({ code: "custom", path: ["products", i, "insurer"], message: `no insurer "${p.insurer}"` });
      if (seen.has(p.slug)) ctx.addIssue({ code: "custom", path: ["products", i, "slug"], message: `duplicate product "${p.slug}"` });
      seen.add(p.slug);
    });
  });

export type Catalogue = z.infer<typeof catalogueSchema>;
export type ProductEntry = z.infer<typeof productEntrySchema>;
export type BundleDiscount = z.infer<typeof bundleDiscountSchema>;

/** What a tenant's settings hold for the storefront (seeded from the catalogue, editable later). */
export interface StorefrontSettings {
  levies: z.infer<typeof levyListSchema>;
  quoteValidityDays: number;
  bundleDiscounts: BundleDiscount[];
}

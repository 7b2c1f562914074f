import { z } from "zod";
import { withTenant } from "~db/client";
import { lineText } from "~/lib/text";
import { answerText } from "~/modules/api/answers";
import { endpoint } from "~/modules/api/endpoint.server";
import { invalid, notFound } from "~/modules/api/problem.server";
import { requireApiAgent } from "~/modules/network/api.server";
import { FREQUENCIES } from "~/modules/rating/rules";
import { tierTerms } from "./earnings";
import { commissionStructure, previewCommission, type StructureVersion } from "./earnings.server";

/**
 * The agent app's view of the commission rules (issue 16 §5), as /agent/commission-structure and
 * the sell wizard show them: the agency's structure per product and frequency, and what one
 * payment would earn each tier (the admin preview's arithmetic). Amounts in minor units.
 */

const termsSchema = {
  tier: z.number().int().describe("1 = the selling agent; 2 and up = their uplines."),
  kind: z.enum(["fixed", "percent"]),
  amountMinor: z.number().int().nullable().describe("A fixed tier's amount per payment."),
  rateBp: z.number().int().nullable().describe("A percent tier's rate in basis points: 1111 = 11.11%."),
  capMinor: z.number().int().nullable().describe("The most this tier pays an agent in a month."),
  requiresActive: z.boolean().describe("Only an active agent earns this tier."),
  minPersonalSales: z.number().int().describe("Own sales the earner needs in the month, this one included."),
};

const versionSchema = z.object({
  effectiveAt: answerText().datetime(),
  tiers: z.array(z.object({ ...termsSchema, exampleMinor: z.number().int().describe("What this tier earns on the example premium.") })),
});
const versionOut = (v: StructureVersion) => ({
  effectiveAt: v.effectiveAt.toISOString(),
  tiers: v.tiers.map((r) => ({ ...tierTerms(r), exampleMinor: r.exampleMinor })),
});

export const getCommissionStructure = endpoint({
  method: "GET",
  path: "/agent/commission-structure",
  operationId: "getAgentCommissionStructure",
  summary: "The agency's commission rules per product on sale, payment frequency and tier, now and scheduled",
  tags: ["Agent"],
  auth: "user",
  errors: [404],
  responses: {
    200: {
      description: "Every product the agent can sell; `current` is null where a frequency pays no commission.",
      schema: z.object({
        currency: answerText(),
        hasRules: z.boolean().describe("False when the agency has set no commission rules at all."),
        products: z.array(
          z.object({
            id: answerText().uuid(),
            name: answerText(),
            slug: answerText(),
            frequencies: z.array(
              z.object({
                frequency: z.enum(FREQUENCIES),
                exampleMinor: z.number().int().describe("The example premium: the product's price at this frequency."),
                current: versionSchema.nullable(),
                scheduled: z.array(versionSchema).describe("Versions still to start, soonest first; no tiers = commission stops."),
              }),
            ),
          }),
        ),
      }),
    },
  },
  async handler({ tenant, principal }) {
    await requireApiAgent(tenant, principal, "read:network:own");
    const structure = await withTenant(tenant.id, (db) => commissionStructure(db));
    return {
      body: {
        currency: tenant.currency,
        hasRules: structure.hasRules,
        products: structure.products.map((p) => ({
          id: p.id,
          name: p.name,
          slug: p.slug,
          frequencies: p.frequencies.map((f) => ({
            frequency: f.frequency,
            exampleMinor: f.exampleBaseMinor,
            current: f.current && f.current.tiers.length > 0 ? versionOut(f.current) : null,
            scheduled: f.scheduled.map(versionOut),
          })),
        })),
      },
    };
  },
});

const standingSchema = z.object({
  qualifies: z.boolean().describe("Whether you would earn your own share (tier 1) were this payment made now."),
  reason: z.enum(["inactive", "personal_sales"]).nullable(),
  salesThisMonth: z.number().int().nullable(),
  salesNeeded: z.number().int().nullable().describe("More own sales you need this month to earn on this product."),
  capLeftMinor: z
    .number()
    .int()
    .nullable()
    .describe("What is left of your monthly cap on your own share of this product this month; null when it has no cap."),
});

export const getCommissionPreview = endpoint({
  method: "GET",
  path: "/agent/commission-preview",
  operationId: "getAgentCommissionPreview",
  summary: "What one payment of a product at a frequency earns you and each upline tier, under the rules in force now",
  tags: ["Agent"],
  auth: "user",
  query: z.object({
    productId: lineText().uuid("productId must be a product's id").describe("A product on sale."),
    frequency: z.enum(FREQUENCIES).describe("How often the policy is paid."),
    premiumMinor: z.coerce
      .number({ invalid_type_error: "premiumMinor must be a whole number of minor units" })
      .int("premiumMinor must be a whole number of minor units")
      .min(1, "premiumMinor must be at least 1")
      .max(1_000_000_000, "premiumMinor is too large")
      .optional()
      .describe("The payment's premium; default the product's price at that frequency."),
  }),
  errors: [404],
  responses: {
    200: {
      description: "The split; `paysCommission` false (and no tiers) where the product pays none at that frequency.",
      schema: z.object({
        preview: z.object({
          product: z.object({ id: answerText().uuid(), name: answerText() }),
          frequency: z.enum(FREQUENCIES),
          premiumMinor: z.number().int(),
          currency: answerText(),
          paysCommission: z.boolean(),
          tiers: z.array(z.object({ ...termsSchema, earnsMinor: z.number().int() })),
          you: standingSchema,
        }),
      }),
    },
  },
  async handler({ tenant, principal, query }) {
    const { agent } = await requireApiAgent(tenant, principal, "read:network:own");
    const result = await withTenant(tenant.id, (db) => previewCommission(db, agent, tenant.timeZone, query));
    if (!result.ok) {
      if (result.code === "no_product") throw notFound("Product");
      throw invalid({ frequency: ["The product is not sold at that frequency"] }, "Some query parameters are not valid");
    }
    const { earnings, product, frequency, premiumMinor } = result;
    const you = earnings.you;
    return {
      body: {
        preview: {
          product,
          frequency,
          premiumMinor,
          currency: tenant.currency,
          paysCommission: earnings.paysCommission,
          tiers: earnings.tiers.map((r) => ({ ...tierTerms(r), earnsMinor: r.firstMinor })),
          you: {
            qualifies: you.qualifies,
            reason: you.qualifies ? null : you.reason,
            salesThisMonth: !you.qualifies && you.reason === "personal_sales" ? you.salesThisMonth : null,
            salesNeeded: !you.qualifies && you.reason === "personal_sales" ? you.needed : null,
            capLeftMinor: earnings.capLeftMinor,
          },
        },
      },
    };
  },
});

export const commissionStructureEndpoints = [getCommissionStructure, getCommissionPreview];

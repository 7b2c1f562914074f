import { z } from "zod";
import { lineText, secretText } from "~/lib/text";
import { UNQUALIFIED_SHARES } from "~/modules/commissions/distribute";

/**
 * An agency's agent network as its manifest declares it (`tenants/<slug>/network.json`): the
 * network settings, the commission rules (the agency's plan, to the cent) and demo agents. Seeding
 * loads it once; from then on admins run it from the back office. Money in minor units, rates in
 * basis points (11.11% = 1111).
 */
const FREQUENCIES = ["annual", "semi_annual", "quarterly", "monthly"] as const;
const isoDate = lineText().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2026-01-01");

const tierSchema = z
  .object({
    fixedMinor: z.number().int().min(0).optional(),
    rateBp: z.number().int().min(0).max(10_000).optional(),
    capMinor: z.number().int().min(0).optional(),
    requiresActive: z.boolean().default(true),
    minPersonalSales: z.number().int().min(0).default(0),
  })
  .strict()
  .refine((t) => (t.fixedMinor === undefined) !== (t.rateBp === undefined), "a tier pays either fixedMinor or rateBp");

export const networkRuleSchema = z
  .object({
    product: lineText().min(1),
    frequencies: z.array(z.enum(FREQUENCIES)).min(1),
    // In force from the start of this day in the agency's time zone.
    effectiveFrom: isoDate,
    // Tier 1 is the selling agent, tier 2 their sponsor, and so on.
    tiers: z.array(tierSchema).min(1).max(10),
  })
  .strict();

export const demoAgentSchema = z
  .object({
    email: lineText().email(),
    name: lineText().min(1),
    password: secretText().min(8),
    // The sponsor's email (another demo agent, or a demo user with the agent role); null = a root.
    sponsor: lineText().email().nullable(),
    status: z.enum(["pending", "active", "suspended"]).default("active"),
    phone: lineText().optional(),
  })
  .strict();

export const networkManifestSchema = z
  .object({
    settings: z
      .object({
        tiers: z.number().int().min(1).max(10).default(10),
        unqualifiedShare: z.enum(UNQUALIFIED_SHARES).default("skip"),
        closeDay: z.number().int().min(1).max(28).default(1),
        autoClose: z.boolean().default(true),
      })
      .strict(),
    rules: z.array(networkRuleSchema).default([]),
    demoAgents: z.array(demoAgentSchema).default([]),
  })
  .strict();

export type NetworkManifest = z.infer<typeof networkManifestSchema>;
export type NetworkRuleEntry = z.infer<typeof networkRuleSchema>;
export type DemoAgent = z.infer<typeof demoAgentSchema>;

import { z } from "zod";
import { lineText } from "~/lib/text";
import { parseMoneyField, parsePercentToBp } from "./admin-forms";

/**
 * The bonus editor's and the rank list's forms (decision 048), shared by the server and the
 * browser: money in the agency's currency, rates in percent with two decimals, levels 1 to 10.
 */

export const BONUS_KINDS = ["performance", "team"] as const;
export const MAX_BONUS_LEVELS = 10;
const LEVELS_MESSAGE = "Enter a whole number of levels from 1 to 10.";

export const rankSchema = z.object({
  code: lineText("Enter a code")
    .transform((value) => value.toLowerCase())
    .pipe(lineText().regex(/^[a-z0-9_]{1,40}$/, "Use up to 40 letters, digits and underscores, such as team_leader.")),
  name: lineText("Enter a name").pipe(lineText().max(80, "Use at most 80 characters")),
  position: z
    .number({ required_error: "Enter a whole number from 1 to 1,000.", invalid_type_error: "Enter a whole number from 1 to 1,000." })
    .int("Enter a whole number from 1 to 1,000.")
    .min(1, "Enter a whole number from 1 to 1,000.")
    .max(1000, "Enter a whole number from 1 to 1,000."),
});

export interface BonusRuleInput {
  seriesId: string | null;
  name: string;
  kind: (typeof BONUS_KINDS)[number];
  /** The month the version starts ("2026-12-01"). */
  effectiveFrom: string;
  stopped: boolean;
  thresholdMinor: number | null;
  amountMinor: number | null;
  rateBp: number | null;
  rankId: string | null;
  levels: number | null;
}

/** A bonus version as typed: every field checked, each error on its own field. */
export function bonusRuleSchema(currency: string) {
  return z
    .object({
      seriesId: lineText().uuid("Reload the page and try again.").optional(),
      name: lineText("Enter a name").pipe(lineText().max(80, "Use at most 80 characters")),
      kind: z.enum(BONUS_KINDS, { errorMap: () => ({ message: "Choose a performance or a team bonus." }) }),
      effectiveFrom: lineText("Choose the month it starts").pipe(
        lineText().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Choose the month it starts, such as 2026-12."),
      ),
      stopped: z.boolean({ invalid_type_error: "Tick the box, or leave it empty." }).default(false),
      threshold: lineText().max(40).optional(),
      pays: z.enum(["fixed", "rate"], { errorMap: () => ({ message: "Choose a fixed amount or a rate." }) }).optional(),
      amount: lineText().max(40).optional(),
      rate: lineText().max(20).optional(),
      rankId: lineText().uuid("Choose a rank.").optional(),
      // Checked with the rest below, so one post shows every field's error at once.
      levels: z.number({ invalid_type_error: LEVELS_MESSAGE }).optional(),
    })
    .transform((v, ctx): BonusRuleInput => {
      const out: BonusRuleInput = {
        seriesId: v.seriesId ?? null,
        name: v.name,
        kind: v.kind,
        effectiveFrom: `${v.effectiveFrom}-01`,
        stopped: v.stopped,
        thresholdMinor: null,
        amountMinor: null,
        rateBp: null,
        rankId: null,
        levels: null,
      };
      if (v.stopped) return out;
      const rate = () => {
        if (!v.rate) return ctx.addIssue({ code: "custom", path: ["rate"], message: "Enter the rate, such as 2.5." });
        const parsed = parsePercentToBp(v.rate);
        if (parsed.ok) out.rateBp = parsed.bp;
        else ctx.addIssue({ code: "custom", path: ["rate"], message: parsed.message });
      };
      if (v.kind === "performance") {
        const threshold = parseMoneyField(v.threshold ?? "", currency, "The threshold");
        if (threshold.ok) out.thresholdMinor = threshold.minor;
        else ctx.addIssue({ code: "custom", path: ["threshold"], message: threshold.message });
        if (!v.pays) ctx.addIssue({ code: "custom", path: ["pays"], message: "Choose a fixed amount or a rate." });
        else if (v.pays === "rate") rate();
        else {
          const amount = parseMoneyField(v.amount ?? "", currency, "The amount");
          if (amount.ok) out.amountMinor = amount.minor;
          else ctx.addIssue({ code: "custom", path: ["amount"], message: amount.message });
        }
      } else {
        if (!v.rankId) ctx.addIssue({ code: "custom", path: ["rankId"], message: "Choose a rank." });
        else out.rankId = v.rankId;
        if (v.levels === undefined || !Number.isInteger(v.levels) || v.levels < 1 || v.levels > MAX_BONUS_LEVELS)
          ctx.addIssue({ code: "custom", path: ["levels"], message: LEVELS_MESSAGE });
        else out.levels = v.levels;
        rate();
      }
      return out;
    });
}

/** The rank an admin gives an agent on the agent's page; none (empty) takes it away. */
export const agentRankSchema = z.object({ rankId: lineText().uuid("Choose a rank.").optional() });

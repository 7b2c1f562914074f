/**
 * The rank ladder the agent portal shows: a motivational display, not part of pay. No commission
 * rule, qualification or payout reads a rank (qualification lives on each commission rule:
 * `requires_active` and `min_personal_sales`). Pure and browser-safe.
 *
 * The ladder is climbed rung by rung: a rank is held when its own requirements and those of every
 * rank below it are met, so the next rank's progress bars are always the ones that matter.
 */

export type RankMetric = "directRecruits" | "downline" | "personalSales";

/** What the ladder looks at, all about one agent. */
export interface RankFacts {
  /** Agents they recruited themselves (level 1 of their downline). */
  directRecruits: number;
  /** Everyone in their downline, all levels they can see. */
  downline: number;
  /** Items they sold themselves in the current month (paid orders credited to them). */
  personalSales: number;
}

export interface RankRequirement {
  metric: RankMetric;
  min: number;
  label: string;
}

export interface Rank {
  id: "agent" | "senior_agent" | "team_leader" | "director";
  name: string;
  requirements: readonly RankRequirement[];
}

export const RANKS: readonly Rank[] = [
  { id: "agent", name: "Agent", requirements: [] },
  {
    id: "senior_agent",
    name: "Senior Agent",
    requirements: [
      { metric: "directRecruits", min: 5, label: "Direct recruits" },
      { metric: "personalSales", min: 3, label: "Personal sales this month" },
    ],
  },
  { id: "team_leader", name: "Team Leader", requirements: [{ metric: "downline", min: 20, label: "Agents in your downline" }] },
  { id: "director", name: "Director", requirements: [{ metric: "downline", min: 100, label: "Agents in your downline" }] },
];

export interface RequirementProgress extends RankRequirement {
  value: number;
  met: boolean;
  /** 0–100, for a progress bar. */
  percent: number;
}

export interface RankProgress {
  current: Rank;
  /** The next rank up, with how far each of its requirements is; null at the top. */
  next: { rank: Rank; requirements: RequirementProgress[] } | null;
}

function meets(rank: Rank, facts: RankFacts): boolean {
  return rank.requirements.every((r) => facts[r.metric] >= r.min);
}

export function rankProgress(facts: RankFacts): RankProgress {
  let index = 0;
  while (index + 1 < RANKS.length && meets(RANKS[index + 1]!, facts)) index += 1;
  const current = RANKS[index]!;
  const nextRank = RANKS[index + 1];
  if (!nextRank) return { current, next: null };
  return {
    current,
    next: {
      rank: nextRank,
      requirements: nextRank.requirements.map((r) => {
        const value = facts[r.metric];
        return { ...r, value, met: value >= r.min, percent: Math.min(100, Math.floor((value / r.min) * 100)) };
      }),
    },
  };
}

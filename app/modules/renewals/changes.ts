import type { QuoteLine } from "~/modules/rating";

/**
 * What changed between the premium a customer pays now and their renewal's, line by line, and
 * why, in their words (pure; shown on the renew page and in the offer email). Lines are matched by
 * code (the n-th line of a code with the n-th: one per insured person).
 *
 * - `no_claims`: the no-claims discount the renewal earned (its own line).
 * - `band`: the same line priced from another band (an age band at the new start date, a vehicle value band).
 * - `rate`: the agency's rating rule for the line changed (the band is the same, its rate is not).
 * - `amount`: the line moved because what it is worked out on moved.
 * - `added` / `removed`: a line that applies now and did not (a loading for an older vehicle), or the reverse.
 */
export type ChangeKind = "no_claims" | "band" | "rate" | "amount" | "added" | "removed";

export interface PriceChange {
  kind: ChangeKind;
  label: string;
  oldMinor: number;
  newMinor: number;
  /** Why, in the customer's words; amounts are left to the caller to format. */
  why: string;
}

const keyed = (lines: readonly QuoteLine[]) => {
  const seen = new Map<string, number>();
  return new Map(
    lines.map((line) => {
      const n = seen.get(line.code) ?? 0;
      seen.set(line.code, n + 1);
      return [`${line.code}#${n}`, line] as const;
    }),
  );
};

const percent = (bp: number) => `${(bp / 100).toLocaleString("en", { maximumFractionDigits: 2 })}%`;

function rateOf(line: QuoteLine): string | null {
  const d = line.detail;
  if (d?.rateBp !== undefined) return percent(d.rateBp);
  if (d?.ratePerThousand !== undefined) return `${d.ratePerThousand} per thousand`;
  if (d?.unitAmount !== undefined) return String(d.unitAmount);
  return null;
}

export function explainChanges(oldLines: readonly QuoteLine[], newLines: readonly QuoteLine[]): PriceChange[] {
  const before = keyed(oldLines);
  const after = keyed(newLines);
  const changes: PriceChange[] = [];
  for (const [key, line] of after) {
    const old = before.get(key);
    if (line.code === "no_claims") {
      changes.push({ kind: "no_claims", label: line.label, oldMinor: old?.amount ?? 0, newMinor: line.amount, why: line.label });
      continue;
    }
    if (!old) {
      changes.push({
        kind: "added",
        label: line.label,
        oldMinor: 0,
        newMinor: line.amount,
        why: `${line.label} applies from this renewal`,
      });
      continue;
    }
    const oldBand = old.detail?.band;
    const newBand = line.detail?.band;
    const oldRate = rateOf(old);
    const newRate = rateOf(line);
    if (oldBand !== newBand && oldBand !== undefined && newBand !== undefined) {
      changes.push({
        kind: "band",
        label: line.label,
        oldMinor: old.amount,
        newMinor: line.amount,
        why: `${line.label}: band ${oldBand} → ${newBand}`,
      });
    } else if (oldRate !== newRate && oldRate !== null && newRate !== null) {
      changes.push({
        kind: "rate",
        label: line.label,
        oldMinor: old.amount,
        newMinor: line.amount,
        why: `${line.label}: the agency's rate changed from ${oldRate} to ${newRate}`,
      });
    } else if (old.amount !== line.amount) {
      changes.push({
        kind: "amount",
        label: line.label,
        oldMinor: old.amount,
        newMinor: line.amount,
        why: `${line.label}: worked out again on today's details`,
      });
    }
  }
  for (const [key, line] of before) {
    if (after.has(key) || line.code === "no_claims") continue;
    changes.push({ kind: "removed", label: line.label, oldMinor: line.amount, newMinor: 0, why: `${line.label} no longer applies` });
  }
  return changes;
}

/**
 * "Which policy is best on cost at an equal or better within-target fraction?" — the question the
 * simulator exists to answer. A policy is beaten when another one costs strictly less while keeping at
 * least as many messages within the target wait; the policies nobody beats are the best choices (more
 * than one means a genuine trade-off: cheaper, but more late messages).
 */
import type { PolicyResult } from "../result.ts";

/** Fractions closer than this are equal (they come from counts divided by the same total). */
const fractionEpsilon = 1e-9;

/** For one policy: the cheapest policy that beats it, or null when none does. */
export interface CostVerdict {
  policy: string;
  beatenBy: string | null;
}

/** Verdicts in the order of `results`, plus the unbeaten policies (cheapest first). */
export interface CostComparison {
  verdicts: CostVerdict[];
  best: string[];
}

/** Compares every policy's cost at an equal or better within-target fraction. */
export function compareCost(results: readonly PolicyResult[]): CostComparison {
  const usable = results.filter((r) => Number.isFinite(r.costUsd) && Number.isFinite(r.withinTarget));
  const verdicts = results.map((r): CostVerdict => {
    let beatenBy: PolicyResult | null = null;
    for (const other of usable) {
      if (other === r) continue;
      const asGood = other.withinTarget >= r.withinTarget - fractionEpsilon;
      const cheaper = other.costUsd < r.costUsd;
      if (asGood && cheaper && (beatenBy === null || other.costUsd < beatenBy.costUsd)) beatenBy = other;
    }
    return { policy: r.policy, beatenBy: beatenBy?.policy ?? null };
  });
  const best = usable
    .filter((r) => verdicts[results.indexOf(r)]!.beatenBy === null)
    .sort((a, b) => a.costUsd - b.costUsd)
    .map((r) => r.policy);
  return { verdicts, best };
}

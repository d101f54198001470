/** Task-count arithmetic shared by the proposal formulas. Pure. */

/** The largest task count a proposal may ask for (the HPA caps at MaxInt32 too). */
export const maxProposal = 2_147_483_647;

/**
 * ceil() that forgives binary floating-point noise (1.1 / 0.1 = 11.000000000000002 must give 11, as the
 * HPA's milli-unit integer arithmetic would), capped at {@link maxProposal}; a non-finite ratio (a
 * tiny target) asks for the cap rather than poisoning the history with NaN.
 */
export function ceilTolerant(x: number): number {
  if (!Number.isFinite(x)) return x < 0 ? 0 : maxProposal;
  return Math.min(maxProposal, Math.ceil(x - 1e-9));
}

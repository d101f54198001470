/**
 * One colour per policy, the same in every chart and the table. Okabe–Ito colours: distinguishable with
 * the common colour-vision deficiencies and on a projector.
 */

const policyColours: Record<string, string> = {
  "ecs-autoscaler": "#0072B2", // blue: ours, the line to look at first
  "target-tracking": "#D55E00", // vermilion
  "step-scaling": "#009E73", // bluish green
  keda: "#CC79A7", // reddish purple
  static: "#E69F00", // orange
  "aws-predictive": "#56B4E9", // sky blue
  oracle: "#000000", // black: the floor, knows the future
};

/** Colours for any extra series, in order, once the named ones are used. */
const spareColours = ["#F0E442", "#7F7F7F"];

/** The colour for `policy`; unknown names get a spare colour chosen by their position. */
export function colourOf(policy: string, position = 0): string {
  return policyColours[policy] ?? spareColours[position % spareColours.length]!;
}

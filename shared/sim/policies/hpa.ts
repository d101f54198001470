/** The Kubernetes HPA's external-metric AverageValue proposal (`GetExternalPerPodMetricReplicas`). */

/**
 * ratio = usage / (target × replicas); within [1 − tolerance, 1 + tolerance] keeps `replicas`, else
 * ceil(usage / target). `replicas` is the scale's status.replicas (pods that exist, ready or not).
 */
export function averageValueTasks(
  usage: number,
  target: number,
  replicas: number,
  tolerance: number,
): number {
  if (replicas > 0) {
    const ratio = usage / (target * replicas);
    if (ratio >= 1 - tolerance && ratio <= 1 + tolerance) return replicas;
  }
  return Math.ceil(usage / target - 1e-9);
}

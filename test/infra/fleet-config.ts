/**
 * A generated fleet config for the packaging-at-scale tests: `services` services in clusters of 100
 * (or `perCluster`),
 * each reading its own queue; every tenth a Fargate Spot service with an on-demand sibling, every
 * twentieth naming an alarm. The queue names share the prefix `fleet-` so a config can grant them
 * by prefix (`permissions.queueNamePrefixes`).
 */
export function fleetConfig(services: number, options: { queuePrefix?: boolean; perCluster?: number } = {}): Record<string, unknown> {
  const perCluster = options.perCluster ?? 100;
  const entries = Array.from({ length: services }, (_, i) => {
    const cluster = `fleet-c${String(Math.floor(i / perCluster) + 1).padStart(2, "0")}`;
    const service = `svc-${String(i + 1).padStart(4, "0")}`;
    return {
      cluster,
      service,
      policy: {
        maxTasks: 50,
        triggers: [{ type: "sqs", queueUrl: `https://sqs.eu-west-1.amazonaws.com/123456789012/fleet-${cluster}-${service}` }],
      },
      ...(i % 10 === 0 ? { spotFallback: { onDemandService: `${service}-od` } } : {}),
      ...(i % 20 === 0 ? { alarms: [`${service}-backlog-high`] } : {}),
    };
  });
  return {
    intervalSeconds: 10,
    services: entries,
    ...(options.queuePrefix ? { permissions: { queueNamePrefixes: ["fleet-"] } } : {}),
  };
}

/**
 * Which configured service an event or alarm concerns. A Spot service's on-demand sibling belongs to
 * its Spot service: both share one state record, keyed by the configured (Spot) service. Pure.
 */
import type { Config, ServiceConfig } from "../config/config-file.ts";
import type { ServiceRef } from "../ports/services.ts";
import type { EventService } from "./parse-event.ts";

/** The state-record key of a configured service: `cluster/service`. */
export function recordKey(ref: ServiceRef): string {
  return `${ref.cluster}/${ref.service}`;
}

/** The refs a configured service needs described: itself, then its on-demand sibling if any. */
export function refsOf(service: ServiceConfig): ServiceRef[] {
  const refs: ServiceRef[] = [{ cluster: service.cluster, service: service.service }];
  if (service.spotFallback)
    refs.push({ cluster: service.cluster, service: service.spotFallback.onDemandService });
  return refs;
}

export type ServiceMatch =
  | { found: ServiceConfig; role: "service" | "onDemand" }
  | { found?: undefined; why: "not configured" | "ambiguous" };

/**
 * The configured service an event names, by cluster and name. Some events carry no cluster (the old
 * short service ARN; task events trimmed of clusterArn): then the name must match exactly one service.
 */
export function matchService(config: Config, named: EventService): ServiceMatch {
  const matches: { found: ServiceConfig; role: "service" | "onDemand" }[] = [];
  for (const s of config.services) {
    if (named.cluster !== undefined && named.cluster !== s.cluster) continue;
    if (s.service === named.service) matches.push({ found: s, role: "service" });
    else if (s.spotFallback?.onDemandService === named.service) matches.push({ found: s, role: "onDemand" });
  }
  if (matches.length === 1) return matches[0]!;
  return { why: matches.length === 0 ? "not configured" : "ambiguous" };
}

/** The configured services whose `alarms` name `alarmName`. */
export function servicesForAlarm(config: Config, alarmName: string): ServiceConfig[] {
  return config.services.filter((s) => s.alarms.includes(alarmName));
}

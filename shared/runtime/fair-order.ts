/**
 * Fair order: the service that has waited longest for a decision goes first, so when a pass cannot
 * do everything at once (UpdateService pacing, the save deadline, a slow dependency) the same
 * services are not always the ones left behind, as they would be in config order. A service never
 * seen (no record) comes before all others.
 */
import type { ServiceConfig } from "../config/config-file.ts";
import type { LoadResult, ServiceRecord } from "../ports/state-store.ts";
import { RECORD_TTL_SECONDS, type TTL_REFRESH_SECONDS } from "./evaluate-service.ts";
import { recordKey } from "./service-index.ts";

/**
 * When the record's service was last decided, as far as its record tells, epoch ms: the later of its
 * latest recommendation and the save time its TTL was set from; -Infinity for a service never decided.
 * A pass that changes nothing saves nothing, and recommendations are runs (an unchanged one is not
 * added), so neither moves at every decision; but the TTL is set at every save and at least every
 * {@link TTL_REFRESH_SECONDS}, so this lags the last decision by at most that plus one pass. A
 * service left behind for longer than that goes before every service decided since.
 */
export function lastEvaluatedMs(record: ServiceRecord | undefined): number {
  const recommendations = record?.history?.recommendations ?? [];
  let latest = Number.NEGATIVE_INFINITY;
  for (const r of recommendations) {
    const at = Date.parse(r.at);
    if (Number.isFinite(at) && at > latest) latest = at;
  }
  if (record?.expiresAt !== undefined)
    latest = Math.max(latest, (record.expiresAt - RECORD_TTL_SECONDS) * 1000);
  return latest;
}

/**
 * `services` longest-waiting first (never seen first of all); ties keep config order. A service
 * whose record could not be loaded keeps its place among the never seen: it fails at once anyway.
 */
export function fairOrder(
  services: readonly ServiceConfig[],
  records: ReadonlyMap<string, LoadResult>,
): ServiceConfig[] {
  // One service has one order: no record to read (a pass of one service runs every few seconds).
  if (services.length < 2) return [...services];
  const waited = (service: ServiceConfig) => {
    const loaded = records.get(recordKey(service));
    return loaded?.ok ? lastEvaluatedMs(loaded.value) : Number.NEGATIVE_INFINITY;
  };
  const keyed = services.map((service, index) => ({ service, index, at: waited(service) }));
  keyed.sort((a, b) => (a.at === b.at ? a.index - b.index : a.at < b.at ? -1 : 1));
  return keyed.map((k) => k.service);
}

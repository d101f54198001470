/**
 * A state store that reads but never writes, for `ecs-autoscaler explain`: it shows what the deployed
 * evaluator would decide from its real memory, and must change nothing, not even that memory.
 */
import type { LoadResult, ReadOptions, SaveResult, ServiceRecord, StateStore } from "../ports/state-store.ts";
import { loadRecords } from "./load-records.ts";

export class ReadOnlyStateStore implements StateStore {
  /** `inner` is the real store to read from; without one every service starts with no history. */
  constructor(private readonly inner?: StateStore) {}

  load(key: string, read?: ReadOptions): Promise<ServiceRecord | undefined> {
    return this.inner ? this.inner.load(key, read) : Promise.resolve(undefined);
  }

  loadMany(keys: readonly string[], read?: ReadOptions): Promise<Map<string, LoadResult>> {
    return this.inner
      ? loadRecords(this.inner, keys, read)
      : Promise.resolve(new Map(keys.map((key) => [key, { ok: true, value: undefined }])));
  }

  /** Accepts and drops the record: nothing is written. */
  save(_record: ServiceRecord): Promise<SaveResult> {
    return Promise.resolve("saved");
  }
}

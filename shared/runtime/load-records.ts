/**
 * Loading many service records at once: by the store's own batch read when it has one (DynamoDB's
 * BatchGetItem), key by key otherwise. Either way each key gets its own outcome and nothing throws.
 */
import pMap from "p-map";
import { failureOf } from "../ports/failure.ts";
import type { LoadResult, ReadOptions, StateStore } from "../ports/state-store.ts";

/** Single-key loads in flight at once, for a store without a batch read. */
export const LOAD_CONCURRENCY = 8;

/**
 * The outcome of every key in `keys` (each once). A single key is read with `load` (GetItem): a
 * pass over one service, as the event handler runs, needs no batch read (nor its permission).
 */
export async function loadRecords(
  state: StateStore,
  keys: readonly string[],
  read?: ReadOptions,
): Promise<Map<string, LoadResult>> {
  const unique = [...new Set(keys)];
  if (state.loadMany && unique.length > 1) return state.loadMany(unique, read);
  // One key (every pass of a one-service config): read it directly, without p-map's machinery.
  if (unique.length === 1) return new Map([[unique[0]!, await loadOne(state, unique[0]!, read)]]);
  const results = await pMap(unique, (key) => loadOne(state, key, read), { concurrency: LOAD_CONCURRENCY });
  return new Map(unique.map((key, i) => [key, results[i]!]));
}

/** One key's outcome by GetItem; a failure is the outcome, never thrown. */
async function loadOne(state: StateStore, key: string, read: ReadOptions | undefined): Promise<LoadResult> {
  try {
    return { ok: true, value: await state.load(key, read) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

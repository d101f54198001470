/**
 * Vitest global setup: starts the services the suite needs once, before any test file runs.
 * (The runtime/adapters work adds dynalite here.)
 */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}

/**
 * Kept only so infra/lib/observability.ts keeps building until its import moves to
 * ./metric-names.ts; the Powertools sink itself lives in functions/lib/powertools-sink.ts.
 */
export { METRIC } from "./metric-names.ts";

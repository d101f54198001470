/**
 * Which fault, if any, a request to the emulation meets. Faults are drawn per request from seeded
 * rates (one table per lane: ECS, SQS, CloudWatch, DynamoDB), or queued one-shot by a test for a given
 * operation; either way they act on the wire, so the SDK's own retry, timeout and error parsing run.
 */
import { type Random, seededRandom } from "./rng.ts";

/** The four services, each an independent lane of faults. */
export type Lane = "ecs" | "sqs" | "cloudwatch" | "dynamodb";
export const LANES: readonly Lane[] = ["ecs", "sqs", "cloudwatch", "dynamodb"];

/**
 * What a fault does to one request:
 * - `throttle`: HTTP 400 with the service's throttling error, the call has no effect;
 * - `serverError`: HTTP 500, no effect;
 * - `hang`: no answer until past the client's request timeout, then the socket closes; no effect;
 * - `reset`: the connection is destroyed on arrival; no effect;
 * - `lostResponse`: the call takes effect, then the connection is destroyed instead of answering;
 * - `conditionalCheck`: (DynamoDB PutItem/UpdateItem only) ConditionalCheckFailedException without
 *   writing, as if another writer had just saved;
 * - `staleDescribe`: (ECS DescribeServices only) answered from an eventually consistent view some
 *   seconds old (see ecs.ts), as ECS may after an UpdateService.
 */
export type FaultKind = "throttle" | "serverError" | "hang" | "reset" | "lostResponse" | "conditionalCheck" | "staleDescribe";
// Appended last: a lane without a rate for it draws the same faults, seed for seed, as before it existed.
export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "serverError", "hang", "reset", "lostResponse", "conditionalCheck", "staleDescribe"];

/** Probability per request of each fault kind, per lane (absent: 0). */
export type FaultRates = Partial<Record<Lane, Partial<Record<FaultKind, number>>>>;

/** Whether `kind` can apply to `operation` (a conditional-check failure only to conditional writes, a stale read only to DescribeServices). */
function applies(kind: FaultKind, lane: Lane, operation: string): boolean {
  if (kind === "conditionalCheck") return lane === "dynamodb" && (operation === "PutItem" || operation === "UpdateItem");
  if (kind === "staleDescribe") return lane === "ecs" && operation === "DescribeServices";
  return true;
}

/** Draws faults and counts what it injected, by lane, operation and kind. */
export class FaultPlan {
  private readonly random: Random;
  private readonly queued = new Map<string, FaultKind[]>();
  /** `lane:operation:kind` → how many were injected. */
  readonly injected = new Map<string, number>();
  /** Rates may be changed between phases of a run (e.g. none while seeding a table). */
  rates: FaultRates;

  constructor(rates: FaultRates = {}, seed = 1) {
    this.rates = rates;
    this.random = seededRandom(seed);
  }

  /** Queues `kind` for the next request(s) of `operation` on `lane` (`times` in a row), before any drawn fault. */
  inject(lane: Lane, operation: string, kind: FaultKind, times = 1): void {
    const key = `${lane}:${operation}`;
    const list = this.queued.get(key) ?? [];
    for (let i = 0; i < times; i++) list.push(kind);
    this.queued.set(key, list);
  }

  /** The fault this request meets, or undefined; counted when there is one. */
  draw(lane: Lane, operation: string): FaultKind | undefined {
    const kind = this.queued.get(`${lane}:${operation}`)?.shift() ?? this.drawn(lane, operation);
    if (kind !== undefined) {
      const key = `${lane}:${operation}:${kind}`;
      this.injected.set(key, (this.injected.get(key) ?? 0) + 1);
    }
    return kind;
  }

  /** Injected faults by kind, all lanes together. */
  totals(): Record<FaultKind, number> {
    const totals = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
    for (const [key, n] of this.injected) totals[key.split(":")[2] as FaultKind] += n;
    return totals;
  }

  private drawn(lane: Lane, operation: string): FaultKind | undefined {
    const rates = this.rates[lane];
    if (!rates) return undefined;
    let roll = this.random();
    for (const kind of FAULT_KINDS) {
      const p = rates[kind] ?? 0;
      if (p <= 0 || !applies(kind, lane, operation)) continue;
      if (roll < p) return kind;
      roll -= p;
    }
    return undefined;
  }
}

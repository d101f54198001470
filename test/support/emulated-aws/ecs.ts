/**
 * An emulated ECS account: services with desired/running/pending counts, the two calls the
 * autoscaler makes (DescribeServices, UpdateService) and the account-wide request throttling ECS
 * documents for them (Amazon ECS API request throttling, "Service actions" and "Describe actions":
 * UpdateService 5 per second sustained with a bucket of 50, DescribeServices 20 per second with a
 * bucket of 100, per account and Region). Every UpdateService that took effect is logged with when it
 * arrived and whether its answer reached the caller, for the invariant checkers.
 *
 * Two of ECS's consistency gaps are modelled, since the runtime's lost-response handling depends on
 * them: DescribeServices is eventually consistent (asked with `stale`, it answers with every
 * service as it was a seeded 1–5 s ago, counts and deployment alike), and an UpdateService whose
 * response was lost takes effect a seeded 0.5–5 s after it arrived rather than at once.
 */
import { between, type Random, seededRandom } from "./rng.ts";

export const ECS_LIMITS = {
  UpdateService: { ratePerSecond: 5, burst: 50 },
  DescribeServices: { ratePerSecond: 20, burst: 100 },
} as const;

/** One service as ECS holds it. */
export interface EmulatedService {
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  status: "ACTIVE" | "DRAINING" | "INACTIVE";
}

/** A window of milliseconds a delay is drawn from (whole ms, both ends included). */
export interface DelayRange {
  min: number;
  max: number;
}

/** How far behind ECS's consistency gaps run (see the module's doc). */
export interface EcsConsistency {
  /** Seed of the delay draws. */
  seed?: number;
  /** How old a stale DescribeServices answer is (default 1–5 s). */
  staleMs?: DelayRange;
  /** How long after it arrived a lost-response UpdateService takes effect (default 0.5–5 s; 0–0: at once). */
  lateLandingMs?: DelayRange;
}

/** One state a service was in, from `at` (epoch ms) until the next. */
interface ServiceState {
  at: number;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** Epoch ms when the desired count last changed: the deployment's updatedAt. */
  updatedAt: number;
}

/** An UpdateService that reached ECS and changed (or re-set) the desired count. */
export interface AppliedUpdate {
  /** `cluster/service`. */
  key: string;
  desiredCount: number;
  /** The count before the call. */
  from: number;
  /** Epoch ms when ECS applied it (later than it arrived when its response was lost). */
  at: number;
  /** False when the response was dropped (a lost-response fault): the caller did not learn it landed. */
  answered: boolean;
}

/** A wire-level answer: HTTP status and JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** A refilling bucket in wall-clock time, like ECS's per-account API buckets. */
class AccountBucket {
  private tokens: number;
  private at = Date.now();
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.ratePerSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** ECS's JSON error body. */
export function ecsError(status: number, type: string, message: string): Answer {
  return { status, body: { __type: type, message } };
}

/** How a call meets ECS: whether its answer reaches the caller, and whether a describe reads stale. */
export interface CallOptions {
  /** False for the lost-response fault: the call still takes effect (late), the caller never hears. */
  answered: boolean;
  /** A DescribeServices answered from an eventually consistent replica some seconds behind. */
  stale?: boolean;
}

/** The emulated ECS of one account and Region. */
export class EmulatedEcs {
  /** `cluster/service` → state. */
  readonly services = new Map<string, EmulatedService>();
  readonly applied: AppliedUpdate[] = [];
  /** Calls refused by the account buckets, by operation. */
  readonly throttled = { UpdateService: 0, DescribeServices: 0 };
  /** DescribeServices answered stale, and lost-response UpdateService calls that landed late. */
  readonly lagged = { staleDescribes: 0, lateLandings: 0 };
  private readonly buckets = {
    UpdateService: new AccountBucket(ECS_LIMITS.UpdateService.ratePerSecond, ECS_LIMITS.UpdateService.burst),
    DescribeServices: new AccountBucket(ECS_LIMITS.DescribeServices.ratePerSecond, ECS_LIMITS.DescribeServices.burst),
  };
  /** `cluster/service` → its states of the last {@link staleMs}.max ms, oldest first. */
  private readonly states = new Map<string, ServiceState[]>();
  /** Lost-response updates that have not landed yet. */
  private readonly landing = new Set<NodeJS.Timeout>();
  private readonly random: Random;
  private readonly staleMs: DelayRange;
  private readonly lateLandingMs: DelayRange;

  constructor(consistency: EcsConsistency = {}) {
    this.random = seededRandom(consistency.seed ?? 1);
    this.staleMs = consistency.staleMs ?? { min: 1_000, max: 5_000 };
    this.lateLandingMs = consistency.lateLandingMs ?? { min: 500, max: 5_000 };
  }

  /** Adds or replaces a service; running follows desired unless given. */
  put(key: string, desiredCount: number, running = desiredCount): void {
    const s: EmulatedService = { desiredCount, runningCount: running, pendingCount: 0, status: "ACTIVE" };
    this.services.set(key, s);
    this.states.set(key, []);
    this.remember(key, s, Date.now());
  }

  /** Answers one ECS call (see {@link CallOptions}). */
  handle(operation: string, input: Record<string, unknown>, call: CallOptions): Answer {
    if (operation === "DescribeServices") return this.limited(operation, () => this.describe(input, call.stale === true));
    if (operation === "UpdateService") return this.limited(operation, () => this.update(input, call.answered));
    return ecsError(400, "InvalidAction", `${operation} is not emulated`);
  }

  /** Resolves once every lost-response update still due has landed. */
  async settled(): Promise<void> {
    while (this.landing.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Drops the updates still due (the account is going away). */
  close(): void {
    for (const timer of this.landing) clearTimeout(timer);
    this.landing.clear();
  }

  private limited(operation: keyof typeof ECS_LIMITS, act: () => Answer): Answer {
    if (!this.buckets[operation].take()) {
      this.throttled[operation] += 1;
      return ecsError(400, "ThrottlingException", "Rate exceeded");
    }
    return act();
  }

  private describe(input: Record<string, unknown>, stale: boolean): Answer {
    const asOf = stale ? Date.now() - between(this.random, this.staleMs.min, this.staleMs.max) : Date.now();
    if (stale) this.lagged.staleDescribes += 1;
    const cluster = String(input.cluster ?? "default");
    const names = (input.services as string[] | undefined) ?? [];
    if (names.length > 10) return ecsError(400, "InvalidParameterException", "services: at most 10");
    const services = [];
    const failures = [];
    for (const name of names) {
      const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`;
      const s = this.services.get(`${cluster}/${name}`);
      const state = this.stateAt(`${cluster}/${name}`, asOf);
      if (!s || !state) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      const counts = { desiredCount: state.desiredCount, runningCount: state.runningCount, pendingCount: state.pendingCount };
      services.push({
        serviceName: name,
        serviceArn: arn,
        clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
        status: s.status,
        ...counts,
        // JSON 1.1 timestamps are epoch seconds.
        deployments: [{ id: "ecs-svc/1", status: "PRIMARY", rolloutState: "COMPLETED", ...counts, updatedAt: state.updatedAt / 1000 }],
      });
    }
    return { status: 200, body: { services, failures } };
  }

  private update(input: Record<string, unknown>, answered: boolean): Answer {
    const key = `${String(input.cluster ?? "default")}/${String(input.service)}`;
    const s = this.services.get(key);
    if (s?.status !== "ACTIVE") return ecsError(400, "ServiceNotFoundException", "Service not found.");
    const desiredCount = input.desiredCount;
    if (typeof desiredCount !== "number" || !Number.isInteger(desiredCount) || desiredCount < 0) return ecsError(400, "InvalidParameterException", "desiredCount must be an integer >= 0");
    const land = () => this.apply(key, s, desiredCount, answered);
    if (answered) land();
    else this.later(between(this.random, this.lateLandingMs.min, this.lateLandingMs.max), land);
    return { status: 200, body: { service: { serviceName: input.service, desiredCount, status: "ACTIVE" } } };
  }

  /** The update takes effect now, logged for the checkers with the count it replaced. */
  private apply(key: string, s: EmulatedService, desiredCount: number, answered: boolean): void {
    const at = Date.now();
    this.applied.push({ key, desiredCount, from: s.desiredCount, at, answered });
    // Tasks start at once: start-up time is not what these runs measure.
    s.desiredCount = desiredCount;
    s.runningCount = desiredCount;
    this.remember(key, s, at);
  }

  /** Runs `land` after `ms` (at once for 0), counted as a late landing. */
  private later(ms: number, land: () => void): void {
    if (ms <= 0) {
      land();
      return;
    }
    this.lagged.lateLandings += 1;
    const timer = setTimeout(() => {
      this.landing.delete(timer);
      land();
    }, ms);
    this.landing.add(timer);
  }

  /** Appends the service's state from `at`, dropping states no stale read can reach any more. */
  private remember(key: string, s: EmulatedService, at: number): void {
    const list = this.states.get(key) ?? [];
    const previous = list.at(-1);
    const updatedAt = previous && previous.desiredCount === s.desiredCount ? previous.updatedAt : at;
    list.push({ at, desiredCount: s.desiredCount, runningCount: s.runningCount, pendingCount: s.pendingCount, updatedAt });
    const horizon = at - this.staleMs.max;
    // Keep the newest state at or before the horizon: it is what a read that far back sees.
    while (list.length > 1 && list[1]!.at <= horizon) list.shift();
    this.states.set(key, list);
  }

  /** The service's state as of `atMs`; the oldest kept one when it was created later than that. */
  private stateAt(key: string, atMs: number): ServiceState | undefined {
    const list = this.states.get(key);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.at <= atMs) return list[i];
    return list[0];
  }
}

/**
 * An emulated ECS account: services with desired/running/pending counts, the two calls the
 * autoscaler makes (DescribeServices, UpdateService) and the account-wide request throttling ECS
 * documents for them (Amazon ECS API request throttling, "Service actions" and "Describe actions":
 * UpdateService 5 per second sustained with a bucket of 50, DescribeServices 20 per second with a
 * bucket of 100, per account and Region). Every UpdateService that took effect is logged with when it
 * arrived and whether its answer reached the caller, for the invariant checkers.
 */

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

/** An UpdateService that reached ECS and changed (or re-set) the desired count. */
export interface AppliedUpdate {
  /** `cluster/service`. */
  key: string;
  desiredCount: number;
  /** The count before the call. */
  from: number;
  /** Epoch ms when ECS applied it. */
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

/** The emulated ECS of one account and Region. */
export class EmulatedEcs {
  /** `cluster/service` → state. */
  readonly services = new Map<string, EmulatedService>();
  readonly applied: AppliedUpdate[] = [];
  /** Calls refused by the account buckets, by operation. */
  readonly throttled = { UpdateService: 0, DescribeServices: 0 };
  private readonly buckets = {
    UpdateService: new AccountBucket(ECS_LIMITS.UpdateService.ratePerSecond, ECS_LIMITS.UpdateService.burst),
    DescribeServices: new AccountBucket(ECS_LIMITS.DescribeServices.ratePerSecond, ECS_LIMITS.DescribeServices.burst),
  };

  /** Adds or replaces a service; running follows desired unless given. */
  put(key: string, desiredCount: number, running = desiredCount): void {
    this.services.set(key, { desiredCount, runningCount: running, pendingCount: 0, status: "ACTIVE" });
  }

  /**
   * Answers one ECS call. `answered` is false when the caller will not see the answer (the
   * lost-response fault): the call still takes effect, which is the point of that fault.
   */
  handle(operation: string, input: Record<string, unknown>, answered: boolean): Answer {
    if (operation === "DescribeServices") return this.limited(operation, () => this.describe(input));
    if (operation === "UpdateService") return this.limited(operation, () => this.update(input, answered));
    return ecsError(400, "InvalidAction", `${operation} is not emulated`);
  }

  private limited(operation: keyof typeof ECS_LIMITS, act: () => Answer): Answer {
    if (!this.buckets[operation].take()) {
      this.throttled[operation] += 1;
      return ecsError(400, "ThrottlingException", "Rate exceeded");
    }
    return act();
  }

  private describe(input: Record<string, unknown>): Answer {
    const cluster = String(input.cluster ?? "default");
    const names = (input.services as string[] | undefined) ?? [];
    if (names.length > 10) return ecsError(400, "InvalidParameterException", "services: at most 10");
    const services = [];
    const failures = [];
    for (const name of names) {
      const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`;
      const s = this.services.get(`${cluster}/${name}`);
      if (!s) {
        failures.push({ arn, reason: "MISSING" });
        continue;
      }
      services.push({
        serviceName: name,
        serviceArn: arn,
        clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`,
        status: s.status,
        desiredCount: s.desiredCount,
        runningCount: s.runningCount,
        pendingCount: s.pendingCount,
        deployments: [{ id: "ecs-svc/1", status: "PRIMARY", rolloutState: "COMPLETED" }],
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
    this.applied.push({ key, desiredCount, from: s.desiredCount, at: Date.now(), answered });
    // Tasks start at once: start-up time is not what these runs measure.
    s.desiredCount = desiredCount;
    s.runningCount = desiredCount;
    return { status: 200, body: { service: { serviceName: input.service, desiredCount, status: "ACTIVE" } } };
  }
}

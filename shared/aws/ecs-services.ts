/**
 * ServicesPort on Amazon ECS: DescribeServices (at most 10 services per call, one cluster per call)
 * and UpdateService (desiredCount only), each call taken from an {@link UpdateBudget}: in Lambda the
 * budget shared through the state table (shared/aws/update-budget.ts), inside ECS's account-wide
 * "service modify" limit (burst 50, 5 per second sustained, shared with deployments and anything else
 * in the account that calls UpdateService); by default a token bucket of this process only.
 */

import {
  type Deployment,
  DescribeServicesCommand,
  type DescribeServicesCommandOutput,
  type ECSClient,
  type Service,
  UpdateServiceCommand,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";
import pMap from "p-map";
import { type Clock, systemClock } from "../ports/clock.ts";
import { PortError, type PortFailure } from "../ports/failure.ts";
import type {
  DescribeFailure,
  DescribeResult,
  ServiceRef,
  ServiceSnapshot,
  ServicesPort,
} from "../ports/services.ts";
import type { UpdateBudget, UpdateRequest } from "../ports/update-budget.ts";
import type { UsageMeter } from "../ports/usage.ts";
import { classify } from "./errors.ts";
import { localUpdateBudget } from "./update-budget.ts";

/** DescribeServices' limit: "You may specify up to 10 services to describe in a single operation." */
export const DESCRIBE_BATCH_SIZE = 10;

export interface EcsServicesOptions {
  /**
   * Where UpdateService calls come from. The Lambda functions pass the budget shared through the
   * state table; without one, a token bucket of this process only (`updatesPerSecond`, `updateBurst`).
   */
  budget?: UpdateBudget;
  /**
   * The local bucket's calls per second, when no `budget` is given. ECS allows 5/s sustained per
   * account and Region for all service modifications together.
   */
  updatesPerSecond?: number;
  /** The local bucket's calls that may go at once after a quiet period (ECS's bucket holds 50). */
  updateBurst?: number;
  /** DescribeServices calls in flight at once (ECS's read budget is 20/s sustained, burst 100). */
  describeConcurrency?: number;
  /**
   * The client UpdateService goes through: one without SDK retries in Lambda (`ecsUpdates` of
   * shared/aws/clients.ts), so one decision never sends two calls behind the adapter's back; the
   * adapter retries a throttled call once itself (see {@link EcsServices.setDesiredCount}). Default: `ecs`.
   */
  updateClient?: ECSClient;
  /** Time for the limiter and for when an update landed; virtual in tests. */
  clock?: Clock;
  /** Counts the calls made (for the own bill); none by default. */
  meter?: UsageMeter;
}

export const DEFAULT_UPDATES_PER_SECOND = 2;
export const DEFAULT_UPDATE_BURST = 10;
export const DEFAULT_DESCRIBE_CONCURRENCY = 4;

/** One DescribeServices call: a cluster and up to 10 of its services (as the refs named them). */
export interface DescribeBatch {
  cluster: string;
  refs: ServiceRef[];
}

/** The service name in a ref that may be a name or an ARN (`…:service/cluster/name` or `…:service/name`). */
export function serviceNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith("arn:") ? (nameOrArn.split("/").pop() ?? nameOrArn) : nameOrArn;
}

/**
 * Parse: groups refs by cluster (first-seen order), drops duplicates, and cuts each cluster's list
 * into DescribeServices batches of at most {@link DESCRIBE_BATCH_SIZE}.
 */
export function planDescribeBatches(refs: readonly ServiceRef[]): DescribeBatch[] {
  const byCluster = new Map<string, Map<string, ServiceRef>>();
  for (const ref of refs) {
    const services = byCluster.get(ref.cluster) ?? new Map<string, ServiceRef>();
    byCluster.set(ref.cluster, services);
    if (!services.has(ref.service)) services.set(ref.service, ref);
  }
  const batches: DescribeBatch[] = [];
  for (const [cluster, services] of byCluster) {
    const list = [...services.values()];
    for (let i = 0; i < list.length; i += DESCRIBE_BATCH_SIZE) {
      batches.push({ cluster, refs: list.slice(i, i + DESCRIBE_BATCH_SIZE) });
    }
  }
  return batches;
}

/**
 * Whether a deployment is under way, so scale-in is held (as Service Auto Scaling does): a deployment
 * whose rollout is IN_PROGRESS, or an old ACTIVE deployment still running beside the PRIMARY one
 * (rolloutState is only set for the rolling-update controller).
 */
export function deploymentInProgress(deployments: readonly Deployment[] | undefined): boolean {
  return (deployments ?? []).some((d) => d.rolloutState === "IN_PROGRESS" || d.status === "ACTIVE");
}

/**
 * Process: turns one DescribeServices response into snapshots and failures. Every ref of the batch
 * ends up in exactly one of the two: ECS's failures[] (MISSING, …), services that are not ACTIVE
 * (INACTIVE, DRAINING: they cannot be scaled), responses without counts, and refs ECS did not mention.
 */
export function processDescribeOutput(
  batch: DescribeBatch,
  output: Pick<DescribeServicesCommandOutput, "services" | "failures">,
): DescribeResult {
  const result: DescribeResult = { services: [], failures: [] };
  const pending = new Map(batch.refs.map((ref) => [serviceNameOf(ref.service), ref]));

  for (const failure of output.failures ?? []) {
    const name = serviceNameOf(failure.arn ?? "");
    const ref = pending.get(name);
    if (!ref) continue;
    pending.delete(name);
    const reason = failure.reason ?? "UNKNOWN";
    const message = failure.detail ? `${reason}: ${failure.detail}` : reason;
    result.failures.push({ ref, failure: { kind: "notFound", message }, callFailed: false });
  }

  for (const service of output.services ?? []) {
    const name = service.serviceName ?? serviceNameOf(service.serviceArn ?? "");
    const ref = pending.get(name);
    if (!ref) continue;
    pending.delete(name);
    const described = snapshotOf(ref, service);
    if ("failure" in described) result.failures.push(described);
    else result.services.push(described);
  }

  for (const ref of pending.values()) {
    result.failures.push({
      ref,
      failure: { kind: "notFound", message: "not in the DescribeServices response" },
      callFailed: false,
    });
  }
  return result;
}

/** One described service as a snapshot, or why it cannot be scaled (not ACTIVE, or no counts). */
function snapshotOf(ref: ServiceRef, service: Service): ServiceSnapshot | DescribeFailure {
  if (service.status !== "ACTIVE") {
    return { ref, failure: { kind: "notFound", message: service.status ?? "no status" }, callFailed: false };
  }
  const { desiredCount, runningCount, pendingCount } = service;
  if (desiredCount === undefined || runningCount === undefined || pendingCount === undefined) {
    return {
      ref,
      failure: {
        kind: "invalid",
        message: "DescribeServices returned no desiredCount/runningCount/pendingCount",
      },
      callFailed: false,
    };
  }
  return {
    cluster: ref.cluster,
    service: ref.service,
    desiredCount,
    runningCount,
    pendingCount,
    deploymentInProgress: deploymentInProgress(service.deployments),
  };
}

/** Parse: the UpdateService input, which changes the desired count and nothing else. */
export function updateServiceInput(ref: ServiceRef, desiredCount: number): UpdateServiceCommandInput {
  if (!Number.isInteger(desiredCount) || desiredCount < 0) {
    throw new RangeError(
      `desiredCount for ${ref.cluster}/${ref.service} must be an integer >= 0, got ${desiredCount}`,
    );
  }
  return { cluster: ref.cluster, service: ref.service, desiredCount };
}

/** {@link ServicesPort} backed by ECS. */
export class EcsServices implements ServicesPort {
  private readonly budget: UpdateBudget;
  private readonly updateClient: ECSClient;
  private readonly clock: Clock;
  private readonly describeConcurrency: number;
  private readonly meter: UsageMeter | undefined;

  constructor(
    private readonly ecs: ECSClient,
    options: EcsServicesOptions = {},
  ) {
    this.budget =
      options.budget ??
      localUpdateBudget(
        options.updatesPerSecond ?? DEFAULT_UPDATES_PER_SECOND,
        options.updateBurst ?? DEFAULT_UPDATE_BURST,
        options.clock,
      );
    this.updateClient = options.updateClient ?? ecs;
    this.clock = options.clock ?? systemClock;
    this.describeConcurrency = options.describeConcurrency ?? DEFAULT_DESCRIBE_CONCURRENCY;
    this.meter = options.meter;
  }

  /**
   * Describes `refs` in batches of 10 per cluster. A batch whose call fails (throttling after the
   * SDK's retries, 5xx, access denied) reports each of its refs as a failed call with the classified
   * failure; the other batches still count.
   */
  async describe(refs: readonly ServiceRef[]): Promise<DescribeResult> {
    const batches = planDescribeBatches(refs);
    const results = await pMap(
      batches,
      async (batch): Promise<DescribeResult> => {
        try {
          this.meter?.call("ecs:DescribeServices");
          const output = await this.ecs.send(
            new DescribeServicesCommand({
              cluster: batch.cluster,
              services: batch.refs.map((r) => r.service),
            }),
          );
          return processDescribeOutput(batch, output);
        } catch (error) {
          const failure = classify(error);
          return { services: [], failures: batch.refs.map((ref) => ({ ref, failure, callFailed: true })) };
        }
      },
      { concurrency: this.describeConcurrency },
    );
    return {
      services: results.flatMap((r) => r.services),
      failures: results.flatMap((r) => r.failures),
    };
  }

  /**
   * Sets the desired count and returns when it landed. Each call waits for the budget (served by
   * `request.need` while it binds) and none is sent after `request.by`. On a failure:
   * - throttling: sent again once, budget-paced (ECS refused it, nothing changed);
   * - a 5xx, a timeout or a reset connection (the response may be lost after ECS applied it):
   *   DescribeServices; if it shows the count, the update landed; otherwise a `transient` PortError,
   *   never a second call: the first may still land after the describe (ECS can apply a timed-out
   *   request later, and DescribeServices is eventually consistent), so a resend could be a second
   *   UpdateService for one decision, and one landing after a newer decision's would undo it. The
   *   caller's pending mark settles it on a later pass (shared/runtime/pending-update.ts);
   * - anything else (validation, access denied, a missing service): not retried.
   * What is left throws a PortError; only a `transient` failure may have changed the count
   * ({@link mayHaveApplied}).
   */
  async setDesiredCount(
    ref: ServiceRef,
    desiredCount: number,
    request: UpdateRequest = { need: 0 },
  ): Promise<Date> {
    const input = updateServiceInput(ref, desiredCount);
    const first = await this.sendUpdate(ref, input, request);
    if (first instanceof Date) return first;
    if (first.kind === "transient") {
      if ((await this.describedCount(ref)) === desiredCount) return this.clock.now();
      throw new PortError(first);
    }
    if (first.kind !== "throttled") throw new PortError(first);
    const second = await this.sendUpdate(ref, input, request);
    if (second instanceof Date) return second;
    throw new PortError(second);
  }

  /** One budget-paced UpdateService: when it landed, or its classified failure. */
  private async sendUpdate(
    ref: ServiceRef,
    input: UpdateServiceCommandInput,
    request: UpdateRequest,
  ): Promise<Date | PortFailure> {
    if (!(await this.budget.take(request))) return budgetExhausted(ref, request);
    // A slot granted while `by` passed (its table call was in flight) is not used: nothing goes after `by`.
    if (request.by && this.clock.now().getTime() > request.by.getTime()) return budgetExhausted(ref, request);
    this.meter?.call("ecs:UpdateService");
    try {
      await this.updateClient.send(new UpdateServiceCommand(input));
      return this.clock.now();
    } catch (error) {
      return classify(error);
    }
  }

  /** The service's desired count as DescribeServices shows it now; undefined if that cannot be read. */
  private async describedCount(ref: ServiceRef): Promise<number | undefined> {
    const { services } = await this.describe([ref]);
    return services[0]?.desiredCount;
  }
}

/** The failure of an UpdateService that never went: the budget had no call for it in time. */
function budgetExhausted(ref: ServiceRef, request: UpdateRequest): PortFailure {
  return {
    kind: "throttled",
    message: `UpdateService budget: no call free for ${ref.cluster}/${ref.service} before ${request.by?.toISOString()}, not sent`,
  };
}

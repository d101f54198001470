/**
 * Keeps an ECS task protected from scale-in while it holds work, and lets it go when idle.
 *
 * Each piece of work calls {@link ScaleInProtection.hold} before it starts and
 * {@link ScaleInProtection.release} when it is done. The first hold turns protection on (and waits for
 * it, bounded by the endpoint's timeout); while anything is held the protection is renewed before it
 * expires, so long jobs stay covered; after the last release it stays on for `idleSeconds` more (a
 * steady stream of messages would otherwise toggle it per message, and every toggle is an ECS API call)
 * and is then turned off, so the autoscaler's scale-in can pick this task again.
 *
 * Protection is a best effort that never stands in the way of the work: a failed or slow call is
 * reported through `onEvent` and the work goes on. What protects the message then is SQS itself — a
 * message whose task is stopped is received again after its visibility timeout.
 */
import { AgentEndpoint, clampMinutes, DEPLOYMENT_BLOCKED, type ProtectionResult } from "./agent-endpoint.ts";

/** What happened to the protection, for the worker's logs. */
export type ProtectionEvent =
  | { type: "protected" | "renewed" | "unprotected"; expiresAt?: Date }
  | {
      type: "failed";
      action: "protect" | "renew" | "unprotect";
      kind: string;
      message: string;
      /**
       * ECS refused because the service already has more protected tasks than its desired count
       * (`DEPLOYMENT_BLOCKED`): this task works unprotected until a protection ends or the count rises.
       */
      deploymentBlocked?: true;
    }
  | { type: "unavailable"; message: string };

export interface ScaleInProtectionOptions {
  /** The agent endpoint client; default: one on `ECS_AGENT_URI`. */
  endpoint?: AgentEndpoint;
  /**
   * How long one protection lasts, minutes (ECS: 1–2880). Choose at least the queue's visibility
   * timeout: after it, an unfinished message is visible again anyway. Default 5.
   */
  expiresInMinutes?: number;
  /** Renew this often while work is held; default half of `expiresInMinutes`. */
  renewEverySeconds?: number;
  /** Stay protected this long after the last release; default 5 s. */
  idleSeconds?: number;
  /** After a failed protect, wait this long before the next hold tries again; default 5 s. */
  retryAfterSeconds?: number;
  onEvent?: (event: ProtectionEvent) => void;
}

/** Reference-counted scale-in protection of the task this process runs in. */
export class ScaleInProtection {
  private readonly endpoint: AgentEndpoint;
  private readonly minutes: number;
  private readonly renewMs: number;
  private readonly idleMs: number;
  private readonly retryMs: number;
  private readonly onEvent: (event: ProtectionEvent) => void;
  private held = 0;
  private protectedNow = false;
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private unavailable = false;
  /** An unprotect call is on its way: protection may be off once it lands. */
  private unprotecting = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly drainWaiters: (() => void)[] = [];
  private renewTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(options: ScaleInProtectionOptions = {}) {
    this.endpoint = options.endpoint ?? new AgentEndpoint();
    this.minutes = clampMinutes(options.expiresInMinutes ?? 5);
    this.renewMs = (options.renewEverySeconds ?? (this.minutes * 60) / 2) * 1000;
    this.idleMs = (options.idleSeconds ?? 5) * 1000;
    this.retryMs = (options.retryAfterSeconds ?? 5) * 1000;
    this.onEvent = options.onEvent ?? (() => {});
    if (!this.endpoint.url)
      this.markUnavailable("ECS_AGENT_URI is not set: not running in an ECS task, protection is off");
  }

  /** Pieces of work held now. */
  get holding(): number {
    return this.held;
  }

  /** Whether the last successful call left the task protected. */
  get isProtected(): boolean {
    return this.protectedNow;
  }

  /** Marks one piece of work as started; resolves once the task is protected or the attempt failed. */
  async hold(): Promise<void> {
    this.held += 1;
    this.clearIdle();
    if (this.unavailable || (this.protectedNow && !this.unprotecting)) return;
    if (!this.protectedNow && Date.now() - this.lastFailureAt < this.retryMs) return;
    // Queued behind an unprotect already on its way, this protect turns protection back on after it.
    await this.enqueue("protect");
  }

  /** Marks one piece of work as done; the last one starts the idle countdown to unprotect. */
  release(): void {
    if (this.held === 0) return;
    this.held -= 1;
    if (this.held > 0) return;
    for (const wake of this.drainWaiters.splice(0)) wake();
    if (this.unavailable) return;
    this.startIdleCountdown(this.idleMs);
  }

  /** Resolves once nothing is held, or after `timeoutMs`; true when it drained. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.held === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Stops the timers and, if the task is protected, unprotects it now (for shutdown). */
  async close(): Promise<void> {
    this.clearIdle();
    clearTimeout(this.renewTimer);
    this.renewTimer = undefined;
    this.held = 0;
    if (!this.unavailable) await this.enqueue("unprotect");
  }

  /** Calls run one at a time, in order; each re-checks whether it is still wanted when its turn comes. */
  private enqueue(action: "protect" | "unprotect" | "renew"): Promise<void> {
    const run = this.chain.then(() => this.apply(action));
    this.chain = run.catch(() => {});
    return run;
  }

  private async apply(action: "protect" | "unprotect" | "renew"): Promise<void> {
    if (action === "protect" && (this.protectedNow || this.held === 0)) return;
    if (action === "renew" && (!this.protectedNow || this.held === 0)) return;
    if (action === "unprotect" && (!this.protectedNow || this.held > 0)) return;
    const enable = action !== "unprotect";
    this.unprotecting = !enable;
    try {
      this.record(action, await this.endpoint.setProtection(enable, enable ? this.minutes : undefined));
    } finally {
      this.unprotecting = false;
    }
  }

  private record(action: "protect" | "unprotect" | "renew", result: ProtectionResult): void {
    if (!result.ok) {
      if (action !== "unprotect") this.lastFailureAt = Date.now();
      if (action === "renew") this.protectedNow = false;
      this.onEvent(failedEvent(action, result));
      // Keep trying while work is held (the renewal tick retries a failed protect as well); a failed
      // unprotect is retried too, or the task would stay out of scale-in until the protection expires.
      if (this.held > 0) this.scheduleRenewal();
      else if (action === "unprotect") this.startIdleCountdown(this.retryMs);
      return;
    }
    this.protectedNow = result.state.enabled;
    const type = action === "unprotect" ? "unprotected" : action === "renew" ? "renewed" : "protected";
    this.onEvent(result.state.expiresAt ? { type, expiresAt: result.state.expiresAt } : { type });
    if (this.protectedNow) this.scheduleRenewal();
    else clearTimeout(this.renewTimer);
  }

  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      if (this.held === 0) return;
      void this.enqueue(this.protectedNow ? "renew" : "protect");
    }, this.renewMs);
    this.renewTimer.unref();
  }

  private startIdleCountdown(ms: number): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => void this.enqueue("unprotect"), ms);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private markUnavailable(message: string): void {
    this.unavailable = true;
    this.onEvent({ type: "unavailable", message });
  }
}

/** The event for a failed call; a `DEPLOYMENT_BLOCKED` refusal says what it means and what resolves it. */
function failedEvent(
  action: "protect" | "renew" | "unprotect",
  result: ProtectionResult & { ok: false },
): ProtectionEvent {
  const event = { type: "failed" as const, action, kind: result.kind, message: result.message };
  // The guide calls it an error message without saying which field carries it: the reason, the code or the text.
  if (result.code !== DEPLOYMENT_BLOCKED && !result.message.includes(DEPLOYMENT_BLOCKED)) return event;
  return {
    ...event,
    deploymentBlocked: true,
    message: `${result.message} (the service has more protected tasks than its desired count: this task works unprotected, and a message it holds returns after its visibility timeout if the task is stopped; it clears when protections end or the desired count rises above the protected tasks)`,
  };
}

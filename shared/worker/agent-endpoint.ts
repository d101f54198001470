/**
 * The ECS container agent's task scale-in protection endpoint, as a task's own containers reach it:
 * `PUT $ECS_AGENT_URI/task-protection/v1/state` with `{"ProtectionEnabled": bool, "ExpiresInMinutes": n}`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection-endpoint.html).
 *
 * The agent answers 200 with `{"protection": {...}}` when ECS accepted the change, 200 with
 * `{"failure": {"Arn", "Reason", "Detail"}}` when ECS refused it for this task, and a 4xx/5xx status
 * with `{"error": {"Arn", "Code", "Message"}}` when the request or the call to ECS failed. This client
 * never throws: every outcome, a timeout and an unreachable agent included, is a {@link ProtectionResult}.
 */

/** Minutes ECS accepts for `ExpiresInMinutes`. */
export const protectionMinutes = { min: 1, max: 2880 } as const;

/** The task's protection as ECS reports it after a successful call. */
export interface ProtectionState {
  enabled: boolean;
  /** When ECS clears the protection by itself; absent when not protected. */
  expiresAt?: Date;
  taskArn?: string;
}

/** What one call to the endpoint came to. */
export type ProtectionResult =
  | { ok: true; state: ProtectionState }
  | {
      ok: false;
      kind: "failure" | "error" | "timeout" | "unreachable" | "malformed";
      message: string;
      /** ECS's reason (`failure.Reason`) or error code (`error.Code`), when the answer names one. */
      code?: string;
    };

/**
 * The reason ECS gives when a service has more protected tasks than its desired count: it refuses
 * to protect more, and a deployment waits for protections to end
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html).
 */
export const DEPLOYMENT_BLOCKED = "DEPLOYMENT_BLOCKED";

export interface AgentEndpointOptions {
  /** The agent's URI; default `ECS_AGENT_URI`, which ECS sets in every container of a task. */
  agentUri?: string;
  /** Per-call timeout; the endpoint itself calls ECS with a timeout of its own. Default 5 s. */
  timeoutMs?: number;
  /** For tests: a fetch implementation. Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A client of the task protection endpoint; `undefined` URI means "not running in an ECS task". */
export class AgentEndpoint {
  readonly url: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: AgentEndpointOptions = {}) {
    const base = options.agentUri ?? process.env.ECS_AGENT_URI;
    this.url = base ? `${base.replace(/\/+$/, "")}/task-protection/v1/state` : undefined;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Turns protection on for `expiresInMinutes` (clamped to what ECS accepts), or off. */
  async setProtection(enabled: boolean, expiresInMinutes?: number): Promise<ProtectionResult> {
    if (!this.url)
      return {
        ok: false,
        kind: "unreachable",
        message: "ECS_AGENT_URI is not set (not running in an ECS task)",
      };
    const body: Record<string, unknown> = { ProtectionEnabled: enabled };
    if (enabled && expiresInMinutes !== undefined) body.ExpiresInMinutes = clampMinutes(expiresInMinutes);
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return transportFailure(error, this.timeoutMs);
    }
    return parseResponse(response.status, await response.text().catch(() => ""));
  }
}

/** Whole minutes within ECS's range. */
export function clampMinutes(minutes: number): number {
  if (!Number.isFinite(minutes)) return protectionMinutes.max;
  return Math.min(protectionMinutes.max, Math.max(protectionMinutes.min, Math.ceil(minutes)));
}

function transportFailure(error: unknown, timeoutMs: number): ProtectionResult {
  const name = (error as Error).name;
  if (name === "TimeoutError" || name === "AbortError") {
    return { ok: false, kind: "timeout", message: `no answer from the agent within ${timeoutMs} ms` };
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return {
    ok: false,
    kind: "unreachable",
    message: cause?.code ?? cause?.message ?? (error as Error).message,
  };
}

/** The agent's three response shapes, told apart; anything else is `malformed`. */
export function parseResponse(status: number, text: string): ProtectionResult {
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const error = record(body?.error);
  if (error)
    return withCode(str(error.Code), {
      ok: false,
      kind: "error",
      message: `${status} ${str(error.Code) ?? "error"}: ${str(error.Message) ?? ""}`.trim(),
    });
  const failure = record(body?.failure);
  if (failure)
    return withCode(str(failure.Reason), {
      ok: false,
      kind: "failure",
      message: [str(failure.Reason), str(failure.Detail)].filter(Boolean).join(": ") || "failure",
    });
  const protection = record(body?.protection);
  if (status === 200 && protection && typeof protection.ProtectionEnabled === "boolean") {
    return { ok: true, state: protectionState(protection) };
  }
  return { ok: false, kind: "malformed", message: `HTTP ${status}: ${text.slice(0, 200)}` };
}

function withCode(code: string | undefined, result: ProtectionResult & { ok: false }): ProtectionResult {
  return code === undefined ? result : { ...result, code };
}

function protectionState(p: Record<string, unknown>): ProtectionState {
  const state: ProtectionState = { enabled: p.ProtectionEnabled === true };
  const expires = str(p.ExpirationDate);
  if (expires && !Number.isNaN(Date.parse(expires))) state.expiresAt = new Date(expires);
  const arn = str(p.TaskArn);
  if (arn) state.taskArn = arn;
  return state;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

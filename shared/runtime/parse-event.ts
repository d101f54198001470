/**
 * Raw EventBridge events (ECS task, service action and deployment state changes, CloudWatch alarm
 * state changes) → the few typed facts the runtime acts on. Tolerant the way AWS asks
 * ("Amazon ECS might add other event types, sources, and details in the future"): unknown fields are
 * ignored and unknown detail-types come back as `unknown`; only a known event whose fields have the
 * wrong shape is malformed, with every problem named by its JSON path. Sizes are bounded
 * (./event-bounds.ts): an ARN or id longer than AWS makes is malformed, free text is cut. Pure.
 */
import {
  type Check,
  type Checked,
  list,
  num,
  object,
  optional,
  runCheck,
  text,
  transformed,
} from "../config/checks.ts";
import { type ConfigProblem, ValidationError } from "../config/issues.ts";
import type { Result } from "../ports/failure.ts";
import { MAX_ARN_LENGTH, MAX_ID_LENGTH, MAX_REASON_LENGTH } from "./event-bounds.ts";

/** A timestamp, normalised to `toISOString()` form so every stored time has one format. */
const instant = transformed(
  text({ max: MAX_ID_LENGTH, refine: [(s) => !Number.isNaN(Date.parse(s)), "not a timestamp"] }),
  (s) => new Date(s).toISOString(),
);
/** ARNs longer than AWS can make are refused: they would end up in keys and logs. */
const arn = text({ min: 1, max: MAX_ARN_LENGTH });
const id = text({ max: MAX_ID_LENGTH });
const nonEmptyId = text({ min: 1, max: MAX_ID_LENGTH });
const groupName = text({ max: MAX_ARN_LENGTH });
/** Free text is cut, not refused: only its beginning is ever matched. */
const reason = transformed(text(), (s) => s.slice(0, MAX_REASON_LENGTH));
const alarmState = object({ value: text({ min: 1 }) });

/** Fields every EventBridge event may carry; AWS's own examples sometimes omit id, time and resources. */
const envelope = {
  id: optional(id),
  time: optional(instant),
  resources: optional(list(arn)),
};

const taskDetail = object({
  taskArn: optional(arn),
  clusterArn: optional(arn),
  group: optional(groupName),
  lastStatus: nonEmptyId,
  desiredStatus: optional(id),
  version: optional(num({ int: true, min: 0 })),
  createdAt: optional(instant),
  startedAt: optional(instant),
  stoppedAt: optional(instant),
  executionStoppedAt: optional(instant),
  updatedAt: optional(instant),
  stopCode: optional(id),
  stoppedReason: optional(reason),
  capacityProviderName: optional(groupName),
});

const serviceActionDetail = object({
  eventName: nonEmptyId,
  eventType: optional(id),
  clusterArn: optional(arn),
  reason: optional(reason),
  capacityProviderArns: optional(list(arn)),
  createdAt: optional(instant),
});

const deploymentDetail = object({
  eventName: nonEmptyId,
  eventType: optional(id),
  deploymentId: optional(id),
  updatedAt: optional(instant),
  reason: optional(reason),
});

const alarmDetail = object({
  alarmName: text({ min: 1, max: 255 }), // CloudWatch's own maximum for an alarm name
  state: optional(alarmState),
  previousState: optional(alarmState),
});

const taskEventCheck = object({ ...envelope, detail: taskDetail });
const serviceActionCheck = object({
  ...envelope,
  resources: list(arn, { min: 1 }),
  detail: serviceActionDetail,
});
const deploymentCheck = object({ ...envelope, resources: list(arn, { min: 1 }), detail: deploymentDetail });
const alarmCheck = object({ ...envelope, detail: alarmDetail });

export type TaskDetail = Checked<typeof taskDetail>;

/** A service named by an event: the cluster is unknown when the event does not say it. */
export interface EventService {
  cluster?: string;
  service: string;
}

export type ParsedEvent =
  | { kind: "task"; id?: string; time?: string; service?: EventService; detail: TaskDetail }
  | {
      kind: "serviceAction";
      id?: string;
      time?: string;
      service: EventService;
      eventName: string;
      reason?: string;
      capacityProviderArns: string[];
      createdAt?: string;
    }
  | {
      kind: "deployment";
      id?: string;
      time?: string;
      service: EventService;
      eventName: string;
      deploymentId?: string;
      updatedAt?: string;
    }
  | { kind: "alarm"; id?: string; time?: string; alarmName: string; state?: string; previousState?: string }
  | { kind: "unknown"; detailType: string };

export const TASK_STATE_CHANGE = "ECS Task State Change";
export const SERVICE_ACTION = "ECS Service Action";
export const DEPLOYMENT_STATE_CHANGE = "ECS Deployment State Change";
export const ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

/** The last segment of an ARN's resource path: `…:cluster/name` → `name`. */
export function lastSegment(arn: string): string {
  return arn.split("/").pop() ?? arn;
}

/**
 * A service ARN → cluster and name. The long format is `…:service/<cluster>/<name>`; the old short
 * format `…:service/<name>` has no cluster, which then comes from `clusterArn` if the event has one.
 */
export function serviceFromArn(arn: string, clusterArn?: string): EventService | undefined {
  const resource = arn.split(":").slice(5).join(":");
  const parts = resource.split("/");
  if (parts[0] !== "service") return undefined;
  if (parts.length === 3 && parts[1] && parts[2]) return { cluster: parts[1], service: parts[2] };
  if (parts.length === 2 && parts[1])
    return { ...(clusterArn ? { cluster: lastSegment(clusterArn) } : {}), service: parts[1] };
  return undefined;
}

/**
 * Classifies and parses one raw event: the typed event, or a {@link ValidationError} (every problem
 * with its path) when the event is not an object, has no detail-type, or is a known event with wrong
 * fields. Unknown detail-types are not an error: they parse as `unknown`.
 */
export function parseEvent(raw: unknown): Result<ParsedEvent, ValidationError> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return invalid("event", [
      { path: "$", message: `expected an EventBridge event object, got ${describe(raw)}` },
    ]);
  }
  const detailType = (raw as Record<string, unknown>)["detail-type"];
  if (typeof detailType !== "string" || detailType === "") {
    return invalid("event", [{ path: "detail-type", message: "missing: not an EventBridge event" }]);
  }
  switch (detailType) {
    case TASK_STATE_CHANGE:
      return parseAs(taskEventCheck, raw, detailType, taskEvent);
    case SERVICE_ACTION:
      return parseAs(serviceActionCheck, raw, detailType, serviceActionEvent);
    case DEPLOYMENT_STATE_CHANGE:
      return parseAs(deploymentCheck, raw, detailType, deploymentEvent);
    case ALARM_STATE_CHANGE:
      return parseAs(alarmCheck, raw, detailType, alarmEvent);
    default:
      return { ok: true, value: { kind: "unknown", detailType } };
  }
}

function taskEvent(e: Checked<typeof taskEventCheck>): ParsedEvent {
  const d = e.detail;
  const name = d.group?.startsWith("service:") ? d.group.slice("service:".length) : undefined;
  const service = name
    ? { ...(d.clusterArn ? { cluster: lastSegment(d.clusterArn) } : {}), service: name }
    : undefined;
  return { kind: "task", ...idAndTime(e.id, e.time), ...(service ? { service } : {}), detail: d };
}

function serviceActionEvent(e: Checked<typeof serviceActionCheck>): ParsedEvent | ConfigProblem {
  const service = serviceFromArn(e.resources[0]!, e.detail.clusterArn);
  if (!service) return notAServiceArn(e.resources[0]!);
  return {
    kind: "serviceAction",
    ...idAndTime(e.id, e.time),
    service,
    eventName: e.detail.eventName,
    ...(e.detail.reason !== undefined ? { reason: e.detail.reason } : {}),
    capacityProviderArns: e.detail.capacityProviderArns ?? [],
    ...(e.detail.createdAt !== undefined ? { createdAt: e.detail.createdAt } : {}),
  };
}

function deploymentEvent(e: Checked<typeof deploymentCheck>): ParsedEvent | ConfigProblem {
  const service = serviceFromArn(e.resources[0]!);
  if (!service) return notAServiceArn(e.resources[0]!);
  return {
    kind: "deployment",
    ...idAndTime(e.id, e.time),
    service,
    eventName: e.detail.eventName,
    ...(e.detail.deploymentId !== undefined ? { deploymentId: e.detail.deploymentId } : {}),
    ...(e.detail.updatedAt !== undefined ? { updatedAt: e.detail.updatedAt } : {}),
  };
}

function alarmEvent(e: Checked<typeof alarmCheck>): ParsedEvent {
  return {
    kind: "alarm",
    ...idAndTime(e.id, e.time),
    alarmName: e.detail.alarmName,
    ...(e.detail.state ? { state: e.detail.state.value } : {}),
    ...(e.detail.previousState ? { previousState: e.detail.previousState.value } : {}),
  };
}

/** Validates `raw` with the detail-type's checks, then builds the typed event (which may find one more problem). */
function parseAs<T>(
  check: Check<T>,
  raw: unknown,
  detailType: string,
  build: (event: T) => ParsedEvent | ConfigProblem,
): Result<ParsedEvent, ValidationError> {
  const result = runCheck(check, raw);
  if (!result.ok) return invalid(`"${detailType}" event`, result.problems);
  const built = build(result.value);
  return "kind" in built ? { ok: true, value: built } : invalid(`"${detailType}" event`, [built]);
}

function notAServiceArn(arn: string): ConfigProblem {
  return { path: "resources[0]", message: `not an ECS service ARN: ${JSON.stringify(arn)}` };
}

function invalid(source: string, problems: ConfigProblem[]): { ok: false; error: ValidationError } {
  return { ok: false, error: new ValidationError(source, problems) };
}

function idAndTime(id: string | undefined, time: string | undefined): { id?: string; time?: string } {
  return { ...(id !== undefined ? { id } : {}), ...(time !== undefined ? { time } : {}) };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

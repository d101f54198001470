/**
 * Emulated SQS queue depths (GetQueueAttributes) and CloudWatch datapoints (GetMetricData), as the
 * awsJson1_0 protocol both SDK clients of this version speak carries them.
 */
import type { Answer } from "./ecs.ts";

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
}

/** SQS and CloudWatch JSON errors carry the type in `__type` like ECS. */
function jsonError(status: number, type: string, message: string): Answer {
  return { status, body: { __type: type, message } };
}

/** The queues of the account, by URL. */
export class EmulatedSqs {
  readonly queues = new Map<string, QueueDepth>();

  handle(operation: string, input: Record<string, unknown>): Answer {
    if (operation !== "GetQueueAttributes") return jsonError(400, "InvalidAction", `${operation} is not emulated`);
    const q = this.queues.get(String(input.QueueUrl));
    if (!q) return jsonError(400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    return {
      status: 200,
      body: {
        Attributes: {
          ApproximateNumberOfMessages: String(q.visible),
          ApproximateNumberOfMessagesNotVisible: String(q.inFlight),
          ApproximateNumberOfMessagesDelayed: String(q.delayed),
        },
      },
    };
  }
}

interface MetricQuery {
  Id?: string;
  MetricStat?: { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: { Value?: string }[] } };
}

/**
 * CloudWatch: every metric's latest complete datapoint is the value `valueOf` gives its key
 * (`namespace/name/dimension values`) at a minute boundary two minutes back; no value, no datapoint.
 */
export class EmulatedCloudWatch {
  valueOf: (key: string) => number | undefined = () => undefined;

  handle(operation: string, input: Record<string, unknown>): Answer {
    if (operation !== "GetMetricData") return jsonError(400, "InvalidAction", `${operation} is not emulated`);
    const at = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    const queries = (input.MetricDataQueries as MetricQuery[] | undefined) ?? [];
    const MetricDataResults = queries.map((q) => {
      const m = q.MetricStat?.Metric;
      const key = m ? [m.Namespace, m.MetricName, ...(m.Dimensions ?? []).map((d) => d.Value)].join("/") : "";
      const value = this.valueOf(key);
      return value === undefined
        ? { Id: q.Id, Label: q.Id, Timestamps: [], Values: [], StatusCode: "Complete" }
        : { Id: q.Id, Label: q.Id, Timestamps: [at / 1000], Values: [value], StatusCode: "Complete" };
    });
    return { status: 200, body: { MetricDataResults, Messages: [] } };
  }
}

/**
 * Names the config hands to AWS, checked against AWS's own naming rules. They end up in IAM
 * resource ARNs, EventBridge patterns and CloudFormation `Fn::Sub` strings, so a name AWS would never
 * accept is refused here rather than packaged: `*` or `?` would widen a grant, `${…}` would be read
 * by CloudFormation as a variable.
 *
 * Rules (AWS API references): ECS cluster, service and capacity provider names are up to 255
 * letters, numbers, hyphens and underscores (CreateCluster, CreateService, CreateCapacityProvider);
 * a capacity provider created by a user cannot start with "aws", "ecs" or "fargate"; SQS queue
 * names are 1–80 letters, numbers, hyphens and underscores, a FIFO queue's ending in `.fifo`
 * (CreateQueue); CloudWatch alarm names are 1–255 characters (PutMetricAlarm).
 */
import { z } from "zod";

const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Why a name is not an ECS name, in words naming the rule; undefined when it is one. */
function ecsNameProblem(kind: string, name: string): string | undefined {
  if (ECS_NAME.test(name)) return undefined;
  return `${kind} must be 1–255 letters, numbers, hyphens and underscores (AWS's rule)${hint(name)}, got ${JSON.stringify(name)}`;
}

/** What in particular is wrong, for the characters people try most. */
function hint(name: string): string {
  if (name.includes("${")) return '; "${" would be read by CloudFormation as a variable';
  if (/[*?]/.test(name)) return "; wildcards are not allowed, they would widen the IAM grant";
  if (name.length > 255) return `; it has ${name.length} characters`;
  return "";
}

const ecsName = (kind: string, description: string) =>
  z
    .string()
    .superRefine((name, ctx) => {
      const problem = ecsNameProblem(kind, name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe(description);

/** An ECS cluster name (not an ARN). */
export const clusterName = ecsName(
  "an ECS cluster name",
  "ECS cluster name (1–255 letters, numbers, - and _)",
);

/** An ECS service name (not an ARN). */
export const serviceName = (description: string) => ecsName("an ECS service name", description);

/** Capacity providers AWS manages; a user-created one cannot start with these. */
const RESERVED_PROVIDER_PREFIXES = ["aws", "ecs", "fargate"];

/**
 * A capacity provider name. FARGATE and FARGATE_SPOT pass here (they are real providers) and are
 * refused by the capacity provider schema with their own reason.
 */
export const capacityProviderName = z
  .string()
  .superRefine((name, ctx) => {
    const problem = ecsNameProblem("a capacity provider name", name);
    if (problem) {
      ctx.addIssue({ code: "custom", message: problem });
      return;
    }
    if (name === "FARGATE" || name === "FARGATE_SPOT") return;
    const reserved = RESERVED_PROVIDER_PREFIXES.find((p) => name.toLowerCase().startsWith(p));
    if (reserved) {
      ctx.addIssue({
        code: "custom",
        message: `a capacity provider you created cannot start with "${reserved}" (AWS reserves aws, ecs and fargate), got ${JSON.stringify(name)}`,
      });
    }
  })
  .describe(
    "The EC2 capacity provider's name (1–255 letters, numbers, - and _; not FARGATE or FARGATE_SPOT)",
  );

/** An SQS queue name: 1–80 letters, numbers, hyphens and underscores, a FIFO queue's ending in `.fifo`. */
export const SQS_QUEUE_NAME = /^(?=.{1,80}$)[A-Za-z0-9_-]+(\.fifo)?$/;

/**
 * SQS endpoint hosts as the SDKs and the console print queue URLs: `sqs.<region>.amazonaws.com`
 * (`.amazonaws.com.cn` in China, `sqs.<region>.api.aws` dual-stack) and the legacy
 * `<region>.queue.amazonaws.com` and `queue.amazonaws.com` forms.
 */
const SQS_HOST =
  /^(?:sqs\.[a-z]{2}(?:-[a-z]+)+-\d\.(?:amazonaws\.com(?:\.cn)?|api\.aws)|[a-z]{2}(?:-[a-z]+)+-\d\.queue\.amazonaws\.com(?:\.cn)?|queue\.amazonaws\.com)$/;

const QUEUE_URL_FORM = "https://sqs.<region>.amazonaws.com/<12-digit account>/<queue name>";

/** Why a string is not an SQS queue URL, or undefined. */
export function queueUrlProblem(url: string): string | undefined {
  const fail = (why: string) => `${why} (expected ${QUEUE_URL_FORM}), got ${JSON.stringify(url)}`;
  if (url.includes("${")) return fail('"${" would be read by CloudFormation as a variable');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail("not a URL");
  }
  if (parsed.protocol !== "https:") return fail("an SQS queue URL is https");
  if (parsed.search !== "" || parsed.hash !== "" || parsed.username !== "" || parsed.port !== "") {
    return fail("an SQS queue URL has no query, fragment, user or port");
  }
  if (!SQS_HOST.test(parsed.hostname)) return fail(`"${parsed.hostname}" is not an SQS endpoint`);
  const [, account, name, ...rest] = parsed.pathname.split("/");
  if (account === undefined || !/^\d{12}$/.test(account))
    return fail("the path must start with the 12-digit account");
  if (name === undefined || name === "" || rest.length > 0)
    return fail("cannot get the queue name from the path");
  if (/[*?]/.test(name)) return fail("wildcards are not allowed, they would widen the IAM grant");
  if (!SQS_QUEUE_NAME.test(name)) {
    return fail("a queue name is 1–80 letters, numbers, hyphens and underscores, optionally ending in .fifo");
  }
  return undefined;
}

/** A CloudWatch alarm name as the config may name one: 1–255 characters, no `${`, no control characters. */
export const alarmName = z
  .string()
  .min(1)
  .max(255)
  .superRefine((name, ctx) => {
    if (name.includes("${")) {
      ctx.addIssue({
        code: "custom",
        message: `an alarm name must not contain "\${" (CloudFormation would read it as a variable), got ${JSON.stringify(name)}`,
      });
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      ctx.addIssue({ code: "custom", message: "an alarm name has no control characters" });
    }
  });

/**
 * A queue name prefix under which IAM may grant `sqs:GetQueueAttributes` as one ARN pattern
 * (`…:<prefix>*`) instead of one ARN per queue. At least 3 characters, so a prefix is a naming
 * convention and not "every queue".
 */
export const queueNamePrefix = z
  .string()
  .regex(/^[A-Za-z0-9_-]{3,79}$/, {
    message: "a queue name prefix is 3–79 letters, numbers, hyphens and underscores (no wildcards)",
  })
  .describe("Queue name prefix, e.g. orders- (3–79 letters, numbers, - and _)");

/** AWS tag keys and values: letters, digits, spaces and `_ . : / = + - @` (keys 1–128, values 0–256). */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** A resource tag the IAM grant may require on every service it scales. */
export const serviceTagSchema = z.strictObject({
  key: z
    .string()
    .min(1)
    .max(128)
    .regex(TAG_TEXT, { message: "a tag key is letters, digits, spaces and _ . : / = + - @ (no wildcards)" })
    .refine((k) => !k.toLowerCase().startsWith("aws:"), { message: 'a tag key cannot start with "aws:"' }),
  value: z.string().max(256).regex(TAG_TEXT, {
    message: "a tag value is letters, digits, spaces and _ . : / = + - @ (no wildcards)",
  }),
});

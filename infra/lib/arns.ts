// biome-ignore-all lint/suspicious/noTemplateCurlyInString: "${…}" here are CloudFormation Fn::Sub placeholders, not JavaScript templates.
/**
 * ARNs of the things the autoscaler touches, built from the config at package time so the IAM policy
 * names exactly those resources. ECS ARNs are CloudFormation `Fn::Sub` templates: the region and
 * account are the stack's, known only at deploy time. SQS ARNs come from the queue URL itself, which
 * names its region and account (a queue may live in another account or region than the stack).
 */

/** A CloudFormation `Fn::Sub` value. */
export interface CfnSub {
  "Fn::Sub": string;
}

/** The stack's partition, region and account, as CloudFormation substitutes them. */
const HERE = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}";

/** `arn:…:ecs:<region>:<account>:service/<cluster>/<service>` in the stack's region and account. */
export function serviceArn(cluster: string, service: string): CfnSub {
  return { "Fn::Sub": `${HERE}:service/${cluster}/${service}` };
}

/**
 * `arn:…:ecs:<region>:<account>:service/<cluster>/`: what every service ARN of one cluster starts
 * with (the trailing slash keeps cluster `prod` from matching `prod-2`).
 */
export function clusterServicesPrefix(cluster: string): CfnSub {
  return { "Fn::Sub": `${HERE}:service/${cluster}/` };
}

/** `arn:…:ecs:<region>:<account>:cluster/<cluster>`. */
export function clusterArn(cluster: string): CfnSub {
  return { "Fn::Sub": `${HERE}:cluster/${cluster}` };
}

/** `arn:…:ecs:<region>:<account>:capacity-provider/<name>`. */
export function capacityProviderArn(name: string): CfnSub {
  return { "Fn::Sub": `${HERE}:capacity-provider/${name}` };
}

/** What an SQS queue URL says about the queue. */
export interface QueueIdentity {
  partition: string;
  region: string;
  account: string;
  name: string;
  arn: string;
}

/**
 * SQS endpoint host names, as the SDKs and the console print them: `sqs.<region>.amazonaws.com`
 * (also `.amazonaws.com.cn` in China and `api.aws` dual-stack), the legacy `<region>.queue.amazonaws.com`
 * and `queue.amazonaws.com` (us-east-1).
 */
const HOSTS: {
  pattern: RegExp;
  region: (m: RegExpMatchArray) => string;
  partition: (m: RegExpMatchArray) => string;
}[] = [
  {
    pattern: /^sqs\.([a-z0-9-]+)\.(amazonaws\.com(?:\.cn)?|api\.aws)$/,
    region: (m) => m[1]!,
    partition: (m) => partitionOf(m[1]!, m[2]!),
  },
  {
    pattern: /^([a-z0-9-]+)\.queue\.(amazonaws\.com(?:\.cn)?)$/,
    region: (m) => m[1]!,
    partition: (m) => partitionOf(m[1]!, m[2]!),
  },
  { pattern: /^queue\.amazonaws\.com$/, region: () => "us-east-1", partition: () => "aws" },
];

function partitionOf(region: string, domain: string): string {
  if (domain.endsWith(".cn")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * Derives a queue's ARN from its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`).
 * Returns a message instead when the URL does not name a region and account, so packaging can list it.
 */
export function queueFromUrl(url: string): QueueIdentity | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: `not a URL: "${url}"` };
  }
  const host = parsed.hostname.toLowerCase();
  const known = HOSTS.map((h) => ({ h, m: host.match(h.pattern) })).find((x) => x.m !== null);
  if (!known?.m) {
    return {
      problem: `cannot derive the queue ARN from host "${host}" (expected sqs.<region>.amazonaws.com); IAM needs the queue's region`,
    };
  }
  const [, account, name, ...rest] = parsed.pathname.split("/");
  if (
    account === undefined ||
    !/^\d{12}$/.test(account) ||
    name === undefined ||
    name === "" ||
    rest.length > 0
  ) {
    return {
      problem: `cannot derive the queue ARN from path "${parsed.pathname}" (expected /<12-digit account>/<queue name>)`,
    };
  }
  const region = known.h.region(known.m);
  const partition = known.h.partition(known.m);
  return { partition, region, account, name, arn: `arn:${partition}:sqs:${region}:${account}:${name}` };
}

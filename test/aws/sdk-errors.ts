/** AWS SDK v3 errors as the SDK throws them after its retries, for adapters to see in tests. */
import { ServerException } from "@aws-sdk/client-ecs";

/** `ThrottlingException: Rate exceeded`, HTTP 400, as ECS, SQS and CloudWatch send it. */
export function throttling(message = "Rate exceeded"): Error {
  return Object.assign(new Error(message), {
    name: "ThrottlingException",
    $fault: "client",
    $metadata: { httpStatusCode: 400, attempts: 4 },
  });
}

/** An HTTP 500 from the service. */
export function serverError(name = "InternalFailure", message = "We encountered an internal error."): Error {
  return Object.assign(new Error(message), { name, $fault: "server", $metadata: { httpStatusCode: 500, attempts: 4 } });
}

/** ECS's modeled ServerException (HTTP 500). */
export function ecsServerException(): ServerException {
  return new ServerException({ message: "Service unavailable", $metadata: { httpStatusCode: 500 } });
}

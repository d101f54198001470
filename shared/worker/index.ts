/**
 * `ecs-autoscaler/worker`: helpers for the queue workers ecs-autoscaler scales. They protect the task
 * from ECS scale-in while it holds messages, so scaling in never stops work in progress.
 */
export {
  AgentEndpoint,
  type AgentEndpointOptions,
  DEPLOYMENT_BLOCKED,
  type ProtectionResult,
  type ProtectionState,
} from "./agent-endpoint.ts";
export {
  createProtectedConsumer,
  type ProtectedConsumer,
  type ProtectedConsumerOptions,
  underProtection,
} from "./consumer.ts";
export {
  type ProtectionEvent,
  ScaleInProtection,
  type ScaleInProtectionOptions,
} from "./scale-in-protection.ts";

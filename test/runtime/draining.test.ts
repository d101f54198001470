/**
 * Tasks that linger after a scale-in: under task scale-in protection ECS keeps busy tasks running above
 * the desired count until their work is done. The runtime neither cuts the count again for them nor
 * counts them as capacity, and says how many are draining; during a deployment it does not fight the
 * protected tasks that hold the deployment up.
 */
import { describe, expect, it } from "vitest";
import { drainingTasks } from "../../shared/runtime/evaluate-service.ts";
import { runEvaluationPass } from "../../shared/runtime/evaluation-pass.ts";
import { configOf, memoryWorld, queueUrl, workerService } from "./memory-world.ts";

/** A service scaled on a per-task metric (ratio × the tasks that carry it), no stabilization. */
function metricService() {
  return configOf({
    services: [
      {
        cluster: "prod",
        service: "api",
        policy: {
          maxTasks: 50,
          triggers: [{ type: "metric", metric: { namespace: "App", name: "Load", dimensions: [{ name: "Service", value: "api" }] }, target: 40, targetType: "value" }],
          behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
        },
      },
    ],
  });
}

describe("drainingTasks", () => {
  it.each([
    { desiredCount: 5, runningCount: 8, draining: 3 },
    { desiredCount: 5, runningCount: 5, draining: 0 },
    { desiredCount: 5, runningCount: 3, draining: 0 }, // still starting: not draining
  ])("running $runningCount, desired $desiredCount → $draining draining", ({ desiredCount, runningCount, draining }) => {
    expect(drainingTasks({ desiredCount, runningCount })).toBe(draining);
  });
});

describe("runEvaluationPass with tasks draining after a scale-in", () => {
  it("issues no UpdateService for them and says how many are draining, in the decision and its explanation", async () => {
    const w = memoryWorld();
    // Scaled in to 5 a minute ago; 3 protected tasks still finish their messages. 25 visible at 5 per task → 5.
    w.service("prod/worker", { desired: 5, running: 8 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 25, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(w.updates()).toEqual([]);
    expect(w.sink.decisions[0]).toMatchObject({ from: 5, running: 8, draining: 3, decision: { desiredCount: 5 } });
    expect(w.sink.decisions[0]?.decision.explanation).toContain("3 tasks draining (running 8 > desired 5, no deployment: scale-in protected tasks finishing their work, not counted as capacity)");
  });

  it("does not count them as capacity: a per-task metric is scaled by the tasks that stay, not by the draining ones", async () => {
    const w = memoryWorld();
    // Load at twice the target: the 5 tasks that stay need to be 10, not 2 × 8 = 16.
    w.service("prod/api", { desired: 5, running: 8 });
    w.metric("App", "Load", ["api"], 80);
    await runEvaluationPass(w.deps, metricService(), w.clock.now());
    expect(w.updates()).toEqual([{ cluster: "prod", service: "api", desiredCount: 10 }]);
    expect(w.sink.decisions[0]?.decision.explanation).toContain("× 5 running → 10");
  });

  it("says nothing about draining when the service runs at its desired count", async () => {
    const w = memoryWorld();
    w.service("prod/worker", { desired: 5 });
    w.queues.set(queueUrl("worker-jobs"), { visible: 25, inFlight: 0, delayed: 0 });
    await runEvaluationPass(w.deps, configOf({ services: [workerService()] }), w.clock.now());
    expect(w.sink.decisions[0]).not.toHaveProperty("draining");
    expect(w.sink.decisions[0]?.decision.explanation).not.toContain("draining");
  });
});

describe("runEvaluationPass during a deployment with protected tasks", () => {
  it("does not read old and new tasks overlapping as draining, holds scale-in and explains a blocked deployment", async () => {
    const w = memoryWorld();
    // A rolling deployment: 10 desired, 14 running (old and new). Nothing waiting: the engine would cut.
    w.service("prod/worker", { desired: 10, running: 14, deploying: true });
    w.queues.set(queueUrl("worker-jobs"), { visible: 0, inFlight: 0, delayed: 0 });
    const config = configOf({ services: [workerService("worker", {}, { behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } })] });
    await runEvaluationPass(w.deps, config, w.clock.now());
    expect(w.updates()).toEqual([]);
    expect(w.sink.decisions[0]).toMatchObject({ guard: "DeploymentHold", decision: { desiredCount: 10 } });
    expect(w.sink.decisions[0]).not.toHaveProperty("draining");
    const explanation = w.sink.decisions[0]?.decision.explanation ?? "";
    expect(explanation).toContain("scale-in held: deployment in progress");
    expect(explanation).toContain("DEPLOYMENT_BLOCKED");
    expect(explanation).not.toContain("tasks draining");
  });
});

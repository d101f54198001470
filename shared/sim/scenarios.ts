/**
 * Built-in scenarios: synthetic shapes (steady, step burst ×10, spike, diurnal, on/off with idle hours,
 * heavy-tail service times) and slices of real traces shipped in data/traces (attribution in its
 * README). Each names its defaults; `simulate` options override them.
 */
import { fileURLToPath } from "node:url";
import { type ArrivalPlan, type SliceOptions, sliceTrace } from "./arrivals.ts";
import type { ServiceDistribution } from "./distributions.ts";
import { readTrace } from "./trace/read.ts";

/** Synthetic scenarios start on a Monday at midnight UTC, so times in them read like a week's. */
export const syntheticStart = Date.parse("2026-03-02T00:00:00Z");

export interface ScenarioDefaults {
  targetWaitSeconds: number;
  secondsPerMessage: number;
  serviceDistribution: ServiceDistribution;
  /** Per-request traces: service time proportional to each request's work column. */
  serviceFromWork?: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  defaults: ScenarioDefaults;
  /** Seconds from the start at which the first burst begins (reaction time); null: none, "detect": find it. */
  burstAt: number | null | "detect";
  /** The arrivals before randomness; slice options apply to trace scenarios. */
  plan(slice: SliceOptions): ArrivalPlan;
  /** Whether it is a real-trace slice (bench groups them). */
  trace: boolean;
}

/**
 * Defaults every scenario shares: 2 s mean processing, and a 120 s target wait — above the Fargate
 * startup range (30–90 s) plus a poll, since no reactive policy can keep the first messages of a burst
 * within a target shorter than the time it takes a new task to start.
 */
export const commonDefaults: ScenarioDefaults = {
  targetWaitSeconds: 120,
  secondsPerMessage: 2,
  serviceDistribution: "exponential",
};

/** A piecewise-constant rate (messages/s) as 10-second Poisson intervals. */
function ratePlan(name: string, durationSeconds: number, rate: (t: number) => number): ArrivalPlan {
  const step = 10;
  const n = Math.ceil(durationSeconds / step);
  const start = new Float64Array(n);
  const length = new Float64Array(n);
  const count = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = i * step;
    length[i] = Math.min(step, durationSeconds - i * step);
    count[i] = rate(start[i]! + length[i]! / 2) * length[i]!;
  }
  return {
    name,
    startMs: syntheticStart,
    durationSeconds,
    intervals: { start, length, count },
    poisson: true,
  };
}

/** Synthetic plans slice like traces: --start is an offset (e.g. 1h), --duration at most the scenario's. */
function synthetic(name: string, defaultDuration: number, rate: (t: number) => number) {
  return (slice: SliceOptions): ArrivalPlan => {
    const plan = ratePlan(name, defaultDuration, rate);
    const trace = {
      ...plan,
      source: name,
      format: "time-count-csv" as const,
      hasAbsoluteTime: true,
      warnings: [],
    };
    return { ...sliceTrace(trace, name, slice), poisson: true };
  };
}

const hour = 3600;
const dataDir = fileURLToPath(new URL("../../data/traces/", import.meta.url));

function fromTrace(file: string, base: SliceOptions, trigger?: string) {
  return (slice: SliceOptions): ArrivalPlan => {
    const trace = readTrace(dataDir + file, trigger ? { trigger } : {});
    return sliceTrace(trace, file, {
      ...base,
      ...(slice.start !== undefined ? { start: slice.start } : {}),
      ...(slice.duration !== undefined ? { duration: slice.duration } : {}),
      scale: (base.scale ?? 1) * (slice.scale ?? 1),
      ...(slice.scale !== undefined ? { userScale: slice.scale } : {}),
    });
  };
}

export const scenarios: readonly Scenario[] = [
  {
    name: "step-burst",
    description: "5 msg/s, then ×10 (50 msg/s) for 30 minutes from 0:30, then back; 2 h",
    defaults: commonDefaults,
    burstAt: 1800,
    trace: false,
    plan: synthetic("step-burst", 2 * hour, (t) => (t >= 1800 && t < 3600 ? 50 : 5)),
  },
  {
    name: "steady",
    description: "20 msg/s all along; 2 h",
    defaults: commonDefaults,
    burstAt: null,
    trace: false,
    plan: synthetic("steady", 2 * hour, () => 20),
  },
  {
    name: "spike",
    description: "10 msg/s with a 3-minute spike to 200 msg/s (×20) at 0:40; 2 h",
    defaults: commonDefaults,
    burstAt: 2400,
    trace: false,
    plan: synthetic("spike", 2 * hour, (t) => (t >= 2400 && t < 2580 ? 200 : 10)),
  },
  {
    name: "diurnal",
    description: "a day: 2 msg/s at 04:00 rising to 40 msg/s at 16:00 and back (cosine); 24 h",
    defaults: commonDefaults,
    burstAt: null,
    trace: false,
    plan: synthetic(
      "diurnal",
      24 * hour,
      (t) => 2 + 19 * (1 - Math.cos((2 * Math.PI * (t / hour - 4)) / 24)),
    ),
  },
  {
    name: "on-off",
    description: "idle hours (scale to zero): 1 h at 15 msg/s every 3 h, starting at 1:00; 12 h",
    defaults: commonDefaults,
    burstAt: hour,
    trace: false,
    plan: synthetic("on-off", 12 * hour, (t) => (Math.floor(t / hour) % 3 === 1 ? 15 : 0)),
  },
  {
    name: "heavy-tail",
    description:
      "10 msg/s with Pareto (shape 2.2) service times: the longest of the run's messages take about 90× the mean; 2 h",
    defaults: { ...commonDefaults, serviceDistribution: "heavy-tail" },
    burstAt: null,
    trace: false,
    plan: synthetic("heavy-tail", 2 * hour, () => 10),
  },
  {
    name: "wc98-day",
    description:
      "World Cup 98 web site, 1998-06-30 (GMT), requests per minute × 0.01: a daily cycle and match-time flash crowds",
    defaults: commonDefaults,
    burstAt: "detect",
    trace: true,
    plan: fromTrace("wc98_1998-06-30_requests_per_minute.csv", { scale: 0.01 }),
  },
  {
    name: "nasa-outage",
    description:
      "NASA-KSC HTTP, 1995-08-01 and 08-02 (EDT) × 20, requests per minute: the Hurricane Erin outage leaves the last 33 of the 48 hours idle",
    defaults: commonDefaults,
    burstAt: "detect",
    trace: true,
    plan: fromTrace("nasa_http_1995-08-01_48h_requests_per_minute.csv", { scale: 20 }),
  },
  {
    name: "azure-llm",
    description:
      "Azure LLM inference 2023 (coding), one hour of individual requests; service time ∝ generated tokens",
    defaults: { ...commonDefaults, serviceFromWork: true },
    burstAt: "detect",
    trace: true,
    plan: fromTrace("azure_llm_inference_2023_code.csv", {}),
  },
  {
    name: "azure-functions-queue",
    description:
      "Azure Functions 2019 sample, the queue-triggered functions summed, invocations per minute; 1 h",
    defaults: commonDefaults,
    burstAt: "detect",
    trace: true,
    plan: fromTrace("azure_functions_2019_freyr_sample_1000fn_60min.csv", {}, "queue"),
  },
];

/**
 * Multi-day real-trace slices for predictive scaling (`npm run bench:predictive`, docs/predictive.md):
 * repeated daily cycles a learned profile can forecast. Not in {@link scenarios}, which `npm run bench`
 * runs whole: each simulates a week or two.
 */
export const multiDayScenarios: readonly Scenario[] = [
  {
    name: "nasa-week",
    description:
      "NASA-KSC HTTP, 1995-07-03 to 07-09 (EDT, read as UTC) × 10, requests per minute: a week of daily cycles, Monday to Sunday, July 4 a holiday, the weekend lower; 7 days",
    defaults: commonDefaults,
    burstAt: null,
    trace: true,
    plan: fromTrace("nasa_http_1995-07-03_7d_requests_per_minute.csv", { scale: 10 }),
  },
  {
    name: "wc98-week",
    description:
      "World Cup 98 web site, 1998-06-15 to 06-21 (GMT) × 0.01, requests per minute: a week of daily cycles and match-time flash crowds; 7 days",
    defaults: commonDefaults,
    burstAt: null,
    trace: true,
    plan: fromTrace("wc98_1998-06-15_7d_requests_per_minute.csv", { scale: 0.01 }),
  },
];

/** Every scenario `simulate --scenario` knows: the standard ones, then the multi-day ones. */
export const allScenarios: readonly Scenario[] = [...scenarios, ...multiDayScenarios];

/** The scenario `npm start` and `simulate` without --scenario/--trace run. */
export const defaultScenarioName = "step-burst";

export function findScenario(name: string): Scenario | undefined {
  return allScenarios.find((s) => s.name === name);
}

/**
 * The first burst in per-minute arrival counts: the first minute at least twice the mean of the ten before
 * it and at least one message per second above it (or the first traffic after an idle stretch).
 */
export function detectBurst(perMinute: Float64Array): number | null {
  for (let m = 10; m < perMinute.length; m++) {
    let sum = 0;
    for (let k = m - 10; k < m; k++) sum += perMinute[k]!;
    const before = sum / 10;
    if (perMinute[m]! >= 2 * before && perMinute[m]! - before >= 60) return m * 60;
  }
  return null;
}

/**
 * The run's model settings and warnings, when the simulator supplies them (both optional in
 * SimulationOutput): what the numbers were computed under, and anything a reader must not miss.
 */
import type { SimulationOutput } from "../result.ts";
import { escapeHtml } from "./escape.ts";
import { formatDuration, formatNumber, formatPercent } from "./format.ts";

type Formatter = (value: unknown) => string;

const seconds: Formatter = (v) => (typeof v === "number" ? `${formatNumber(v, 2)} s` : generic(v));

/** Known settings in reading order, with labels; keys the simulator adds later are still shown, by name. */
const known: Record<string, { label: string; format: Formatter }> = {
  secondsPerMessage: { label: "Service time (mean)", format: seconds },
  serviceDistribution: { label: "Service-time distribution", format: (v) => generic(v) },
  startupSeconds: {
    label: "Task startup",
    format: (v) =>
      Array.isArray(v) && v.length === 2 && v[0] !== v[1]
        ? `${formatNumber(v[0], 1)}–${formatNumber(v[1], 1)} s`
        : Array.isArray(v)
          ? seconds(v[0])
          : seconds(v),
  },
  concurrency: { label: "Messages per task at once", format: (v) => generic(v) },
  maxTasks: { label: "Max tasks (every policy)", format: (v) => generic(v) },
  intervalSeconds: { label: "ecs-autoscaler evaluation interval", format: seconds },
  burstAtSeconds: {
    label: "First burst",
    format: (v) => (typeof v === "number" ? `${formatDuration(v)} after the start` : "none detected"),
  },
  visibilityTimeoutSeconds: { label: "SQS visibility timeout", format: seconds },
  attributeStalenessSeconds: { label: "SQS attribute staleness", format: seconds },
  attributeError: {
    label: "SQS attribute error",
    format: (v) => (typeof v === "number" ? `± ${formatPercent(v)}` : generic(v)),
  },
  metricDelaySeconds: { label: "CloudWatch metric delay", format: seconds },
  minimumBilledSeconds: { label: "Minimum billed per task", format: seconds },
  taskProtection: {
    label: "Task scale-in protection",
    format: (v) =>
      v === true ? "on: busy tasks are never stopped by a scale-in" : "off: a scale-in can stop busy tasks",
  },
  kedaQueueLength: {
    label: "KEDA queueLength",
    format: (v) => (typeof v === "number" ? `${formatNumber(v, 2)} messages per task` : generic(v)),
  },
};

/** A label for a setting the page does not know yet: `fooBarSeconds` → "Foo bar seconds", never the raw key. */
export function labelOf(key: string): string {
  const entry = known[key];
  if (entry) return entry.label;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function generic(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value, 3);
  if (Array.isArray(value)) return value.map(generic).join(" – ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The settings as label/value pairs (known ones first, in order; then any others, labelled from their key). */
export function settingsRows(output: SimulationOutput): [string, string][] {
  const settings = (output.settings ?? {}) as Record<string, unknown>;
  const rows: [string, string][] = [];
  for (const [key, { label, format }] of Object.entries(known)) {
    if (key in settings) rows.push([label, format(settings[key])]);
  }
  for (const [key, value] of Object.entries(settings)) {
    if (!(key in known)) rows.push([labelOf(key), generic(value)]);
  }
  return rows;
}

/** A "Simulation settings" card, or "" when the output carries none. */
export function renderSettings(output: SimulationOutput): string {
  const rows = settingsRows(output);
  if (rows.length === 0) return "";
  const items = rows
    .map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`)
    .join("");
  return `<details class="card settings"><summary>Simulation settings</summary><dl class="meta">${items}</dl></details>`;
}

/** A warning box listing the run's warnings, or "" when there are none. */
export function renderWarnings(output: SimulationOutput): string {
  const warnings = (output.warnings ?? []).filter((w) => typeof w === "string" && w.length > 0);
  if (warnings.length === 0) return "";
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  return `<section class="card warnings" role="alert"><h2>Warnings (${warnings.length})</h2><ul>${items}</ul></section>`;
}

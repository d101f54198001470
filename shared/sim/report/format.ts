/**
 * Number and time formatting for the report. Fixed `en-US` grouping and UTC so the same output renders
 * the same page on any machine (the report is deterministic for a given input).
 */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** A count: `12,345`; "—" for a missing or non-finite value. */
export function formatCount(n: number | null | undefined): string {
  return typeof n === "number" && Number.isFinite(n) ? integer.format(n) : "—";
}

/** A number with up to `digits` decimals and thousands grouping: `1,234.5`. */
export function formatNumber(n: number | null | undefined, digits = 1): string {
  if (typeof n !== "number" || !Number.isFinite(n)) return "—";
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(n);
}

/**
 * A 0–1 fraction as a percentage with two decimals, rounded DOWN: 0.99996 shows as 99.99 %, never as a
 * flattering 100.00 % that the run did not reach.
 */
export function formatPercent(fraction: number | null | undefined): string {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return "—";
  const floored = Math.floor(fraction * 10_000 + 1e-9) / 100;
  return `${floored.toFixed(2)} %`;
}

/** US dollars: cents for amounts of a dollar or more, four decimals below (short runs cost fractions of a cent). */
export function formatUsd(n: number | null | undefined): string {
  if (typeof n !== "number" || !Number.isFinite(n)) return "—";
  const digits = Math.abs(n) >= 1 ? 2 : 4;
  return `$${new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n)}`;
}

/** A duration in seconds as a short human string: `45 s`, `12 min`, `6 h`, `1 d 2 h`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  if (s < 2 * 3600) return `${formatNumber(s / 60, 1)} min`;
  if (s < 2 * 86_400) return `${formatNumber(s / 3600, 1)} h`;
  const days = Math.floor(s / 86_400);
  const hours = Math.round((s - days * 86_400) / 3600);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/** `2026-03-02 12:00:00 UTC` for an epoch millisecond time; "—" when invalid. */
export function formatUtc(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return "—";
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * Task-seconds as task-hours, the one unit of task time in the report and the CLI: two decimals below
 * 100 task-hours (a short run's 0.42 must not show as 0.4), one above, thousands grouped.
 */
export function formatTaskHours(taskSeconds: number | null | undefined): string {
  if (typeof taskSeconds !== "number" || !Number.isFinite(taskSeconds)) return "—";
  const hours = taskSeconds / 3600;
  const digits = Math.abs(hours) < 100 ? 2 : 1;
  return new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(hours);
}

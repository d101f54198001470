/**
 * Catches a test that writes into the checkout: the global setup takes a snapshot of the files git
 * reports as untracked, ignored or deleted before the run and compares it after. Tests must write only
 * to temporary folders; a user's `reports/`, `dist/` or `.serverless/` must survive `npm test`.
 * Tracked files edited during the run are not counted (that is the user at work, not a test).
 */
import { spawnSync } from "node:child_process";

/**
 * `git status` entries of the checkout: "exists <path>" for untracked and ignored files, "deleted <path>"
 * for deleted tracked ones (node_modules left out); undefined outside a git checkout.
 */
export function checkoutSnapshot(root: string): Set<string> | undefined {
  const args = ["status", "--porcelain", "--ignored", "--untracked-files=all", "-z", "--", ".", ":(exclude)node_modules"];
  const run = spawnSync("git", args, { cwd: root, encoding: "utf8" });
  if (run.status !== 0) return undefined;
  const entries = run.stdout.split("\0").flatMap((entry) => {
    const [status, path] = [entry.slice(0, 2), entry.slice(3)];
    if (status === "??" || status === "!!") return [`exists ${path}`];
    return status.includes("D") ? [`deleted ${path}`] : [];
  });
  return new Set(entries);
}

/**
 * The files created or removed between two snapshots ("created reports/x.html"), sorted, leaving out
 * `allowed` paths and folders (the run's own output, such as a JSON report).
 */
export function checkoutChanges(before: ReadonlySet<string>, after: ReadonlySet<string>, allowed: readonly string[] = []): string[] {
  const pathOf = (entry: string) => entry.slice(entry.indexOf(" ") + 1);
  const isAllowed = (entry: string) => allowed.some((a) => pathOf(entry) === a || pathOf(entry).startsWith(`${a}/`));
  const change = (entry: string, appeared: boolean) => `${entry.startsWith("exists ") === appeared ? "created" : "removed"} ${pathOf(entry)}`;
  const appeared = [...after].filter((e) => !before.has(e) && !isAllowed(e)).map((e) => change(e, true));
  const vanished = [...before].filter((e) => !after.has(e) && !isAllowed(e)).map((e) => change(e, false));
  return [...appeared, ...vanished].sort();
}

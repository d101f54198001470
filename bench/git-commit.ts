/** The short commit hash a bench's results are stamped with ("unknown" outside a git checkout). */
import { execSync } from "node:child_process";

export function gitCommit(): string {
  try {
    return execSync("git rev-parse --short HEAD", {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

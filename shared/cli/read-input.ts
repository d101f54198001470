/** Reads a CLI input argument: a file path, or `-` (or nothing) for standard input. */
import { readFileSync } from "node:fs";

export function readInput(file: string | undefined): string {
  return readFileSync(file === undefined || file === "-" ? 0 : file, "utf8");
}

/** Turns schema failures into one line per problem, each naming its JSON path. */
import type { z } from "zod";

/** One validation problem: a JSON path such as `services[0].policy.maxTasks` and what is wrong there. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Formats a zod path as a JSON path: `policy.triggers[0].queueUrl`; the root is `$`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? "$" : out;
}

/** Flattens a zod error into problems, expanding union failures so the message names the real field. */
export function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => ({ path: jsonPath(issue.path), message: messageOf(issue) }));
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    case "invalid_union":
      if ("note" in issue && issue.note === "No matching discriminator") {
        return `${issue.message}`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

/** Renders problems as `path: message` lines; with `source`, each line starts `source: ` (as compilers do). */
export function formatProblems(problems: readonly ConfigProblem[], source?: string): string {
  const prefix = source === undefined ? "" : `${source}: `;
  return problems.map((p) => `${prefix}${p.path}: ${p.message}`).join("\n");
}

/** Thrown at the edge when input does not match the schema; carries every problem. */
export class ValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source} is invalid:\n${formatProblems(problems)}`);
    this.name = "ValidationError";
  }
}

/** `ecs-autoscaler schema`: prints the config file's JSON Schema (generated from the zod schema). */
import type { Command } from "commander";
import { configJsonSchema } from "../../config/json-schema.ts";

/** Registers the `schema` command. */
export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("Print the JSON Schema of the config file, for editors")
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}

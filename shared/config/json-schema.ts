/** The config file's JSON Schema, generated from the one zod schema (checked in as config/ecs-autoscaler.schema.json). */
import { z } from "zod";
import { configSchema } from "./config-file.ts";

/** JSON Schema (draft 2020-12) of the config file as users write it (defaults are optional). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }),
    title: "ecs-autoscaler config",
  };
}

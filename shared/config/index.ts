/** Public surface of the config module: schemas, types and loaders. */
export * from "./config-file.ts";
export * from "./issues.ts";
export * from "./policy.ts";
export * from "./request.ts";

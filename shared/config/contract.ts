/**
 * Compile-time agreement between a zod schema's output and the engine type it produces: the engine
 * owns its input types, the schemas here must produce exactly them (each assignable to the other), so
 * that neither can drift without `npm run typecheck` failing at the schema.
 */

/** `true` when `A` and `B` are assignable to each other, `false` otherwise. */
export type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

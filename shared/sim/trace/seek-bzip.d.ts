/** Types for the parts of `seek-bzip` (a pure-JavaScript bzip2 decoder, no bundled types) the simulator uses. */
declare module "seek-bzip" {
  /** Decodes a whole bzip2 stream synchronously. */
  export function decode(input: Uint8Array, output?: Uint8Array): Buffer;
}

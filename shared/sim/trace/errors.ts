/** The error every trace reader throws for a file it cannot use. */

/** A malformed trace file: the message names the file and, where there is one, the line. */
export class TraceError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(line === undefined ? `${source}: ${detail}` : `${source}:${line}: ${detail}`);
    this.name = "TraceError";
  }
}

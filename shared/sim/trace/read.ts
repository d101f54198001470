/**
 * Reads a trace file from disk: plain text, or bzip2 (`.bz2`, `.tbz2`: seek-bzip) holding either the text
 * or a tar archive with one data file in it (nanotar) — the form the Twitter and NASA per-second traces
 * are published in. Then hands the text to the format parsers.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseTar } from "nanotar";
import seekBzip from "seek-bzip";
import { type ParseOptions, parseTraceText, type Trace, TraceError } from "./formats.ts";

/** Reads and parses the trace at `path`; throws {@link TraceError} on a missing or malformed file. */
export function readTrace(path: string, options: ParseOptions = {}): Trace {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new TraceError(
      path,
      undefined,
      `cannot read the trace file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const { text, name } = unpack(bytes, path);
  return parseTraceText(text, name, undefined, options);
}

/** Returns the text inside `bytes` (decompressed and untarred as needed) and the name to report errors under. */
export function unpack(bytes: Uint8Array, source: string): { text: string; name: string } {
  let data = bytes;
  if (isBzip2(data)) {
    try {
      data = seekBzip.decode(data);
    } catch (error) {
      throw new TraceError(
        source,
        undefined,
        `not a valid bzip2 file: ${String((error as Error).message ?? error)}`,
      );
    }
  }
  if (isTar(data)) {
    const files = parseTar(data).filter((entry) => entry.type === "file" && entry.data !== undefined);
    if (files.length !== 1) {
      throw new TraceError(
        source,
        undefined,
        `expected one data file in the tar archive, found ${files.length}`,
      );
    }
    const file = files[0]!;
    return { text: new TextDecoder().decode(file.data), name: `${source}!${basename(file.name)}` };
  }
  if (data.includes(0))
    throw new TraceError(source, undefined, "binary data: not a text trace, bzip2 or tar file");
  return { text: new TextDecoder().decode(data), name: source };
}

function isBzip2(data: Uint8Array): boolean {
  // "BZh" then the block size digit 1–9.
  return (
    data.length > 4 &&
    data[0] === 0x42 &&
    data[1] === 0x5a &&
    data[2] === 0x68 &&
    data[3]! >= 0x31 &&
    data[3]! <= 0x39
  );
}

function isTar(data: Uint8Array): boolean {
  // POSIX/GNU tar: "ustar" at offset 257 of the first header block.
  return data.length >= 512 && new TextDecoder().decode(data.subarray(257, 262)) === "ustar";
}

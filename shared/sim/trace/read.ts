/**
 * Reads a trace file from disk: plain text, gzip (`.gz`: node:zlib) or bzip2 (`.bz2`, `.tbz2`:
 * seek-bzip), recognised by their magic bytes rather than the name, holding either the text or a tar
 * archive with one data file in it (nanotar) — the form the NASA and Twitter per-second traces are
 * published in. Then hands the text to the format parsers. Files that are not text (images, zip or xz
 * archives, random bytes) are refused with a short, printable description, never their bytes.
 */
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseTar } from "nanotar";
import seekBzip from "seek-bzip";
import { type ParseOptions, parseTraceText, type Trace, TraceError } from "./formats.ts";

/**
 * The largest trace text read (uncompressed), 64 MiB: about three million `time,count` rows (read in
 * about 10 s and well under 1 GB; a million rows take about 3 s and 360 MB), or two years of per-second
 * counts — more than one run may simulate anyway.
 */
export const maxTraceBytes = 64 * 1024 * 1024;

/** Reads and parses the trace at `path`; throws {@link TraceError} on a missing, unreadable or malformed file. */
export function readTrace(path: string, options: ParseOptions = {}): Trace {
  const { text, name } = unpack(readBytes(path), path);
  return parseTraceText(text, name, undefined, options);
}

function readBytes(path: string): Uint8Array {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new TraceError(path, undefined, "is a directory, expected a trace file");
    if (!stat.isFile()) throw new TraceError(path, undefined, "is not a regular file, expected a trace file");
    if (stat.size > maxTraceBytes) throw tooLarge(path, stat.size);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof TraceError) throw error;
    throw new TraceError(path, undefined, readProblem(error as NodeJS.ErrnoException));
  }
}

function readProblem(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "ENOTDIR":
      return "no such file (a part of the path is not a directory)";
    case "EACCES":
    case "EPERM":
      return "permission denied: cannot read the trace file";
    default:
      return `cannot read the trace file: ${error.code ?? error.message}`;
  }
}

function tooLarge(source: string, bytes: number): TraceError {
  return new TraceError(
    source,
    undefined,
    `${mib(bytes)} of trace data; the limit is ${mib(maxTraceBytes)}: cut the slice you want to simulate into a smaller file`,
  );
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** Returns the text inside `bytes` (decompressed and untarred as needed) and the name to report errors under. */
export function unpack(bytes: Uint8Array, source: string): { text: string; name: string } {
  let data = bytes;
  if (isGzip(data)) data = gunzip(data, source);
  else if (isBzip2(data)) data = bunzip2(data, source);
  if (data.length > maxTraceBytes) throw tooLarge(source, data.length);
  let name = source;
  if (isTar(data)) {
    const files = parseTar(data).filter((entry) => entry.type === "file" && entry.data !== undefined);
    if (files.length !== 1) {
      throw new TraceError(
        source,
        undefined,
        `expected one data file in the tar archive, found ${files.length}`,
      );
    }
    data = files[0]!.data!;
    name = `${source}!${basename(files[0]!.name)}`;
  }
  return { text: decodeText(data, name), name };
}

function gunzip(data: Uint8Array, source: string): Uint8Array {
  try {
    return gunzipSync(data, { maxOutputLength: maxTraceBytes + 1 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE") {
      throw new TraceError(
        source,
        undefined,
        `more than ${mib(maxTraceBytes)} of trace data; the limit is ${mib(maxTraceBytes)}: cut the slice you want to simulate into a smaller file`,
      );
    }
    throw new TraceError(source, undefined, `not a valid gzip file: ${(error as Error).message}`);
  }
}

function bunzip2(data: Uint8Array, source: string): Uint8Array {
  try {
    return seekBzip.decode(data);
  } catch (error) {
    throw new TraceError(
      source,
      undefined,
      `not a valid bzip2 file: ${String((error as Error).message ?? error)}`,
    );
  }
}

/** Decodes UTF-8 text (a leading byte-order mark dropped); refuses bytes that are not text. */
function decodeText(data: Uint8Array, source: string): string {
  const known = knownBinary(data);
  if (known) throw new TraceError(source, undefined, `${known}, not a trace: ${supported}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new TraceError(
      source,
      undefined,
      `binary data (not UTF-8 text, starts ${excerpt(data)}): ${supported}`,
    );
  }
  // Tab, line feed, vertical tab, form feed and carriage return are text; other C0 controls are not.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  const control = /[\u0000-\u0008\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const line = text.slice(0, control.index).split("\n").length;
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    throw new TraceError(
      source,
      line,
      `binary data (control character 0x${code}; the file starts ${excerpt(data)}): ${supported}`,
    );
  }
  return text;
}

const supported =
  "expected CSV text or whitespace-separated counts, plain or compressed with gzip or bzip2 (optionally a tar of one file)";

/** Formats users are likely to hand over by mistake, by their magic bytes. */
const magic: { bytes: number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document" },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: "a zip archive (or an .xlsx workbook): unzip it or export the sheet as CSV",
  },
  {
    bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a],
    what: "an xz archive: decompress it (xz -d) or recompress with gzip",
  },
  {
    bytes: [0x28, 0xb5, 0x2f, 0xfd],
    what: "a zstd archive: decompress it (zstd -d) or recompress with gzip",
  },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: "a 7z archive: extract it first" },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: "a Parquet file: export it as CSV" },
];

function knownBinary(data: Uint8Array): string | undefined {
  return magic.find((m) => m.bytes.every((b, i) => data[i] === b))?.what;
}

/** The first bytes as hex and printable ASCII: enough to recognise a file, never raw bytes on a terminal. */
function excerpt(data: Uint8Array): string {
  const head = [...data.subarray(0, 8)];
  const hex = head.map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const ascii = head.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
  return `${hex} "${ascii.replace(/"/g, "'")}"`;
}

function isGzip(data: Uint8Array): boolean {
  return data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;
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

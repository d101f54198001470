/**
 * Reads a CLI input argument (a file path, or `-` for standard input) as text, refusing what cannot be
 * such an input with a one-line {@link InputError} in the user's words: a missing file, a directory, a
 * device, a file too large to be a config, binary data. The CLI's top level prints the message and exits 2.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";

/** Bad input the user can fix: one line, printed as is, exit 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * The largest input read: a config of a few thousand services is well under 4 MiB; anything larger is
 * not a config or request, and reading it whole would only waste memory.
 */
export const maxInputBytes = 16 * 1024 * 1024;

/** What the input is, for messages: "config", "request". */
export type InputKind = "config" | "request";

/** Reads `file` (`-` or undefined: standard input) as UTF-8 text. Throws {@link InputError}. */
export function readInput(file: string | undefined, kind: InputKind): string {
  if (file === undefined || file === "-") return readStdin(kind);
  checkIsFile(file, kind);
  const fd = openSync(file, "r");
  try {
    return decodeText(readAll(fd, file), file, kind);
  } finally {
    closeSync(fd);
  }
}

/** Throws {@link InputError} unless `file` names a regular file of at most {@link maxInputBytes}. */
export function checkIsFile(file: string, kind: InputKind): void {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(file);
  } catch (error) {
    throw new InputError(`${file}: ${fsProblem(error)}`);
  }
  if (stats.isDirectory()) throw new InputError(`${file}: is a directory, expected a ${kind} file`);
  if (!stats.isFile()) throw new InputError(`${file}: is not a regular file, expected a ${kind} file`);
  if (stats.size > maxInputBytes) {
    throw new InputError(
      `${file}: ${stats.size} bytes is more than a ${kind} file may have (${maxInputBytes} bytes)`,
    );
  }
}

/** The user's words for a failed file-system call on an input path. */
export function fsProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many symbolic links";
    case "ENAMETOOLONG":
      return "the path is too long";
    default:
      return (error as Error).message;
  }
}

function readStdin(kind: InputKind): string {
  if (process.stdin.isTTY) {
    throw new InputError(`no ${kind} given: pass a file, or pipe the ${kind} on standard input`);
  }
  return decodeText(readAll(0, "standard input"), "standard input", kind);
}

/** Reads a descriptor to its end, refusing more than {@link maxInputBytes}. */
function readAll(fd: number, source: string): Uint8Array {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      // A non-blocking stdin with nothing yet: wait by re-reading; anything else is the user's to fix.
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((error as NodeJS.ErrnoException).code === "EOF") break;
      throw new InputError(`${source}: ${fsProblem(error)}`);
    }
    if (n === 0) break;
    total += n;
    if (total > maxInputBytes) throw new InputError(`${source}: more than ${maxInputBytes} bytes`);
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/** UTF-8 text, or an {@link InputError} naming the first byte that makes it binary. Drops a BOM. */
function decodeText(bytes: Uint8Array, source: string, kind: InputKind): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw binary(source, kind, nul);
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return text.startsWith("\uFEFF") ? text.slice(1) : text;
  } catch {
    throw binary(source, kind, undefined);
  }
}

function binary(source: string, kind: InputKind, at: number | undefined): InputError {
  const where = at === undefined ? "it is not UTF-8 text" : `binary data at byte ${at}`;
  const format = kind === "config" ? "YAML or JSON" : "JSON";
  return new InputError(`${source}: not a text file (${where}); expected a ${kind} in ${format}`);
}

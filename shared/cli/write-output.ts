/**
 * Output files of the CLI (`--json`, `--report`): checked before any work starts, so a bad path is a
 * one-line error at once rather than after a long run, and written atomically (a temporary file in the
 * same directory, then a rename) so a failed or interrupted write never leaves half a file behind.
 */
import {
  accessSync,
  constants,
  mkdirSync,
  renameSync,
  type Stats,
  statfsSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Kernel pseudo-filesystems (statfs magic numbers from linux/magic.h): writing there is never a report,
 * and some entries block a writer forever, so they are refused without opening anything.
 */
const pseudoFilesystems = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0xcafe4a11, "bpf"],
  [0x6e736673, "nsfs"],
]);

/** Why `path` cannot take an output file, or undefined when it can; never opens or creates anything. */
export function outputPathProblem(flag: string, path: string): string | undefined {
  const label = `${flag} ${path}`;
  if (path.trim() === "") return `${flag}: expected a file path, got ""`;
  const target = stat(path);
  if (target?.isDirectory()) return `${label}: is a directory, expected a file path`;
  if (target && !target.isFile()) return `${label}: is not a regular file (a device, pipe or socket)`;
  // The nearest existing ancestor must be a writable directory on a real filesystem; missing
  // directories below it are created when the file is written.
  let dir = dirname(resolve(path));
  let found = stat(dir);
  while (!found && dirname(dir) !== dir) {
    dir = dirname(dir);
    found = stat(dir);
  }
  if (!found) return `${label}: no existing directory to write it in`;
  if (!found.isDirectory()) return `${label}: ${dir} is a file, not a directory`;
  const pseudo = pseudoFilesystems.get(Number(statfsSync(dir).type));
  if (pseudo) return `${label}: ${dir} is on the kernel's ${pseudo} filesystem, not a place for files`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `${label}: cannot write in ${dir} (${code === "EROFS" ? "read-only file system" : "permission denied"})`;
  }
  return undefined;
}

/** The file or directory at `path` (a symbolic link followed), undefined when there is none. */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR (a file in the middle of the path), ELOOP, EACCES: nothing usable there.
    return undefined;
  }
}

/** One file to write: its path and content. */
export interface OutputFile {
  path: string;
  text: string;
}

/**
 * {@link writeOutputs}, reporting a failure as one line on stderr (`<command>: cannot write PATH: CODE`)
 * instead of throwing. Returns whether every file was written.
 */
export function writeOutputsOrSay(command: string, files: readonly OutputFile[]): boolean {
  try {
    writeOutputs(files);
    return true;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    process.stderr.write(`${command}: cannot write ${e.path ?? "the output"}: ${e.code ?? e.message}\n`);
    return false;
  }
}

/**
 * Writes every file atomically: all temporary files first, then the renames, so either every output is
 * complete or (on an error) none of the temporaries remains. Throws the first error.
 */
export function writeOutputs(files: readonly OutputFile[]): void {
  const temporaries: { tmp: string; path: string }[] = [];
  try {
    for (const { path, text } of files) {
      const dir = dirname(resolve(path));
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      writeFileSync(tmp, text, { flag: "wx" });
      temporaries.push({ tmp, path });
    }
    for (const { tmp, path } of temporaries) renameSync(tmp, path);
  } catch (error) {
    for (const { tmp } of temporaries) {
      try {
        unlinkSync(tmp);
      } catch {
        // Already renamed into place or never created.
      }
    }
    throw error;
  }
}

/** Output files of the CLI: which paths are refused before any work, and writes that are all or nothing. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { outputPathProblem, writeOutputs } from "../../shared/cli/write-output.ts";

const dir = mkdtempSync(join(tmpdir(), "write-output-"));
writeFileSync(join(dir, "file.txt"), "x");
mkdirSync(join(dir, "sub"));

describe("output paths", () => {
  it.each([
    ["a new file in an existing directory", join(dir, "out.json")],
    ["an existing file (replaced)", join(dir, "file.txt")],
    ["a file in directories still to be created", join(dir, "a", "b", "out.json")],
  ])("accepted: %s", (_, path) => {
    expect(outputPathProblem("--json", path)).toBeUndefined();
  });

  it.each([
    ["an empty path", "", '--json: expected a file path, got ""'],
    ["a directory", join(dir, "sub"), `--json ${join(dir, "sub")}: is a directory, expected a file path`],
    ["a path under a regular file", join(dir, "file.txt", "x", "out.json"), `${join(dir, "file.txt")} is a file, not a directory`],
    ["a device", "/dev/null", "--json /dev/null: is not a regular file (a device, pipe or socket)"],
    ["a file in /proc", "/proc/self/comm", "/proc/self is on the kernel's proc filesystem"],
    ["a new file in /proc", "/proc/nope/x.json", "/proc is on the kernel's proc filesystem"],
    ["a file in /sys", "/sys/kernel/x.json", "/sys/kernel is on the kernel's sysfs filesystem"],
  ])("refused: %s", (_, path, message) => {
    expect(outputPathProblem("--json", path)).toContain(message);
  });
});

describe("writing", () => {
  it("writes every file, creating directories, and leaves no temporary file", () => {
    const out = join(dir, "ok", "deep");
    writeOutputs([
      { path: join(out, "a.json"), text: "{}\n" },
      { path: join(out, "b.html"), text: "<html>" },
    ]);
    expect(readdirSync(out).sort()).toEqual(["a.json", "b.html"]);
    expect(readFileSync(join(out, "a.json"), "utf8")).toBe("{}\n");
  });

  it("when one file cannot be written, none is, and no temporary file remains", () => {
    const out = join(dir, "half");
    mkdirSync(out);
    writeFileSync(join(out, "a.json"), "old\n");
    expect(() =>
      writeOutputs([
        { path: join(out, "a.json"), text: "new\n" },
        { path: join(dir, "file.txt", "b.html"), text: "<html>" },
      ]),
    ).toThrow();
    expect(readdirSync(out)).toEqual(["a.json"]);
    expect(readFileSync(join(out, "a.json"), "utf8")).toBe("old\n");
    expect(existsSync(join(dir, "file.txt", "b.html"))).toBe(false);
  });
});

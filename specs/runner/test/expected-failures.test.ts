import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildCheckFolder } from "../check-expected-failure.js";
import { ExpectedFailuresError, readExpectedFailures } from "../expected-failures.js";

const root = mkdtempSync(join(tmpdir(), "synod-specs-expected-failures-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function folder(name: string, json: unknown): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "expected-failures.json"), typeof json === "string" ? json : JSON.stringify(json));
  writeFileSync(join(dir, "Spec.tla"), "Safe == x >= 0\nOther == x >= 0 /\\ TRUE\n");
  writeFileSync(join(dir, "MC.cfg"), "CONSTANTS\n    N = 2\nINVARIANT Safe\n");
  return dir;
}

const bug = { name: "bug", kind: "broken-copy", config: "MC.cfg", why: "planted", mustViolate: "Safe", edits: [{ file: "Spec.tla", find: "Safe == x >= 0", replace: "Safe == x > 0" }] };

describe("readExpectedFailures", () => {
  it("reads the checks, deep false by default; a folder without the file has none", () => {
    expect(readExpectedFailures(folder("ok", { checks: [bug] }))).toEqual([{ ...bug, deep: false }]);
    expect(readExpectedFailures(join(root, "absent"))).toEqual([]);
  });

  it("rejects malformed files with the file and the check named", () => {
    expect(() => readExpectedFailures(folder("json", "{"))).toThrow(ExpectedFailuresError);
    expect(() => readExpectedFailures(folder("kind", { checks: [{ ...bug, kind: "other" }] }))).toThrow(/"bug": "kind"/);
    expect(() => readExpectedFailures(folder("dup", { checks: [bug, bug] }))).toThrow(/two checks are named "bug"/);
    expect(() => readExpectedFailures(folder("no-edit", { checks: [{ ...bug, edits: [] }] }))).toThrow(/needs at least one edit/);
    expect(() => readExpectedFailures(folder("reach", { checks: [{ ...bug, kind: "reachability", edits: [] }] }))).toThrow(/names its "Never…" property/);
    expect(() => readExpectedFailures(folder("path", { checks: [{ ...bug, edits: [{ file: "../x.tla", find: "a", replace: "b" }] }] }))).toThrow(/\.tla file of the folder/);
  });
});

describe("buildCheckFolder", () => {
  it("copies the folder, applies the edit, rewrites the cfg; the committed files are untouched", () => {
    const dir = folder("build", { checks: [bug] });
    const into = join(root, "build-out");
    mkdirSync(into);
    buildCheckFolder(dir, { ...bug, kind: "broken-copy", deep: false, constants: { N: "3" } }, into);
    expect(readFileSync(join(into, "Spec.tla"), "utf8")).toContain("Safe == x > 0");
    expect(readFileSync(join(into, "MC.cfg"), "utf8")).toContain("N = 3");
    expect(readFileSync(join(dir, "Spec.tla"), "utf8")).toContain("Safe == x >= 0");
  });

  it("refuses an edit whose text is not there exactly once (the spec moved on)", () => {
    const dir = folder("stale", { checks: [bug] });
    const into = join(root, "stale-out");
    mkdirSync(into);
    const check = { ...bug, kind: "broken-copy" as const, deep: false, edits: [{ file: "Spec.tla", find: "x >= 0", replace: "x > 0" }] };
    expect(() => buildCheckFolder(dir, check, into)).toThrow(/occurs 2 times/);
  });
});

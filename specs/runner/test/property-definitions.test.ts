import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modulesReached, propertiesHash, propertiesRow, readDefinitions } from "../property-definitions.js";

const root = mkdtempSync(join(tmpdir(), "synod-specs-definitions-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function spec(name: string, text: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Spec.tla"), text);
  writeFileSync(join(dir, "properties.md"), "| name | what |\n|---|---|\n| `Safe` | never negative |\n");
  return dir;
}

const base = "---- MODULE Spec ----\nVARIABLE x\nBound == 0\n\\* Safe: never below the bound.\nSafe ==\n    x >= Bound\n\nOther == x < 10\n====\n";
const checked = { invariants: ["Safe"], properties: [] };

describe("readDefinitions", () => {
  it("finds each top-level definition with its file and line", () => {
    const safe = readDefinitions(spec("defs", base)).get("Safe")?.[0];
    expect(safe).toEqual({ name: "Safe", file: "Spec.tla", line: 5, text: "Safe ==\n    x >= Bound" });
  });
});

describe("propertiesHash", () => {
  it("ignores layout and comments, changes with the definition or with a helper it uses, not with unrelated ones", () => {
    const h = propertiesHash(checked, spec("h0", base));
    expect(h).toMatch(/^[0-9a-f]{12}$/);
    expect(propertiesHash(checked, spec("h1", base.replace("    x >= Bound", "    x   >=   Bound \\* same")))).toBe(h);
    expect(propertiesHash(checked, spec("h2", base.replace("x >= Bound", "TRUE \\/ x >= Bound")))).not.toBe(h);
    expect(propertiesHash(checked, spec("h3", base.replace("Bound == 0", "Bound == -1")))).not.toBe(h);
    expect(propertiesHash(checked, spec("h4", base.replace("x < 10", "x < 11")))).toBe(h);
    expect(propertiesHash({ invariants: ["Safe", "Other"], properties: [] }, spec("h5", base))).not.toBe(h);
  });
});

describe("a folder with two specs defining the same names (specs/pbft: PBFT.tla and PBFTMac.tla)", () => {
  const other = "---- MODULE Other ----\nVARIABLE x\nBound == 5\nSafe ==\n    x <= Bound\n====\n";
  function twoSpecs(name: string): string {
    const dir = spec(name, base);
    writeFileSync(join(dir, "Other.tla"), other);
    writeFileSync(join(dir, "MCSpec.tla"), "---- MODULE MCSpec ----\n\\* not EXTENDS Other\nEXTENDS Spec, TLC\n====\n");
    writeFileSync(join(dir, "MCOther.tla"), "---- MODULE MCOther ----\nEXTENDS Naturals,\n        Other\n====\n");
    return dir;
  }

  it("a model reaches its own modules through EXTENDS (over lines, comments ignored), not the folder's others", () => {
    const dir = twoSpecs("two-reach");
    expect(modulesReached(dir, "MCSpec.tla")).toEqual(["MCSpec.tla", "Spec.tla"]);
    expect(modulesReached(dir, "MCOther.tla")).toEqual(["MCOther.tla", "Other.tla"]);
    expect(readDefinitions(dir, "MCOther.tla").get("Safe")?.map((d) => d.file)).toEqual(["Other.tla"]);
  });

  it("pins each model on its own definitions: adding the other spec leaves the first model's pin as it was", () => {
    const one = spec("one-spec", base);
    writeFileSync(join(one, "MCSpec.tla"), "---- MODULE MCSpec ----\nEXTENDS Spec, TLC\n====\n");
    const alone = propertiesHash(checked, one, "MCSpec.tla");
    expect(alone).toBe(propertiesHash(checked, one)); // one spec: the same as the whole folder
    const dir = twoSpecs("two-pin");
    expect(propertiesHash(checked, dir, "MCSpec.tla")).toBe(alone);
    expect(propertiesHash(checked, dir, "MCOther.tla")).not.toBe(alone);
    expect(propertiesHash(checked, dir)).not.toBe(alone); // the whole folder: both definitions of Safe
  });
});

describe("propertiesRow", () => {
  it("finds the table row naming the property", () => {
    expect(propertiesRow(spec("row", base), "Safe")).toEqual({ line: 3, text: "| `Safe` | never negative |" });
    expect(propertiesRow(spec("row", base), "Other")).toBeUndefined();
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { propertiesHash, propertiesRow, readDefinitions } from "../property-definitions.js";

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

describe("propertiesRow", () => {
  it("finds the table row naming the property", () => {
    expect(propertiesRow(spec("row", base), "Safe")).toEqual({ line: 3, text: "| `Safe` | never negative |" });
    expect(propertiesRow(spec("row", base), "Other")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { checkedNames, rewriteCfg } from "../cfg-rewrite.js";

const cfg = `\\* a model
CONSTANTS
    Server = {s1, s2}
    MaxTerm = 2
SPECIFICATION Spec
CONSTRAINT MCConstraint
INVARIANTS
    TypeOK
    Safety \\* the one that matters
PROPERTIES
    AppendOnly
`;

describe("checkedNames", () => {
  it("lists the invariants and properties a cfg checks, comments dropped", () => {
    expect(checkedNames(cfg)).toEqual({ invariants: ["TypeOK", "Safety"], properties: ["AppendOnly"] });
    expect(checkedNames("INVARIANT A B\nPROPERTY C\n")).toEqual({ invariants: ["A", "B"], properties: ["C"] });
  });
});

describe("rewriteCfg", () => {
  it("replaces what is checked and keeps the rest", () => {
    const out = rewriteCfg(cfg, { invariants: ["NeverLeader"], properties: [] });
    expect(checkedNames(out)).toEqual({ invariants: ["NeverLeader"], properties: [] });
    expect(out).toContain("CONSTRAINT MCConstraint");
    expect(out).toContain("MaxTerm = 2");
  });

  it("overrides constants and refuses one the cfg does not have", () => {
    expect(rewriteCfg(cfg, { constants: { MaxTerm: "4" } })).toContain("    MaxTerm = 4\n");
    expect(rewriteCfg(cfg, { constants: { MaxTerm: "4" } })).toContain("Safety");
    expect(() => rewriteCfg(cfg, { constants: { Crashes: "FALSE" } })).toThrow(/no constant Crashes/);
  });
});

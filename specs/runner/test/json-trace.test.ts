import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { diffValues, readJsonTrace } from "../json-trace.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("readJsonTrace", () => {
  it("reads TLC's -dumpTrace json: states, each step's action with its parameters, per-key changes", () => {
    const states = readJsonTrace(fixture("tlc-dump-trace.json")) ?? [];
    expect(states.map((s) => s.index)).toEqual([1, 2, 3]);
    expect(states[0]).toMatchObject({ variables: { f: [0, 0], s: [] }, changes: [] });
    expect(states[0]?.action).toBeUndefined();
    expect(states[1]?.action).toEqual({ name: "Inc", context: { i: 1 }, line: 5, module: "F" });
    expect(states[1]?.changes).toEqual([{ path: "f.1", before: 0, after: 1 }, { path: "s.1", after: 1 }]);
    expect(states[2]?.changes).toEqual([{ path: "f.1", before: 1, after: 2 }]);
  });

  it("does not take a lasso's step back to state 1 for the step into state 1", () => {
    const states = readJsonTrace(fixture("tlc-dump-trace-lasso.json")) ?? [];
    expect(states[0]?.action).toBeUndefined();
    expect(states.map((s) => s.action?.name)).toEqual([undefined, "Inc", "Inc"]);
  });

  it("is undefined for a missing or foreign file", () => {
    expect(readJsonTrace(fixture("no-such.json"))).toBeUndefined();
    expect(readJsonTrace(fixture("README.md"))).toBeUndefined();
  });
});

describe("diffValues", () => {
  it("descends into records and functions, and reports a changed shape whole", () => {
    expect(diffValues("v", { a: 1, b: { c: 2 } }, { a: 1, b: { c: 3 } })).toEqual([{ path: "v.b.c", before: 2, after: 3 }]);
    expect(diffValues("v", [1], { a: 1 })).toEqual([{ path: "v", before: [1], after: { a: 1 } }]);
    expect(diffValues("v", 1, 1)).toEqual([]);
  });
});

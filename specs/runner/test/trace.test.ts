import { describe, expect, it } from "vitest";
import { parseTraceState } from "../trace.js";

describe("parseTraceState", () => {
  it("splits the header into index, action and location", () => {
    const state = parseTraceState("3: <CrashRecover line 135, col 5 to line 141, col 62 of module Broadcast>\n/\\ crashes = 1\n");
    expect(state).toEqual({
      index: 3, action: "CrashRecover", location: "line 135, col 5 to line 141, col 62 of module Broadcast",
      variables: new Map([["crashes", "1"]]),
    });
  });

  it("keeps the initial predicate and joins continuation lines", () => {
    const state = parseTraceState("1: <Initial predicate>\n/\\ x = ( a :> 1 @@\n  b :> 2 )\n/\\ y = {}\n");
    expect(state?.action).toBe("Initial predicate");
    expect(state?.location).toBe("");
    expect([...(state?.variables ?? new Map<string, string>())]).toEqual([["x", "( a :> 1 @@ b :> 2 )"], ["y", "{}"]]);
  });

  it("reads a single-variable state without conjunction", () => {
    expect(parseTraceState("2: <Next line 5, col 1 to line 5, col 9 of module M>\nx = 2")?.variables.get("x")).toBe("2");
  });

  it("reads a stuttering step and rejects text without a header", () => {
    expect(parseTraceState("4: Stuttering")?.action).toBe("Stuttering");
    expect(parseTraceState("no header here")).toBeUndefined();
  });
});

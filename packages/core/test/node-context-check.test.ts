import { describe, expect, it } from "vitest";
import { ConfigError, createRng, FRESH_STATE, requireNodeContext } from "../src/index.js";

const good = { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(1), recovered: FRESH_STATE };

describe("requireNodeContext: a node built without a proper context says which field is wrong", () => {
  const cases: [string, unknown, string][] = [
    ["no options", undefined, "options"],
    ["null options", null, "options"],
    ["no ctx", {}, "ctx"],
    ["null ctx", { ctx: null }, "ctx"],
    ["ctx without an id", { ctx: { ...good, id: 7 } }, "ctx.id"],
    ["members not an array", { ctx: { ...good, members: "n1,n2" } }, "ctx.members"],
    ["no rng", { ctx: { ...good, rng: undefined } }, "ctx.rng"],
    ["no recovered state", { ctx: { ...good, recovered: undefined } }, "ctx.recovered"],
  ];
  for (const [label, options, field] of cases) {
    it(`${label}: ConfigError on ${field}`, () => {
      try {
        requireNodeContext(options, "X");
        expect.unreachable("a bad context was accepted");
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).field).toBe(field);
      }
    });
  }

  it("accepts a well-formed context", () => {
    expect(() => requireNodeContext({ ctx: good }, "X")).not.toThrow();
  });
});

// PbftNode checks its context first (core's requireNodeContext): a driver's mistake is a
// ConfigError naming the field; before, it threw a TypeError reading `ctx`.
import { ConfigError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { PbftNode } from "../src/pbft-node.js";

describe("PbftNode built without a proper context", () => {
  it("no options, no ctx, or a ctx without rng is a ConfigError naming the field", () => {
    expect(() => new PbftNode(undefined as never)).toThrow(ConfigError);
    expect(() => new PbftNode({} as never)).toThrow(/^ctx: /);
    expect(() => new PbftNode({ ctx: { id: "n1", members: ["n1"], recovered: { records: [] } } } as never)).toThrow(/^ctx\.rng: /);
  });
});

import { describe, expect, it } from "vitest";
import { configuration, isJoint, weighted } from "../src/index.js";
import { setOf } from "./support/tables.js";

describe("configuration", () => {
  it("learners count for nothing", () => {
    const c = configuration({ voters: ["a", "b", "c"], learners: ["d", "e"] });
    expect(c.quorum.voters).toEqual(["a", "b", "c"]);
    expect(c.quorum.isQuorum(setOf("a d e"))).toBe(false);
    expect(c.quorum.isQuorum(setOf("a b"))).toBe(true);
    expect(c.members).toEqual(["a", "b", "c", "d", "e"]);
    expect(c.isJoint).toBe(false);
  });

  it("builds a joint system when outgoing voters are given", () => {
    const c = configuration({ voters: ["a", "b", "d"], outgoingVoters: ["a", "b", "c"], learnersNext: ["c"] });
    expect(c.isJoint).toBe(true);
    expect(isJoint(c.quorum)).toBe(true);
    expect(c.quorum.isQuorum(setOf("a d"))).toBe(false); // no majority of the old ... a alone
    expect(c.quorum.isQuorum(setOf("a b"))).toBe(true);
  });

  it("uses a custom factory for each half", () => {
    const c = configuration({ voters: ["a", "b", "c"] }, (voters) => weighted(voters.map((id) => [id, id === "a" ? 3 : 1] as const)));
    expect(c.quorum.kind).toBe("weighted");
    expect(c.quorum.isQuorum(setOf("a"))).toBe(true);
  });

  it.each([
    ["no voters", { voters: [] }, "empty"],
    ["duplicate voter", { voters: ["a", "a"] }, "duplicate"],
    ["duplicate learner", { voters: ["a"], learners: ["b", "b"] }, "duplicate"],
    ["learner is a voter", { voters: ["a", "b"], learners: ["b"] }, "learner-is-voter"],
    ["learner is an outgoing voter", { voters: ["a"], outgoingVoters: ["b"], learners: ["b"] }, "learner-is-voter"],
    ["learnersNext outside joint", { voters: ["a"], learnersNext: ["b"] }, "learner-is-voter"],
    ["learnersNext is an incoming voter", { voters: ["a", "b"], outgoingVoters: ["a", "b"], learnersNext: ["b"] }, "learner-is-voter"],
    ["bad learner id", { voters: ["a"], learners: [""] }, "invalid-id"],
  ] as const)("rejects %s", (_, spec, reason) => {
    expect(() => configuration(spec)).toThrow(expect.objectContaining({ reason }));
  });

  it("rejects a factory that builds over other voters", () => {
    expect(() => configuration({ voters: ["a", "b"] }, () => weighted([["x", 1]]))).toThrow(expect.objectContaining({ field: "voters" }));
  });
});

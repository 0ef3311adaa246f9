import { describe, expect, it } from "vitest";
import { NotLeaderError } from "../../src/errors.js";
import { otherMember, refuse, refuseNotLeader } from "../../src/rules/refusals.js";
import { raftState } from "../support/state.js";

describe("refusals", () => {
  it("a non-leader points at the leader it knows, else at another member round-robin (never itself)", () => {
    const r = raftState();
    r.lead = "n3";
    refuseNotLeader(r, 1);
    r.lead = undefined;
    refuseNotLeader(r, 2);
    refuseNotLeader(r, 3);
    const out = r.out.finish().output;
    expect(out.map((o) => o.type === "refused" && o.retryAt)).toEqual(["n3", "n2", "n3"]);
    expect(out.every((o) => o.type === "refused" && o.error instanceof NotLeaderError)).toBe(true);
    expect([0, 1, 2, 3].map(() => otherMember(r))).not.toContain("n1");
  });

  it("reuses an error value while it says the same thing", () => {
    const r = raftState();
    refuse(r, 1, "too-many-reads", "busy");
    refuse(r, 2, "too-many-reads", "busy");
    refuse(r, 3, "too-many-reads", "other");
    const errors = r.out.finish().output.map((o) => (o.type === "refused" ? o.error : undefined));
    expect(errors[0]).toBe(errors[1]);
    expect(errors[2]).not.toBe(errors[1]);
  });
});

import { describe, expect, it } from "vitest";
import { applyConfChange, isJoint, quorumOf } from "../src/conf-state.js";

const old = { voters: ["n1", "n2", "n3"], outgoing: [], learners: [] };

describe("applyConfChange", () => {
  it("enters and leaves a joint configuration", () => {
    const entered = applyConfChange(old, { kind: "enter-joint", voters: ["n1", "n2", "n4"], learners: ["n3"] });
    expect(entered.ok).toBe(true);
    if (!entered.ok) return;
    expect(isJoint(entered.conf)).toBe(true);
    const q = quorumOf(entered.conf);
    expect(q.isQuorum(new Set(["n1", "n2"]))).toBe(true);
    expect(q.isQuorum(new Set(["n2", "n4"]))).toBe(false); // majority of new, not of old
    const left = applyConfChange(entered.conf, { kind: "leave-joint" });
    expect(left).toEqual({ ok: true, conf: { voters: ["n1", "n2", "n4"], outgoing: [], learners: ["n3"] } });
  });

  it("rejects invalid changes with a reason", () => {
    const cases = [
      [old, { kind: "leave-joint" as const }, /not in a joint/],
      [old, { kind: "enter-joint" as const, voters: [], learners: [] }, /no voters/],
      [old, { kind: "enter-joint" as const, voters: ["n1", "n1"], learners: [] }, /duplicate/],
      [old, { kind: "enter-joint" as const, voters: ["n1"], learners: ["n1"] }, /both voter and learner/],
      [{ ...old, outgoing: ["n1"] }, { kind: "enter-joint" as const, voters: ["n1"], learners: [] }, /already in a joint/],
    ] as const;
    for (const [conf, change, reason] of cases) {
      const r = applyConfChange(conf, change);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    }
  });
});

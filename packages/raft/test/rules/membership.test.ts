import { describe, expect, it } from "vitest";
import { maybeApply } from "../../src/rules/apply.js";
import { applyConfEntry, handleChangeMembership, maybeAutoLeaveJoint } from "../../src/rules/membership.js";
import { elect, raftState, sent } from "../support/state.js";

describe("membership (joint consensus)", () => {
  it("a leader proposes enter-joint, and after it is applied leaves the joint configuration by itself", () => {
    const r = elect(raftState({ members: ["n1"] }));
    maybeApply(r);
    r.out.finish();
    handleChangeMembership(r, 7, ["n1", "n2"], []);
    expect(r.log.entry(2)).toMatchObject({ type: "conf", change: { kind: "enter-joint", voters: ["n1", "n2"] } });
    expect(r.out.finish().output).toContainEqual({ type: "proposed", tag: 7, index: 2, count: 1 });
    maybeApply(r); // a single voter commits at once; applying enters the joint configuration, then proposes leave-joint
    expect(r.conf).toEqual({ voters: ["n1", "n2"], outgoing: ["n1"], learners: [] });
    expect(r.log.entry(3)).toMatchObject({ type: "conf", change: { kind: "leave-joint" } });
    expect(r.progress.has("n2")).toBe(true);
  });

  it("one change at a time", () => {
    const r = elect(raftState());
    handleChangeMembership(r, 1, ["n1", "n2"], []);
    handleChangeMembership(r, 2, ["n1", "n3"], []);
    expect(r.out.finish().output).toContainEqual(expect.objectContaining({ type: "refused", tag: 2, error: expect.objectContaining({ reason: "config-change-pending" }) }));
  });

  it("a change invalid against the configuration in force when applied is reported and ignored", () => {
    const r = raftState();
    applyConfEntry(r, 5, { kind: "leave-joint" });
    expect(r.out.finish().output).toEqual([expect.objectContaining({ type: "conf", index: 5, rejected: expect.any(String) })]);
    expect(r.conf.voters).toEqual(["n1", "n2", "n3"]);
  });

  it("only a leader in a joint configuration whose entry is applied leaves it", () => {
    const r = elect(raftState());
    sent(r);
    const last = r.log.lastIndex;
    maybeAutoLeaveJoint(r);
    expect(r.log.lastIndex).toBe(last);
  });
});

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

  it("with disableConfChangeValidation a second change is accepted while one is in progress, and ignored when applied while joint", () => {
    const r = elect(raftState({ members: ["n1"], config: { disableConfChangeValidation: true } }));
    maybeApply(r);
    r.out.finish();
    handleChangeMembership(r, 1, ["n1", "n2"], []);
    handleChangeMembership(r, 2, ["n1", "n3"], []); // the first is neither applied nor left
    expect(r.out.finish().output).toEqual([
      { type: "proposed", tag: 1, index: 2, count: 1 },
      { type: "proposed", tag: 2, index: 3, count: 1 },
    ]);
    maybeApply(r); // n1 alone commits both at once: the first enters the joint configuration, the second meets it
    const joint = { voters: ["n1", "n2"], outgoing: ["n1"], learners: [] };
    expect(r.out.finish().output.filter((o) => o.type === "conf")).toEqual([
      { type: "conf", index: 2, conf: joint },
      { type: "conf", index: 3, conf: joint, rejected: "enter-joint while already in a joint configuration" },
    ]);
    expect(r.conf).toEqual(joint);
    expect(r.log.entry(4)).toMatchObject({ type: "conf", change: { kind: "leave-joint" } }); // proposed once the last change applied
  });

  it("with disableConfChangeValidation the new members are still validated", () => {
    const r = elect(raftState({ config: { disableConfChangeValidation: true } }));
    const last = r.log.lastIndex;
    handleChangeMembership(r, 3, [], ["n2"]);
    handleChangeMembership(r, 4, ["n1", "n1"], []);
    const refused = r.out.finish().output.filter((o) => o.type === "refused");
    expect(refused).toEqual([
      expect.objectContaining({ tag: 3, error: expect.objectContaining({ reason: "invalid-config" }) }),
      expect.objectContaining({ tag: 4, error: expect.objectContaining({ reason: "invalid-config" }) }),
    ]);
    expect(r.log.lastIndex).toBe(last);
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

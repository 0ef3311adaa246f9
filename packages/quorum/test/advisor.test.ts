import { describe, expect, it } from "vitest";
import { nodeIds } from "@synod/core";
import { adviseReconfiguration, byzantine, grid, joint, majority, progressReport } from "../src/index.js";

const FIVE = ["a", "b", "c", "d", "e"];

describe("progressReport", () => {
  it.each([
    // failed, suspected → majority(5) progress now, if suspects recover, remaining f
    ["", "", true, true, 2],
    ["a", "", true, true, 1],
    ["a b", "", true, true, 0],
    ["a", "b c", false, true, -1],
    ["a b c", "", false, false, -1],
  ])("failed [%s] suspected [%s] → progress %s / %s, remaining %i", (failed, suspected, now, ifRecover, remaining) => {
    const [report] = progressReport({ raft: majority(FIVE) }, { failed: failed.split(" ").filter(Boolean), suspected: suspected.split(" ").filter(Boolean) });
    expect(report!.makesProgress).toBe(now);
    expect(report!.makesProgressIfSuspectedRecover).toBe(ifRecover);
    expect(report!.remainingFaultTolerance).toBe(remaining);
  });

  it("reports several systems at once, exhaustively for non-threshold ones", () => {
    const reports = progressReport(
      {
        grid: grid(nodeIds(6), { rows: 2, columns: 3 }),
        pbft: byzantine(nodeIds(4)),
        joint: joint(majority(["n1", "n2", "n3"]), majority(["n4", "n5", "n6"])),
      },
      { failed: ["n1"] },
    );
    expect(reports.map((r) => [r.name, r.makesProgress, r.remainingFaultTolerance])).toEqual([
      ["grid", true, 0], // row 1 and a column through it survive, any further loss can break it
      ["pbft", true, 0],
      ["joint", true, 0], // n2 n3 are needed by the first half
    ]);
  });

  it("leaves the remaining tolerance undefined when too large to enumerate", () => {
    const big = joint(majority(nodeIds(21)), majority(nodeIds(21)));
    expect(progressReport({ big }, {})[0]!.remainingFaultTolerance).toBeUndefined();
    expect(progressReport({ m: majority(nodeIds(31)) }, { failed: ["n1"] })[0]!.remainingFaultTolerance).toBe(14);
  });
});

describe("adviseReconfiguration", () => {
  it("shrinks 5 → 3 after two failures to restore f=1", () => {
    const advice = adviseReconfiguration({ voters: FIVE }, { failed: ["d", "e"] }, { targetFaultTolerance: 1 });
    expect(advice.suggestion?.voters).toEqual(["a", "b", "c"]);
    expect(advice.suggestion?.faultTolerance).toBe(1);
    expect(advice.suggestion?.plan.steps.map((s) => s.kind)).toEqual(["enter-joint", "leave-joint"]);
  });

  it("replaces a failed voter with a healthy learner, then a spare", () => {
    const advice = adviseReconfiguration({ voters: ["a", "b", "c"], learners: ["l"] }, { failed: ["c"] }, { targetFaultTolerance: 2, spares: ["s1", "s2"] });
    expect(advice.suggestion?.voters).toEqual(["a", "b", "l", "s1", "s2"]);
    expect(advice.suggestion?.learners).toEqual([]);
    expect(advice.suggestion?.faultTolerance).toBe(2);
  });

  it("is blocked when the healthy voters are no quorum", () => {
    const advice = adviseReconfiguration({ voters: FIVE }, { failed: ["a", "b"], suspected: ["c"] }, { targetFaultTolerance: 1, spares: ["x"] });
    expect(advice.suggestion).toBeUndefined();
    expect(advice.blocked).toMatch(/no configuration change can commit/);
  });

  it("keeps suspected voters and says so", () => {
    const advice = adviseReconfiguration({ voters: FIVE }, { failed: ["e"], suspected: ["d"] }, { targetFaultTolerance: 2, spares: ["x"] });
    expect(advice.suggestion?.voters).toEqual(["a", "b", "c", "d", "x"]);
    expect(advice.notes.join(" ")).toMatch(/suspected voters kept: d/);
    expect(advice.notes.join(" ")).toMatch(/2 more nodes are needed/); // 7 voters, 6 healthy, quorum 4
  });

  it("suggests nothing when the target is met", () => {
    const advice = adviseReconfiguration({ voters: FIVE }, {}, { targetFaultTolerance: 2 });
    expect(advice.suggestion).toBeUndefined();
    expect(advice.notes).toContain("target fault tolerance met; no change needed");
  });

  it("suggests nothing that does not help: 3 → 2 voters keeps f=0 and loses c's return", () => {
    const advice = adviseReconfiguration({ voters: ["a", "b", "c"] }, { failed: ["c"] }, { targetFaultTolerance: 1 });
    expect(advice.suggestion).toBeUndefined();
    expect(advice.notes.join(" ")).toMatch(/1 more nodes are needed for f=1/);
    expect(advice.notes.join(" ")).toMatch(/no change improves/);
  });

  it.each([
    // voters, failed, suspected, spares, target → suggested voters (or "-"), remaining f after
    ["a b c d e", "d e", "", "", 1, "a b c", 1],
    ["a b c d e", "e", "", "x y", 2, "a b c d x", 2],
    ["a b c d e", "e", "d", "x y", 2, "a b c d x y", 1], // d suspected: 6 voters, 5 healthy, quorum 4
    ["a b c d e", "e", "d", "x y z", 2, "a b c d x y z", 2],
    ["a b c", "c", "", "x", 1, "a b x", 1],
    ["a b c", "c", "", "", 1, "-", 0],
    ["a b c d e f g", "f g", "", "", 2, "a b c d e", 2],
  ])("voters [%s] failed [%s] suspected [%s] spares [%s] target %i → [%s], f %i", (voters, failed, suspected, spares, target, suggested, remaining) => {
    const list = (text: string) => text.split(" ").filter(Boolean);
    const advice = adviseReconfiguration({ voters: list(voters) }, { failed: list(failed), suspected: list(suspected) }, { targetFaultTolerance: target, spares: list(spares) });
    expect(advice.suggestion?.voters.join(" ") ?? "-").toBe(suggested);
    expect(advice.suggestion?.remainingFaultTolerance ?? advice.current.remainingFaultTolerance).toBe(remaining);
  });

  it("rejects a bad target", () => {
    expect(() => adviseReconfiguration({ voters: FIVE }, {}, { targetFaultTolerance: -1 })).toThrow(expect.objectContaining({ reason: "invalid-size" }));
  });
});

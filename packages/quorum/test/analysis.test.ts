import { describe, expect, it } from "vitest";
import { nodeIds } from "@synod/core";
import {
  AnalysisLimitError,
  analyzeQuorumSystem,
  byzantine,
  byzantineFaultTolerance,
  crashFaultTolerance,
  flexible,
  grid,
  honestIntersection,
  joint,
  majority,
  MAX_ANALYSIS_MEMBERS,
  minimalQuorums,
  minIntersectionSize,
  quorumsIntersect,
  threshold,
  weighted,
  type QuorumSystem,
} from "../src/index.js";

const ids = (n: number) => nodeIds(n);

describe("analysis figures", () => {
  it.each<[string, number, number, number, QuorumSystem]>([
    // label, crash f, Byzantine f, smallest quorum, system
    ["majority 3", 1, 0, 2, majority(ids(3))],
    ["majority 5", 2, 0, 3, majority(ids(5))],
    ["majority 4", 1, 1, 3, majority(ids(4))],
    ["byzantine n=4 f=1", 1, 1, 3, byzantine(ids(4))],
    ["byzantine n=7 f=2", 2, 2, 5, byzantine(ids(7))],
    ["grid 2x3", 1, 1, 4, grid(ids(6), { rows: 2, columns: 3 })],
    ["grid 3x3", 2, 1, 5, grid(ids(9), { rows: 3, columns: 3 })],
    ["flexible 5 (4, 2)", 1, 0, 2, flexible(ids(5), { phase1Size: 4, phase2Size: 2 })],
    ["weighted a3 b1 c1", 0, 0, 1, weighted([["a", 3], ["b", 1], ["c", 1]])],
    ["unanimous 3", 0, 0, 3, threshold(ids(3), 3)],
    ["joint 3/3 sharing one", 1, 0, 3, joint(majority(["a", "b", "c"]), majority(["c", "d", "e"]))],
  ])("%s: crash f=%i, Byzantine f=%i, smallest quorum %i", (_, crash, byz, smallest, system) => {
    const analysis = analyzeQuorumSystem(system);
    expect(analysis.crashFaultTolerance).toBe(crash);
    expect(analysis.byzantineFaultTolerance).toBe(byz);
    expect(analysis.smallestQuorumSize).toBe(smallest);
    expect(analysis.intersecting).toBe(true);
    expect(crashFaultTolerance(system)).toBe(crash);
    expect(byzantineFaultTolerance(system)).toBe(byz);
  });

  it("majority of 2f+1 tolerates f crashes, for every f up to the limit", () => {
    for (let f = 0; 2 * f + 1 <= 15; f++) expect(crashFaultTolerance(majority(ids(2 * f + 1)))).toBe(f);
  });

  it("Byzantine n = 3f+1 tolerates f Byzantine faults with honest overlap", () => {
    for (let f = 0; 3 * f + 1 <= 13; f++) {
      const system = byzantine(ids(3 * f + 1));
      expect(byzantineFaultTolerance(system)).toBe(f);
      expect(honestIntersection(system, f)).toBe(true);
      expect(honestIntersection(system, f + 1)).toBe(false);
    }
  });

  it("checks (phase-1, phase-2) pairs across systems", () => {
    const f = flexible(ids(5), { phase1Size: 4, phase2Size: 2 });
    expect(quorumsIntersect(f.phase1, f.phase2)).toBe(true);
    expect(quorumsIntersect(f.phase2)).toBe(false); // two phase-2 quorums can be disjoint: fine
    expect(minIntersectionSize(f.phase1, f.phase2)).toBe(1);
    expect(quorumsIntersect(majority(["a", "b", "c"]), majority(["d", "e", "f"]))).toBe(false);
    expect(quorumsIntersect(majority(["a", "b", "c"]), majority(["a", "b", "c", "d"]))).toBe(true);
  });

  it("lists minimal quorums smallest first", () => {
    expect(minimalQuorums(majority(["a", "b", "c"]))).toEqual([["a", "b"], ["a", "c"], ["b", "c"]]);
    expect(minimalQuorums(grid(["a", "b", "c", "d"], { rows: 2, columns: 2 }))).toEqual([
      ["a", "b", "c"],
      ["a", "b", "d"],
      ["a", "c", "d"],
      ["b", "c", "d"],
    ]);
    expect(() => minimalQuorums(majority(ids(9)), { maxResults: 10 })).toThrow(expect.objectContaining({ code: "limit" }));
  });

  it("finishes the largest accepted size (20 voters)", () => {
    const analysis = analyzeQuorumSystem(majority(ids(MAX_ANALYSIS_MEMBERS)));
    expect(analysis.crashFaultTolerance).toBe(9);
    expect(analysis.minimalQuorumCount).toBe(167_960); // C(20, 11)
    expect(analysis.minIntersectionSize).toBe(2);
  });
});

describe("analysis limit", () => {
  it.each([
    ["majority of 21", () => analyzeQuorumSystem(majority(ids(21)))],
    ["majority of 31", () => crashFaultTolerance(majority(ids(31)))],
    ["joint union of 22", () => quorumsIntersect(majority(ids(11)), majority(ids(22).slice(11)))],
    ["minimal quorums of 40", () => minimalQuorums(majority(ids(40)))],
  ])("%s throws AnalysisLimitError instead of hanging", (_, run) => {
    expect(run).toThrow(AnalysisLimitError);
    expect(run).toThrow(expect.objectContaining({ code: "limit", maxMembers: MAX_ANALYSIS_MEMBERS }));
  });

  it("a lower limit can be asked for, a higher one only up to the ceiling", () => {
    expect(() => analyzeQuorumSystem(majority(ids(5)), { maxMembers: 4 })).toThrow(AnalysisLimitError);
    expect(() => analyzeQuorumSystem(majority(ids(5)), { maxMembers: 99 })).toThrow(expect.objectContaining({ code: "usage" }));
  });
});

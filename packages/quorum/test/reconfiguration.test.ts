import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planTransition, quorumsIntersect, TRANSITION_RULES, weighted, type Configuration, type TransitionPlan } from "../src/index.js";
import { POOL, SEED } from "./support/arbitraries.js";

function summary(plan: TransitionPlan): string[] {
  return plan.steps.map((step) => {
    const c = step.configuration;
    const out = c.isJoint ? ` | out ${c.outgoingVoters.join(" ")}` : "";
    const next = c.learnersNext.length > 0 ? ` | next ${c.learnersNext.join(" ")}` : "";
    return `${step.kind}${step.node ? " " + step.node : ""} → voters ${c.voters.join(" ")}${out} | learners ${c.learners.join(" ") || "-"}${next}`;
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

describe("planTransition scenarios", () => {
  it("adds one voter in a single step after it catches up as a learner", () => {
    expect(summary(planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "c", "d"] }))).toEqual([
      "add-learner d → voters a b c | learners d",
      "promote-learner d → voters a b c d | learners -",
    ]);
  });

  it("replaces a voter (two changes) through a joint configuration", () => {
    const plan = planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "d"] });
    expect(plan.strategy).toBe("joint");
    expect(summary(plan)).toEqual([
      "add-learner d → voters a b c | learners d",
      "enter-joint → voters a b d | out a b c | learners -",
      "leave-joint → voters a b d | learners -",
    ]);
    expect(plan.steps[1]!.commitQuorum.kind).toBe("joint");
  });

  it("replaces a voter one member at a time when asked, removing the leader last", () => {
    const plan = planTransition({ voters: ["a", "b", "c"] }, { voters: ["b", "d", "e"] }, { strategy: "single-member", leader: "a" });
    expect(summary(plan)).toEqual([
      "add-learner d → voters a b c | learners d",
      "add-learner e → voters a b c | learners d e",
      "promote-learner d → voters a b c d | learners e",
      "promote-learner e → voters a b c d e | learners -",
      "remove-voter c → voters a b d e | learners -",
      "remove-voter a → voters b d e | learners -",
    ]);
  });

  it("demotes a voter to a learner via learnersNext in a joint change", () => {
    expect(summary(planTransition({ voters: ["a", "b", "c"] }, { voters: ["d", "e", "f"], learners: ["a"] }, { catchUpAsLearners: false }))).toEqual([
      "add-learner a → voters a b c | learners -",
      "enter-joint → voters d e f | out a b c | learners - | next a",
      "leave-joint → voters d e f | learners a",
    ].slice(1));
  });

  it("returns an empty plan for equal configurations", () => {
    const plan = planTransition({ voters: ["a", "b"] }, { voters: ["b", "a"] });
    expect(plan.strategy).toBe("none");
    expect(plan.steps).toEqual([]);
    expect(plan.rules).toBe(TRANSITION_RULES);
  });

  it("refuses single-member steps a custom factory makes unsafe", () => {
    // d carries weight 10: {d} alone becomes a quorum, disjoint from the old quorum {a b}.
    const heavy = (voters: readonly string[]) => weighted(voters.map((id) => [id, id === "d" ? 10 : 1] as const));
    expect(() => planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "c", "d"] }, { quorum: heavy, strategy: "single-member" })).toThrow(
      expect.objectContaining({ reason: "unsafe-transition" }),
    );
    expect(planTransition({ voters: ["a", "b", "c"] }, { voters: ["a", "b", "c", "d"] }, { quorum: heavy, strategy: "joint" }).steps.at(-1)!.configuration.quorum.kind).toBe("weighted");
  });

  it("refuses joint endpoints", () => {
    expect(() => planTransition({ voters: ["a"], outgoingVoters: ["b"] }, { voters: ["a"] })).toThrow(expect.objectContaining({ reason: "unsafe-transition" }));
  });
});

describe("ReconfigurationSafety: every plan keeps consecutive configurations intersecting", () => {
  const membership = fc.record({
    voters: fc.subarray([...POOL], { minLength: 1, maxLength: 5 }),
    learners: fc.subarray([...POOL], { maxLength: 3 }),
  }).map(({ voters, learners }) => ({ voters, learners: learners.filter((id) => !voters.includes(id)) }));

  it.each(["joint", "single-member", "auto"] as const)("strategy %s", (strategy) => {
    fc.assert(
      fc.property(membership, membership, fc.boolean(), (from, to, catchUp) => {
        const plan = planTransition(from, to, { strategy, catchUpAsLearners: catchUp });
        let previous: Configuration = plan.from;
        for (const step of plan.steps) {
          // Every quorum that may decide before the step meets every quorum that may decide after it.
          expect(quorumsIntersect(previous.quorum, step.configuration.quorum)).toBe(true);
          expect(step.commitQuorum).toBe(step.configuration.quorum);
          if (plan.strategy === "single-member" && step.node !== undefined) {
            const before = new Set(previous.voters);
            const after = new Set(step.configuration.voters);
            const changed = [...before].filter((id) => !after.has(id)).length + [...after].filter((id) => !before.has(id)).length;
            expect(changed).toBeLessThanOrEqual(1);
          }
          previous = step.configuration;
        }
        expect(sameSet(previous.voters, to.voters)).toBe(true);
        expect(sameSet(previous.learners, to.learners)).toBe(true);
        expect(previous.isJoint).toBe(false);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

import { SynodError } from "@synod/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  adviseReconfiguration,
  analyzeQuorumSystem,
  byzantine,
  byzantineQuorumSize,
  configuration,
  crashFaultTolerance,
  flexible,
  grid,
  joint,
  majority,
  majoritySize,
  minimalQuorums,
  minIntersectionSize,
  honestIntersection,
  phaseSystems,
  planTransition,
  progressReport,
  threshold,
  weighted,
  type QuorumSystem,
} from "../src/index.js";

/** Runs `f`; whatever it throws must be a SynodError (never a RangeError, TypeError or plain Error). */
function onlyTypedErrors(f: () => unknown): void {
  try {
    f();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(SynodError);
  }
}

const ids = fc.constantFrom("n1", "n2", "n3", "n4", "n5");
/** Values of every shape, and near-valid ones: member lists, numbers at and past the edges, objects of the right keys. */
const anyArg = fc.oneof(
  fc.anything(),
  fc.array(ids, { maxLength: 6 }),
  fc.array(fc.oneof(ids, fc.anything()), { maxLength: 4 }),
  fc.constantFrom(Infinity, -Infinity, Number.NaN, 2 ** 53, -1, 0, 1, 2, 1.5, null, undefined, "3", 3n, [], {}),
  fc.record({ voters: fc.array(ids, { maxLength: 5 }), learners: fc.anything(), rows: fc.anything(), columns: fc.anything(), f: fc.anything() }, { requiredKeys: [] }),
  fc.dictionary(ids, fc.oneof(fc.integer({ min: -2, max: 5 }), fc.anything()), { maxKeys: 5 }),
);

describe("quorum public API: bad arguments raise typed errors (fast-check, seed 15)", () => {
  it("constructors and sizes with any arguments", () => {
    fc.assert(
      fc.property(anyArg, anyArg, anyArg, (a, b, c) => {
        onlyTypedErrors(() => majority(a as never));
        onlyTypedErrors(() => majoritySize(a as never));
        onlyTypedErrors(() => threshold(a as never, b as never));
        onlyTypedErrors(() => byzantine(a as never, b as never));
        onlyTypedErrors(() => byzantineQuorumSize(a as never, b as never));
        onlyTypedErrors(() => weighted(a as never, b as never));
        onlyTypedErrors(() => flexible(a as never, b as never));
        onlyTypedErrors(() => grid(a as never, b as never));
        onlyTypedErrors(() => configuration(a as never));
        onlyTypedErrors(() => planTransition(a as never, b as never, c as never));
        onlyTypedErrors(() => progressReport(a as never, b as never));
        onlyTypedErrors(() => adviseReconfiguration(a as never, b as never, c as never));
      }),
      { seed: 15, numRuns: 500 },
    );
    // Before: a null options object was read (TypeError), a size given as an object without a prototype was printed (TypeError).
    expect(() => byzantine(["n1", "n2", "n3", "n4"], null as never)).toThrow(SynodError);
    expect(() => majoritySize(Object.create(null) as never)).toThrow(/voterCount must be an integer >= 1, got an object/);
  });

  it("joint, phase and analysis functions with any arguments beside a valid system", () => {
    const systems: QuorumSystem[] = [majority(["n1", "n2", "n3"]), weighted([["n1", 2], ["n2", 1]]), byzantine(["n1", "n2", "n3", "n4"])];
    fc.assert(
      fc.property(anyArg, anyArg, (a, b) => {
        for (const system of systems) {
          // Not covered: isQuorum / committedIndex / voteResult with a non-set or non-function argument
          // (the replication hot path; a TypeError there is a caller's type error, not checked per call).
          onlyTypedErrors(() => joint(system, a as never));
          onlyTypedErrors(() => crashFaultTolerance(system, a as never));
          onlyTypedErrors(() => analyzeQuorumSystem(system, b as never));
          onlyTypedErrors(() => analyzeQuorumSystem(a as never));
          onlyTypedErrors(() => phaseSystems(a as never));
          onlyTypedErrors(() => minIntersectionSize(a as never, b as never));
          onlyTypedErrors(() => minimalQuorums(system, a as never));
          onlyTypedErrors(() => honestIntersection(system, a as never, b as never));
        }
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});

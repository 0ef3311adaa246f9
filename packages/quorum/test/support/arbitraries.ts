/** fast-check arbitraries for quorum systems built by the public constructors, over small member pools. */
import fc from "fast-check";
import type { NodeId } from "@synod/core";
import { byzantine, flexible, grid, joint, majority, threshold, weighted, type QuorumSystem } from "../../src/index.js";

/** Fixed seed for every property in this package (fast-check prints it with any counterexample). */
export const SEED = 0x5eed_0003;

/** The member pool: a … h. */
export const POOL: readonly NodeId[] = ["a", "b", "c", "d", "e", "f", "g", "h"];

/** A non-empty subset of the pool, in pool order, of at most `max` members. */
export function votersArb(max = 6): fc.Arbitrary<NodeId[]> {
  return fc.subarray([...POOL], { minLength: 1, maxLength: max });
}

/** A described system: `label` for failure messages, `build` runs the constructor. */
export interface SystemCase {
  readonly label: string;
  readonly system: QuorumSystem;
}

const majorityArb = votersArb().map((v): SystemCase => ({ label: `majority(${v})`, system: majority(v) }));

const thresholdArb = votersArb().chain((v) =>
  fc.integer({ min: Math.floor(v.length / 2) + 1, max: v.length }).map((k): SystemCase => ({ label: `threshold(${v}, ${k})`, system: threshold(v, k) })),
);

const weightedArb = votersArb()
  .chain((v) => fc.tuple(fc.constant(v), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: v.length, maxLength: v.length })))
  .chain(([v, w]) => {
    const total = w.reduce((x, y) => x + y, 0);
    return fc.integer({ min: Math.floor(total / 2) + 1, max: total }).map((t): SystemCase => ({
      label: `weighted(${v}, [${w}], ${t})`,
      system: weighted(v.map((id, i) => [id, w[i]!] as const), { threshold: t }),
    }));
  });

const flexibleArb = votersArb().chain((v) =>
  fc
    .integer({ min: 1, max: v.length })
    .chain((q1) => fc.integer({ min: v.length - q1 + 1, max: v.length }).map((q2) => [q1, q2] as const))
    .map(([q1, q2]): SystemCase => ({ label: `flexible(${v}, ${q1}, ${q2})`, system: flexible(v, { phase1Size: q1, phase2Size: q2 }) })),
);

const gridArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
  .filter(([r, c]) => r * c <= POOL.length)
  .map(([r, c]): SystemCase => {
    const v = POOL.slice(0, r * c);
    return { label: `grid(${v}, ${r}x${c})`, system: grid(v, { rows: r, columns: c }) };
  });

const byzantineArb = votersArb(7).chain((v) =>
  fc.integer({ min: 0, max: Math.floor((v.length - 1) / 3) }).map((f): SystemCase => ({ label: `byzantine(${v}, f=${f})`, system: byzantine(v, { f }) })),
);

/** Any single (non-joint) system the constructors accept. */
export const simpleSystemArb: fc.Arbitrary<SystemCase> = fc.oneof(majorityArb, thresholdArb, weightedArb, flexibleArb, gridArb, byzantineArb);

/** Any system the constructors accept, including joints of two arbitrary systems (sharing members or not). */
export const systemArb: fc.Arbitrary<SystemCase> = fc.oneof(
  { weight: 3, arbitrary: simpleSystemArb },
  {
    weight: 1,
    arbitrary: fc.tuple(simpleSystemArb, simpleSystemArb).map(([a, b]): SystemCase => ({ label: `joint(${a.label}, ${b.label})`, system: joint(a.system, b.system) })),
  },
);

/** Per-voter acknowledged indexes (some missing) for a voter list. */
export function ackedArb(voters: readonly NodeId[]): fc.Arbitrary<Map<NodeId, number>> {
  return fc
    .array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }), { minLength: voters.length, maxLength: voters.length })
    .map((values) => {
      const acked = new Map<NodeId, number>();
      values.forEach((value, i) => value !== undefined && acked.set(voters[i]!, value));
      return acked;
    });
}

/** Per-voter votes (granted, rejected or missing) for a voter list. */
export function votesArb(voters: readonly NodeId[]): fc.Arbitrary<Map<NodeId, boolean>> {
  return fc
    .array(fc.option(fc.boolean(), { nil: undefined }), { minLength: voters.length, maxLength: voters.length })
    .map((values) => {
      const votes = new Map<NodeId, boolean>();
      values.forEach((value, i) => value !== undefined && votes.set(voters[i]!, value));
      return votes;
    });
}

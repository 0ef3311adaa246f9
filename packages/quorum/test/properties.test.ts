/**
 * Properties that hold for every quorum system the constructors accept (fast-check, fixed seed).
 * Names follow specs/quorum/properties.md.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  analyzeQuorumSystem,
  byzantine,
  flexible,
  honestIntersection,
  joint,
  minimalQuorums,
  phaseSystems,
  QuorumConfigError,
  threshold,
  weighted,
} from "../src/index.js";
import { ackedArb, POOL, SEED, systemArb, votersArb, votesArb } from "./support/arbitraries.js";
import {
  bruteCommittedIndex,
  bruteCrashTolerance,
  bruteMinIntersection,
  bruteVoteResult,
  isMonotone,
  quorumsOf,
  subsetsOf,
} from "./support/brute-force.js";

const RUNS = { seed: SEED, numRuns: 150 };

/** A naive k-of-n predicate over `voters`, built without the library. */
function naiveCount(voters: readonly string[], k: number) {
  return { kind: "naive", voters, isQuorum: (s: ReadonlySet<string>) => voters.filter((id) => s.has(id)).length >= k, committedIndex: () => 0, voteResult: () => "pending" as const };
}

describe("QuorumIntersection: every system the constructors accept", () => {
  it("has intersecting (phase-1, phase-2) quorums, checked pair by pair", () => {
    fc.assert(
      fc.property(systemArb, ({ system }) => {
        const [phase1, phase2] = phaseSystems(system);
        expect(bruteMinIntersection(phase1, phase2)).toBeGreaterThanOrEqual(1);
        if (phase1 === phase2) expect(bruteMinIntersection(system)).toBeGreaterThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it("is monotone and has the full voter set as a quorum (it can always decide)", () => {
    fc.assert(
      fc.property(systemArb, ({ system }) => {
        expect(isMonotone(system)).toBe(true);
        for (const phase of phaseSystems(system)) expect(phase.isQuorum(new Set(system.voters))).toBe(true);
        expect(system.isQuorum(new Set())).toBe(false);
      }),
      RUNS,
    );
  });
});

describe("ByzantineHonestIntersection", () => {
  it("two Byzantine quorums share at least f+1 voters, and the system stays live with f voters down", () => {
    fc.assert(
      fc.property(votersArb(7), fc.nat(3), (voters, fRaw) => {
        const f = fRaw % (Math.floor((voters.length - 1) / 3) + 1);
        const system = byzantine(voters, { f });
        expect(bruteMinIntersection(system)).toBeGreaterThanOrEqual(f + 1);
        expect(bruteCrashTolerance(system)).toBeGreaterThanOrEqual(f);
        expect(honestIntersection(system, f)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("constructors reject exactly the systems whose quorums could fail to intersect", () => {
  it("threshold(n, k) is accepted iff two k-subsets always meet", () => {
    fc.assert(
      fc.property(votersArb(), fc.integer({ min: 1, max: 6 }), (voters, k) => {
        fc.pre(k <= voters.length);
        const intersects = bruteMinIntersection(naiveCount(voters, k)) >= 1;
        if (intersects) expect(threshold(voters, k).quorumSize).toBe(k);
        else expect(() => threshold(voters, k)).toThrow(expect.objectContaining({ reason: "no-intersection" }));
      }),
      RUNS,
    );
  });

  it("weighted(w, t) is accepted iff 2t > total, and every accepted one intersects (non-intersecting ones are refused)", () => {
    fc.assert(
      fc.property(votersArb(), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }), fc.integer({ min: 1, max: 24 }), (voters, w, t) => {
        const total = voters.reduce((sum, _, i) => sum + w[i]!, 0);
        fc.pre(t <= total);
        const weightOf = (id: string) => w[voters.indexOf(id)]!;
        const naive = { ...naiveCount(voters, 0), isQuorum: (s: ReadonlySet<string>) => voters.filter((id) => s.has(id)).reduce((x, id) => x + weightOf(id), 0) >= t };
        const pairs = voters.map((id) => [id, weightOf(id)] as const);
        // Gifford's condition 2t > total is sufficient, and the constructor applies it: a system that
        // intersects only because of how the weights happen to fall (a dictator) is refused too.
        if (2 * t > total) {
          expect(weighted(pairs, { threshold: t }).threshold).toBe(t);
          expect(bruteMinIntersection(naive)).toBeGreaterThanOrEqual(1);
        } else {
          expect(() => weighted(pairs, { threshold: t })).toThrow(expect.objectContaining({ reason: "no-intersection" }));
        }
      }),
      RUNS,
    );
  });

  it("flexible(q1, q2) is accepted iff every q1-set meets every q2-set", () => {
    fc.assert(
      fc.property(votersArb(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), (voters, q1, q2) => {
        fc.pre(q1 <= voters.length && q2 <= voters.length);
        const crosses = bruteMinIntersection(naiveCount(voters, q1), naiveCount(voters, q2)) >= 1;
        if (crosses) expect(flexible(voters, { phase1Size: q1, phase2Size: q2 }).phase2.quorumSize).toBe(q2);
        else expect(() => flexible(voters, { phase1Size: q1, phase2Size: q2 })).toThrow(expect.objectContaining({ reason: "no-intersection" }));
      }),
      RUNS,
    );
  });

  it("byzantine(n, f) is accepted iff its quorums share f+1 voters and survive f faults", () => {
    fc.assert(
      fc.property(votersArb(7), fc.integer({ min: 0, max: 3 }), (voters, f) => {
        const q = Math.ceil((voters.length + f + 1) / 2);
        const naive = naiveCount(voters, q);
        const safe = q <= voters.length && bruteMinIntersection(naive) >= f + 1 && bruteCrashTolerance(naive) >= f;
        if (safe) expect(byzantine(voters, { f }).f).toBe(f);
        else expect(() => byzantine(voters, { f })).toThrow(QuorumConfigError);
      }),
      RUNS,
    );
  });
});

describe("CommittedIndexSafety and CommittedIndexMaximal", () => {
  it("committedIndex is acknowledged by a quorum and is the largest such index", () => {
    fc.assert(
      fc.property(
        systemArb.chain((c) => fc.tuple(fc.constant(c), ackedArb(c.system.voters))),
        ([{ system }, acked]) => {
          const committed = system.committedIndex((id) => acked.get(id));
          const ackers = new Set(system.voters.filter((id) => (acked.get(id) ?? 0) >= committed));
          expect(system.isQuorum(ackers)).toBe(true);
          expect(committed).toBe(bruteCommittedIndex(system, acked));
        },
      ),
      RUNS,
    );
  });
});

describe("VoteResultByDefinition", () => {
  it("won iff the granted voters form a (phase-1) quorum; lost iff the non-rejecting ones cannot", () => {
    fc.assert(
      fc.property(
        systemArb.chain((c) => fc.tuple(fc.constant(c), votesArb(c.system.voters))),
        ([{ system }, votes]) => {
          expect(system.voteResult((id) => votes.get(id))).toBe(bruteVoteResult(system, votes));
        },
      ),
      RUNS,
    );
  });
});

describe("JointRequiresBoth", () => {
  it("a joint quorum is exactly a quorum of both halves, and commits the smaller of the two indexes", () => {
    fc.assert(
      fc.property(
        systemArb,
        systemArb,
        fc.subarray([...POOL]),
        (a, b, members) => {
          const both = joint(a.system, b.system);
          const set = new Set(members);
          expect(both.isQuorum(set)).toBe(a.system.isQuorum(set) && b.system.isQuorum(set));
          const acked = new Map(POOL.map((id, i) => [id, (i * 7 + members.length) % 11]));
          expect(both.committedIndex((id) => acked.get(id))).toBe(
            Math.min(a.system.committedIndex((id) => acked.get(id)), b.system.committedIndex((id) => acked.get(id))),
          );
        },
      ),
      RUNS,
    );
  });
});

describe("analysis agrees with brute force", () => {
  it("crash and Byzantine tolerance, intersection, quorum counts and minimal quorums", () => {
    fc.assert(
      fc.property(systemArb, ({ system }) => {
        const analysis = analyzeQuorumSystem(system);
        const [phase1, phase2] = phaseSystems(system);
        const crash = bruteCrashTolerance(system);
        const least = bruteMinIntersection(phase1, phase2);
        expect(analysis.crashFaultTolerance).toBe(crash);
        expect(analysis.minIntersectionSize).toBe(least);
        expect(analysis.intersecting).toBe(least >= 1);
        expect(analysis.byzantineFaultTolerance).toBe(least >= 1 ? Math.min(crash, least - 1) : -1);
        const quorums = quorumsOf(phase2);
        expect(analysis.quorumCount).toBe(quorums.length);
        expect(analysis.smallestQuorumSize).toBe(Math.min(...quorums.map((q) => q.length)));
        const minimal = quorums.filter((q) => !quorums.some((other) => other.length < q.length && other.every((id) => q.includes(id))));
        expect(analysis.minimalQuorumCount).toBe(minimal.length);
        if (phase2 === system) {
          const listed = minimalQuorums(system).map((q) => [...q].sort().join(","));
          expect(listed.sort()).toEqual(minimal.map((q) => [...q].sort().join(",")).sort());
        }
      }),
      RUNS,
    );
  });

  it("finds disjoint quorums in hand-made systems the constructors would refuse", () => {
    fc.assert(
      fc.property(votersArb(), fc.integer({ min: 1, max: 6 }), (voters, k) => {
        fc.pre(k <= voters.length);
        const naive = naiveCount(voters, k);
        expect(analyzeQuorumSystem(naive).intersecting).toBe(bruteMinIntersection(naive) >= 1);
        expect(subsetsOf(voters).length).toBe(2 ** voters.length);
      }),
      RUNS,
    );
  });
});

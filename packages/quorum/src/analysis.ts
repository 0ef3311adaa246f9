import { SynodError, type NodeId } from "@synod/core";
import { AnalysisLimitError } from "./errors.js";
import { checkObject, checkSystem, shown } from "./members.js";
import { phaseSystems } from "./phases.js";
import type { QuorumSystem } from "./quorum-system.js";

import { MAX_ANALYSIS_MEMBERS, MAX_ANALYSIS_MEMBERS_CEILING } from "./limits.js";

export { MAX_ANALYSIS_MEMBERS, MAX_ANALYSIS_MEMBERS_CEILING };

/** Options of the exhaustive analysis functions. */
export interface AnalysisOptions {
  /** Largest member count to enumerate; default {@link MAX_ANALYSIS_MEMBERS}, at most {@link MAX_ANALYSIS_MEMBERS_CEILING}. */
  readonly maxMembers?: number;
}

/** What {@link analyzeQuorumSystem} finds by enumerating every subset of the voters. */
export interface QuorumAnalysis {
  readonly kind: string;
  readonly voterCount: number;
  /** Number of voter subsets that are (phase-2) quorums. */
  readonly quorumCount: number;
  /** Number of (phase-2) quorums none of whose proper subsets is a quorum. */
  readonly minimalQuorumCount: number;
  /** Size of the smallest (phase-2) quorum. */
  readonly smallestQuorumSize: number;
  /** Largest f such that any f crashed voters leave both a phase-1 and a phase-2 quorum alive. */
  readonly crashFaultTolerance: number;
  /**
   * Largest f such that any f crashed voters leave quorums alive and every (phase-1, phase-2) pair of
   * quorums shares at least f+1 voters (so at least one honest one when at most f are Byzantine);
   * -1 when two quorums can be disjoint.
   */
  readonly byzantineFaultTolerance: number;
  /** Whether every phase-1 quorum meets every phase-2 quorum (every two quorums, for single-phase systems). */
  readonly intersecting: boolean;
  /** Fewest voters any phase-1 quorum and phase-2 quorum share (0 when some pair is disjoint). */
  readonly minIntersectionSize: number;
}

function limitOf(options: AnalysisOptions): number {
  const max = checkObject("options", options).maxMembers ?? MAX_ANALYSIS_MEMBERS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_ANALYSIS_MEMBERS_CEILING) {
    throw new SynodError("usage", `maxMembers must be an integer in [1, ${MAX_ANALYSIS_MEMBERS_CEILING}], got ${shown(max)}`);
  }
  return max;
}

function universeOf(systems: readonly QuorumSystem[], options: AnalysisOptions): readonly NodeId[] {
  systems.forEach((system, i) => checkSystem(`system ${i + 1}`, system));
  const universe = [...new Set(systems.flatMap((system) => system.voters))];
  const max = limitOf(options);
  if (universe.length > max) throw new AnalysisLimitError(universe.length, max);
  return universe;
}

/**
 * table[mask] = 1 when the members of `universe` selected by `mask` form a quorum. Visits the masks in
 * Gray-code order so that one reusable set changes by a single member between calls.
 */
function quorumTable(system: QuorumSystem, universe: readonly NodeId[]): Uint8Array {
  const size = 1 << universe.length;
  const table = new Uint8Array(size);
  const members = new Set<NodeId>();
  table[0] = system.isQuorum(members) ? 1 : 0;
  let previous = 0;
  for (let i = 1; i < size; i++) {
    const gray = i ^ (i >>> 1);
    const bit = 31 - Math.clz32(gray ^ previous);
    const id = universe[bit]!;
    if (gray & (1 << bit)) members.add(id);
    else members.delete(id);
    table[gray] = system.isQuorum(members) ? 1 : 0;
    previous = gray;
  }
  return table;
}

function popcount(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Sentinel for "no quorum reachable" in the distance table. */
const UNREACHABLE = 255;

/**
 * distance[mask] = fewest members to add to `mask` to make it a quorum (UNREACHABLE if none).
 * Dynamic programming from the full set downwards: n·2^n steps.
 */
function distanceToQuorum(table: Uint8Array, memberCount: number): Uint8Array {
  const size = table.length;
  const distance = new Uint8Array(size);
  for (let mask = size - 1; mask >= 0; mask--) {
    if (table[mask] === 1) continue; // distance 0
    let best = UNREACHABLE;
    for (let bit = 0; bit < memberCount; bit++) {
      const flag = 1 << bit;
      if ((mask & flag) === 0) {
        const next = distance[mask | flag]!;
        if (next < best) best = next;
      }
    }
    distance[mask] = best === UNREACHABLE ? UNREACHABLE : best + 1;
  }
  return distance;
}

/** Fewest members a quorum of `a` and a quorum of `b` share, over a common universe; 0 if disjoint ones exist. */
function minIntersectionOf(tableA: Uint8Array, tableB: Uint8Array, memberCount: number): number {
  const full = tableA.length - 1;
  const distanceB = distanceToQuorum(tableB, memberCount);
  let least = UNREACHABLE;
  for (let mask = 0; mask <= full; mask++) {
    // The cheapest b-quorum relative to a-quorum `mask` adds members of `mask` to its complement.
    if (tableA[mask] === 1) least = Math.min(least, distanceB[full & ~mask]!);
  }
  return least;
}

/** Largest f such that removing any f members still leaves a quorum: n − (largest non-quorum) − 1. */
function toleranceOf(table: Uint8Array, memberCount: number): number {
  let largestNonQuorum = -1;
  for (let mask = 0; mask < table.length; mask++) {
    if (table[mask] === 0) largestNonQuorum = Math.max(largestNonQuorum, popcount(mask));
  }
  return largestNonQuorum < 0 ? memberCount : memberCount - largestNonQuorum - 1;
}

/**
 * Largest number of crashed voters after which the system still has a live phase-1 and phase-2
 * quorum, by enumeration. -1 when even all voters together are not a quorum.
 * @param system - any monotone quorum system
 * @param options - the enumeration limit
 * @returns f
 * @throws {AnalysisLimitError} above the member limit (before doing any work)
 */
export function crashFaultTolerance(system: QuorumSystem, options: AnalysisOptions = {}): number {
  return analyzeQuorumSystem(system, options).crashFaultTolerance;
}

/**
 * Largest number of Byzantine voters the system tolerates (see {@link QuorumAnalysis.byzantineFaultTolerance}).
 * @returns f, or -1 when two quorums can be disjoint
 * @throws {AnalysisLimitError} above the member limit
 */
export function byzantineFaultTolerance(system: QuorumSystem, options: AnalysisOptions = {}): number {
  return analyzeQuorumSystem(system, options).byzantineFaultTolerance;
}

/**
 * Fewest voters shared by a quorum of `a` and a quorum of `b`, by enumeration over their union.
 * @param a - first system (for a flexible system pass `system.phase1`)
 * @param b - second system, default `a`
 * @returns the minimum intersection size, 0 when some pair is disjoint
 * @throws {AnalysisLimitError} when the union of voters exceeds the limit
 */
export function minIntersectionSize(a: QuorumSystem, b: QuorumSystem = a, options: AnalysisOptions = {}): number {
  const universe = universeOf([a, b], options);
  const tableA = quorumTable(a, universe);
  const tableB = b === a ? tableA : quorumTable(b, universe);
  return minIntersectionOf(tableA, tableB, universe.length);
}

/**
 * Whether every quorum of `a` shares a voter with every quorum of `b`. With `b` omitted: whether
 * every two quorums of `a` intersect. Use it for (phase-1, phase-2) pairs and for consecutive
 * configurations of a reconfiguration.
 * @throws {AnalysisLimitError} when the union of voters exceeds the limit
 * @example quorumsIntersect(f.phase1, f.phase2) // Flexible Paxos safety
 */
export function quorumsIntersect(a: QuorumSystem, b: QuorumSystem = a, options: AnalysisOptions = {}): boolean {
  return minIntersectionSize(a, b, options) >= 1;
}

/**
 * Byzantine intersection: every two quorums of `system` (every phase-1/phase-2 pair, for flexible
 * systems) share at least f+1 voters, so at least one honest voter when at most f are Byzantine.
 * @param f - Byzantine voters assumed, >= 0
 * @throws {AnalysisLimitError} above the member limit
 */
export function honestIntersection(system: QuorumSystem, f: number, options: AnalysisOptions = {}): boolean {
  if (!Number.isInteger(f) || f < 0) throw new SynodError("usage", `f must be a non-negative integer, got ${shown(f)}`);
  const [phase1, phase2] = phaseSystems(system);
  return minIntersectionSize(phase1, phase2, options) >= f + 1;
}

/**
 * Every figure of {@link QuorumAnalysis}, from one enumeration per phase.
 * @param system - any monotone quorum system with at most `maxMembers` voters
 * @returns the analysis
 * @throws {AnalysisLimitError} above the member limit (checked first: never hangs)
 * @example analyzeQuorumSystem(majority(nodeIds(5))).crashFaultTolerance // 2
 */
export function analyzeQuorumSystem(system: QuorumSystem, options: AnalysisOptions = {}): QuorumAnalysis {
  const [phase1, phase2] = phaseSystems(system);
  const universe = universeOf([system, phase1, phase2], options);
  const n = universe.length;
  const table2 = quorumTable(phase2, universe);
  const table1 = phase1 === phase2 ? table2 : quorumTable(phase1, universe);
  let quorumCount = 0;
  let minimalQuorumCount = 0;
  let smallestQuorumSize = Infinity;
  for (let mask = 0; mask < table2.length; mask++) {
    if (table2[mask] !== 1) continue;
    quorumCount++;
    smallestQuorumSize = Math.min(smallestQuorumSize, popcount(mask));
    let minimal = true;
    for (let bit = 0; bit < n && minimal; bit++) {
      if (mask & (1 << bit) && table2[mask & ~(1 << bit)] === 1) minimal = false;
    }
    if (minimal) minimalQuorumCount++;
  }
  const crash = Math.min(toleranceOf(table1, n), toleranceOf(table2, n));
  const minIntersection = minIntersectionOf(table1, table2, n);
  const byzantine = minIntersection === 0 ? -1 : Math.min(crash, minIntersection - 1);
  return {
    kind: system.kind,
    voterCount: n,
    quorumCount,
    minimalQuorumCount,
    smallestQuorumSize: quorumCount === 0 ? 0 : smallestQuorumSize,
    crashFaultTolerance: crash,
    byzantineFaultTolerance: byzantine,
    intersecting: minIntersection >= 1,
    minIntersectionSize: minIntersection === UNREACHABLE ? 0 : minIntersection,
  };
}

/** Options of {@link minimalQuorums}. */
export interface MinimalQuorumsOptions extends AnalysisOptions {
  /** Most quorums to return; more is a `limit` error (default 10,000). */
  readonly maxResults?: number;
}

/**
 * The minimal quorums (no proper subset is a quorum), each in voter order, smallest first.
 * @param system - any monotone quorum system
 * @returns the minimal quorums
 * @throws {AnalysisLimitError} above the member limit; {@link SynodError} `limit` when there are more than `maxResults`
 * @example minimalQuorums(majority(["a", "b", "c"])) // [["a","b"], ["a","c"], ["b","c"]]
 */
export function minimalQuorums(system: QuorumSystem, options: MinimalQuorumsOptions = {}): NodeId[][] {
  const maxResults = checkObject("options", options).maxResults ?? 10_000;
  const universe = universeOf([system], options);
  const table = quorumTable(system, universe);
  const found: number[] = [];
  for (let mask = 0; mask < table.length; mask++) {
    if (table[mask] !== 1) continue;
    let minimal = true;
    for (let bit = 0; bit < universe.length && minimal; bit++) {
      if (mask & (1 << bit) && table[mask & ~(1 << bit)] === 1) minimal = false;
    }
    if (!minimal) continue;
    if (found.length >= maxResults) {
      throw new SynodError("limit", `more than ${maxResults} minimal quorums; raise maxResults or use analyzeQuorumSystem for counts`);
    }
    found.push(mask);
  }
  found.sort((x, y) => popcount(x) - popcount(y) || x - y);
  return found.map((mask) => universe.filter((_, bit) => (mask & (1 << bit)) !== 0));
}

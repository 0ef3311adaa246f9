import fc from "fast-check";
import { FAULT_KINDS, type FaultKind } from "../faults/fault-kinds.js";
import { ADVERSARY_NAMES, type FaultEvent, type FaultSchedule, type PartitionShape } from "../faults/schedule.js";

/** What {@link faultScheduleArbitrary} may generate. */
export interface ScheduleArbitraryOptions {
  /** Cluster size (node positions are drawn in [0, nodes)). */
  readonly nodes: number;
  /** Faults start before this virtual time (the run's `healAtMs`). */
  readonly healAtMs: number;
  /** Fault kinds to draw from (default: all but `byzantine`). */
  readonly kinds?: readonly FaultKind[];
  /** Most fault episodes in one schedule (default 8). */
  readonly maxEvents?: number;
}

const SHAPES: readonly PartitionShape[] = ["split", "one-way", "isolate", "bridge"];

/** The two halves of a `leader-stall` (the swarm pairs them at one start): the leader's links slowed, its clock slowed. */
function leaderStallChoices(atMs: fc.Arbitrary<number>, durMs: fc.Arbitrary<number>): fc.Arbitrary<FaultEvent>[] {
  const leader = { atMs, durMs, node: fc.constant(0), aim: fc.constant("leader" as const) };
  return [
    fc.record({ kind: fc.constant("slow" as const), ...leader, extraMs: fc.integer({ min: 0, max: 3000 }) }),
    fc.record({ kind: fc.constant("skew" as const), ...leader, rate: fc.integer({ min: 80, max: 100 }).map((x) => x / 100) }),
  ];
}

/**
 * The halves of a `leader-island` besides its slowed clock (a leader-stall choice): the leader's
 * sends cut (one way, or both ways), and what it receives late (inbound only); none when not `on`.
 */
function leaderIslandChoices(atMs: fc.Arbitrary<number>, durMs: fc.Arbitrary<number>, on: boolean): fc.Arbitrary<FaultEvent>[] {
  if (!on) return [];
  const leader = { atMs, durMs, aim: fc.constant("leader" as const) };
  const shape = fc.constantFrom("one-way" as const, "isolate" as const);
  const extraMs = fc.integer({ min: 20, max: 1000 });
  return [
    fc.record({ kind: fc.constant("partition" as const), ...leader, shape, group: fc.constant([0]), bridge: fc.constant(0) }),
    fc.record({ kind: fc.constant("slow" as const), ...leader, node: fc.constant(0), extraMs, inbound: fc.constant(true as const) }),
  ];
}

/** A `buggify` episode: the target's crash points in a random mask, firing with up to 20 % probability (`drop-sends` points up to 90 %). */
function buggifyChoice(atMs: fc.Arbitrary<number>, durMs: fc.Arbitrary<number>, rate: (max: number) => fc.Arbitrary<number>): fc.Arbitrary<FaultEvent> {
  return fc.record({
    kind: fc.constant("buggify" as const),
    atMs,
    durMs,
    probability: rate(0.2),
    pointMask: fc.integer({ min: 0, max: (1 << 30) - 1 }),
    downMs: fc.integer({ min: 0, max: 300 }),
    dropProbability: rate(0.9),
  });
}

/**
 * A fast-check arbitrary for explicit fault schedules. Every element is a self-contained episode
 * (it heals itself), so shrinking — dropping episodes, moving them to time 0, shortening them,
 * lowering rates — always gives a valid schedule, and a failing run shrinks to the few faults
 * that matter.
 * @param options - cluster size, healing time, allowed kinds, size limit
 * @returns an arbitrary of {@link FaultSchedule}
 * @example
 * fc.assert(fc.property(faultScheduleArbitrary({ nodes: 3, healAtMs: 2000 }), (schedule) =>
 *   runWithSchedule(target, { seed: 1, nodes: 3, durationMs: 3000, schedule }).violations.length === 0));
 */
export function faultScheduleArbitrary(options: ScheduleArbitraryOptions): fc.Arbitrary<FaultSchedule> {
  const kinds = new Set<FaultKind>(options.kinds ?? FAULT_KINDS.filter((k) => k !== "byzantine"));
  const node = fc.integer({ min: 0, max: Math.max(0, options.nodes - 1) });
  const atMs = fc.integer({ min: 0, max: Math.max(0, options.healAtMs - 1) });
  const durMs = fc.integer({ min: 0, max: Math.max(1, options.healAtMs) });
  const rate = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: 1000 }).map((x) => (x * max) / 1000);
  const choices: fc.Arbitrary<FaultEvent>[] = [];
  const on = (k: FaultKind): boolean => kinds.has(k);
  if (on("loss") || on("duplicate") || on("reorder") || on("delay")) {
    choices.push(
      fc.record({
        kind: fc.constant("network" as const),
        atMs,
        durMs,
        loss: on("loss") ? rate(0.5) : fc.constant(0),
        duplicate: on("duplicate") ? rate(0.5) : fc.constant(0),
        reorder: on("reorder") ? rate(0.5) : fc.constant(0),
        spike: on("delay") ? rate(0.3) : fc.constant(0),
        spikeMs: fc.integer({ min: 0, max: 500 }),
      }),
    );
  }
  if (on("partition")) {
    choices.push(
      fc.record({
        kind: fc.constant("partition" as const),
        atMs,
        durMs,
        shape: fc.constantFrom(...SHAPES),
        group: fc.uniqueArray(node, { minLength: 1, maxLength: options.nodes }),
        bridge: node,
      }),
    );
  }
  if (on("crash") || on("torn") || on("corrupt")) {
    choices.push(
      fc.record({
        kind: fc.constant("crash" as const),
        atMs,
        node,
        downMs: fc.integer({ min: 0, max: 1500 }),
        mode: fc.constantFrom("clean" as const, "after-persist" as const, "before-sync" as const),
        torn: on("torn") ? fc.boolean() : fc.constant(false),
        corrupt: on("corrupt") ? fc.boolean() : fc.constant(false),
      }),
    );
  }
  if (on("leader-crash")) {
    choices.push(
      fc.record({
        kind: fc.constant("crash" as const),
        atMs,
        node: fc.constant(0), // the placeholder `aim` overrides
        downMs: fc.integer({ min: 0, max: 1000 }),
        mode: fc.constantFrom("clean" as const, "after-persist" as const, "before-sync" as const),
        torn: fc.constant(false),
        corrupt: fc.constant(false),
        aim: fc.constant("leader" as const),
      }),
    );
  }
  if (on("pause")) choices.push(fc.record({ kind: fc.constant("pause" as const), atMs, durMs, node }));
  if (on("slow")) choices.push(fc.record({ kind: fc.constant("slow" as const), atMs, durMs, node, extraMs: fc.integer({ min: 0, max: 300 }) }));
  if (on("skew")) choices.push(fc.record({ kind: fc.constant("skew" as const), atMs, durMs, node, rate: fc.integer({ min: 50, max: 200 }).map((x) => x / 100) }));
  if (on("leader-stall") || on("leader-island")) choices.push(...leaderStallChoices(atMs, durMs), ...leaderIslandChoices(atMs, durMs, on("leader-island")));
  if (on("buggify")) choices.push(buggifyChoice(atMs, durMs, rate));
  if (on("byzantine")) choices.push(fc.record({ kind: fc.constant("byzantine" as const), atMs, durMs, node, strategy: fc.constantFrom(...ADVERSARY_NAMES) }));
  if (choices.length === 0) return fc.constant([]);
  return fc.array(fc.oneof(...choices), { maxLength: options.maxEvents ?? 8 });
}

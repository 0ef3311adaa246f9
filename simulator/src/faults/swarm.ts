import type { Rng } from "@synod/core";
import { MAX_EPISODES_PER_KIND } from "../engine/limits.js";
import { FAULT_KINDS, type FaultKind, type FaultSelection } from "./fault-kinds.js";
import { ADVERSARY_NAMES, type CrashMode, type FaultEvent, type PartitionShape } from "./schedule.js";

/** What swarm generation decided for one seed. */
export interface SwarmPlan {
  /** The faults switched on for this seed. */
  readonly enabled: readonly FaultKind[];
  /** The rates drawn (probabilities, mean gaps in ms), for reports. */
  readonly rates: Readonly<Record<string, number>>;
  /** The timed fault episodes, sorted by start time. */
  readonly schedule: readonly FaultEvent[];
}

const SHAPES: readonly PartitionShape[] = ["split", "one-way", "isolate", "bridge"];

function between(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.float();
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Episode start times: gaps drawn uniformly in [0.5, 1.5] × meanGapMs, until `untilMs`. */
function episodeStarts(rng: Rng, meanGapMs: number, untilMs: number): number[] {
  const starts: number[] = [];
  let t = between(rng, 0.2, 1) * meanGapMs;
  while (t < untilMs && starts.length < MAX_EPISODES_PER_KIND) {
    starts.push(Math.floor(t));
    t += between(rng, 0.5, 1.5) * meanGapMs;
  }
  return starts;
}

/**
 * Crashes of whichever node leads when each episode starts, with short downtimes: leaders fail
 * mid-replication, come back with entries of an old term, and the next leaders must not commit or
 * overwrite what they should not (the Raft paper's Figure 8 needs two such crashes in a row).
 */
function planLeaderCrashes(rng: Rng, healAtMs: number, rates: Record<string, number>, schedule: FaultEvent[]): void {
  const gap = Math.floor(between(rng, 300, 2500));
  rates.leaderCrashGapMs = gap;
  const modes: CrashMode[] = ["clean", "after-persist", "before-sync"];
  for (const atMs of episodeStarts(rng, gap, healAtMs)) {
    const downMs = Math.floor(between(rng, 0, 1000));
    schedule.push({ kind: "crash", atMs, node: 0, downMs, mode: rng.pick(modes), torn: false, corrupt: false, aim: "leader" });
  }
}

/**
 * Stalls of whichever node leads when each episode starts: a gray failure — everything it sends or
 * receives takes 50 ms–3 s longer (log-uniform), often past an election timeout and past a client's
 * patience — while its clock runs slow (rate
 * 0.8–1; below 8/9 beyond the drift the default lease margin covers, 2 of 10 ticks: the LeaderLease
 * check counts those leases apart instead of judging them). The followers elect a new leader that
 * serves writes while the old one still believes it leads and answers the clients that reach it:
 * stale leaders coexist with new ones, and only what the protocol does before answering a read
 * (confirm a quorum, or a lease counted from the right moment) keeps reads linearizable.
 */
function planLeaderStalls(rng: Rng, healAtMs: number, rates: Record<string, number>, schedule: FaultEvent[]): void {
  const gap = Math.floor(between(rng, 1000, 4000));
  rates.leaderStallGapMs = gap;
  for (const atMs of episodeStarts(rng, gap, healAtMs)) {
    const extraMs = Math.floor(10 ** between(rng, Math.log10(50), Math.log10(3000)));
    const durMs = extraMs + Math.floor(between(rng, 200, 2000));
    schedule.push({ kind: "slow", atMs, durMs, node: 0, extraMs, aim: "leader" });
    schedule.push({ kind: "skew", atMs, durMs, node: 0, rate: round3(between(rng, 0.8, 1)), aim: "leader" });
  }
}

/**
 * Islands around whichever node leads: first what the leader receives from its peers grows late, up
 * to 20 ms–1 s (log-uniform; growing at half a ms per ms, so its CheckQuorum keeps hearing them,
 * late, and they hear it on time and keep it as leader), then, once answers that late are on their
 * way, what it
 * sends is lost (a one-way partition out of it), for 100 ms–2 s (log-uniform), its clock at 0.8–1 ×
 * nominal (below 8/9 beyond the drift the default lease margin covers: LeaderLease counts those leases apart). Clients still reach it: their requests
 * do not cross the simulated network. The peers stop hearing it and elect a new leader that commits
 * writes, while the old one hears of that only late and meanwhile answers the clients that ask it:
 * a read it serves then is stale unless its lease ended before the peers could vote (counted from
 * when its last acknowledged heartbeat was sent, shortened by the margin) — the bug windows of
 * leader leases. Each half aims at whoever leads when it starts.
 */
function planLeaderIslands(rng: Rng, healAtMs: number, rates: Record<string, number>, schedule: FaultEvent[]): void {
  const gap = Math.floor(between(rng, 400, 2000));
  rates.leaderIslandGapMs = gap;
  for (const atMs of episodeStarts(rng, gap, healAtMs)) {
    const lateMs = Math.floor(10 ** between(rng, Math.log10(20), 3));
    // The delay grows at INBOUND_RAMP (½) ms per ms: full after 2 × lateMs, answers that late in flight after 3 ×.
    const cutAtMs = atMs + 3 * lateMs + Math.floor(between(rng, 0, 20));
    const durMs = Math.floor(10 ** between(rng, 2, Math.log10(2000)));
    if (cutAtMs >= healAtMs) break;
    schedule.push({ kind: "slow", atMs, durMs: cutAtMs - atMs + durMs, node: 0, extraMs: lateMs, aim: "leader", inbound: true });
    schedule.push({ kind: "partition", atMs: cutAtMs, durMs, shape: "one-way", group: [0], bridge: 0, aim: "leader" });
    schedule.push({ kind: "skew", atMs: cutAtMs, durMs, node: 0, rate: round3(between(rng, 0.8, 1)), aim: "leader" });
  }
}

/**
 * Buggify: one episode for the whole faulty period crashing nodes at the target's crash points — a
 * per-seed probability (log-uniform, 0.3 %–20 % of the steps that pass an enabled point), a random
 * half of the points enabled, and quick restarts (0–300 ms down), so that the crashed node comes
 * back while what its last step started is still in flight. The target's `drop-sends` points (no
 * crash: the step's messages lost) fire with their own probability, 10–90 %.
 */
function planBuggify(rng: Rng, healAtMs: number, rates: Record<string, number>, schedule: FaultEvent[]): void {
  const probability = round3(10 ** between(rng, -2.5, -0.7));
  const pointMask = rng.int(1, 1 << 30);
  const downMs = Math.floor(between(rng, 0, 300));
  const dropProbability = round3(between(rng, 0.5, 0.99)); // drawn last: the draws above keep their values
  Object.assign(rates, { buggifyProbability: probability, buggifyDownMs: downMs, buggifyDropProbability: dropProbability });
  schedule.push({ kind: "buggify", atMs: 0, durMs: healAtMs, probability, pointMask, downMs, dropProbability });
}

/**
 * The faults added after the first ones draw from their own forks of the seed, so that every other
 * draw of a seed is what it was before they existed: old seeds keep their schedules, plus these
 * when drawn. In this order (each one's on/off draw is the first draw of its fork).
 */
function ownForks(rng: Rng): { readonly "leader-crash": Rng; readonly "leader-stall": Rng; readonly buggify: Rng; readonly "leader-island": Rng } {
  return {
    "leader-crash": rng.fork("leader-crash"),
    "leader-stall": rng.fork("leader-stall"),
    buggify: rng.fork("buggify"),
    "leader-island": rng.fork("leader-island"),
  };
}

/**
 * Swarm testing: choose which faults are on for this seed and their rates, then lay out a schedule
 * of fault episodes before `healAtMs`. With `"all"` each fault (except Byzantine) is on with
 * probability 1/2; with a list, exactly the listed ones are on.
 * @param rng - a generator forked from the run's root (so the plan is a function of the seed)
 * @param selection - which faults may be on
 * @param nodeCount - cluster size
 * @param healAtMs - faults stop here
 * @returns the plan
 */
export function planSwarm(rng: Rng, selection: FaultSelection, nodeCount: number, healAtMs: number): SwarmPlan {
  const candidates: readonly FaultKind[] = selection === "none" ? [] : selection === "all" ? FAULT_KINDS.filter((k) => k !== "byzantine") : selection;
  const forks = ownForks(rng);
  const enabled = selection === "all" ? candidates.filter((k) => !(k in forks)).filter(() => rng.bool(0.5)) : [...candidates];
  if (selection === "all") for (const [kind, fork] of Object.entries(forks)) if (fork.bool(0.5)) enabled.push(kind as FaultKind);
  const on = (kind: FaultKind): boolean => enabled.includes(kind);
  const rates: Record<string, number> = {};
  const schedule: FaultEvent[] = [];
  const pickNode = (): number => rng.int(0, nodeCount);

  if (on("loss") || on("duplicate") || on("reorder") || on("delay")) {
    const loss = on("loss") ? round3(between(rng, 0.01, 0.3)) : 0;
    const duplicate = on("duplicate") ? round3(between(rng, 0.01, 0.2)) : 0;
    const reorder = on("reorder") ? round3(between(rng, 0.05, 0.5)) : 0;
    const spike = on("delay") ? round3(between(rng, 0.01, 0.1)) : 0;
    const spikeMs = Math.floor(between(rng, 50, 500));
    Object.assign(rates, { loss, duplicate, reorder, delaySpike: spike });
    schedule.push({ kind: "network", atMs: 0, durMs: healAtMs, loss, duplicate, reorder, spike, spikeMs });
  }
  if (on("partition") && nodeCount > 1) {
    const gap = Math.floor(between(rng, 300, 3000));
    rates.partitionGapMs = gap;
    for (const atMs of episodeStarts(rng, gap, healAtMs)) {
      const shape = rng.pick(SHAPES);
      const group = Array.from({ length: nodeCount }, (_, i) => i).filter(() => rng.bool(0.5));
      if (group.length === 0) group.push(pickNode());
      schedule.push({ kind: "partition", atMs, durMs: Math.floor(between(rng, 100, 2000)), shape, group, bridge: pickNode() });
    }
  }
  if (on("crash") || on("torn") || on("corrupt")) {
    const gap = Math.floor(between(rng, 500, 4000));
    rates.crashGapMs = gap;
    const modes: CrashMode[] = on("torn") ? ["clean", "after-persist", "before-sync", "before-sync"] : ["clean", "after-persist", "before-sync"];
    for (const atMs of episodeStarts(rng, gap, healAtMs)) {
      const mode = rng.pick(modes);
      const torn = on("torn") && mode === "before-sync" && rng.bool(0.7);
      const corrupt = on("corrupt") && rng.bool(0.3);
      schedule.push({ kind: "crash", atMs, node: pickNode(), downMs: Math.floor(between(rng, 0, 1500)), mode, torn, corrupt });
    }
  }
  if (on("leader-crash")) planLeaderCrashes(forks["leader-crash"], healAtMs, rates, schedule);
  if (on("leader-stall")) planLeaderStalls(forks["leader-stall"], healAtMs, rates, schedule);
  if (on("buggify")) planBuggify(forks.buggify, healAtMs, rates, schedule);
  if (on("leader-island")) planLeaderIslands(forks["leader-island"], healAtMs, rates, schedule);
  if (on("pause")) {
    const gap = Math.floor(between(rng, 500, 4000));
    rates.pauseGapMs = gap;
    for (const atMs of episodeStarts(rng, gap, healAtMs)) schedule.push({ kind: "pause", atMs, durMs: Math.floor(between(rng, 50, 1000)), node: pickNode() });
  }
  if (on("slow")) {
    const gap = Math.floor(between(rng, 500, 4000));
    rates.slowGapMs = gap;
    for (const atMs of episodeStarts(rng, gap, healAtMs)) {
      schedule.push({ kind: "slow", atMs, durMs: Math.floor(between(rng, 200, 3000)), node: pickNode(), extraMs: Math.floor(between(rng, 20, 300)) });
    }
  }
  if (on("skew")) {
    for (let node = 0; node < nodeCount; node++) {
      if (rng.bool(0.5)) schedule.push({ kind: "skew", atMs: 0, durMs: healAtMs, node, rate: round3(between(rng, 0.5, 2)) });
    }
  }
  if (on("byzantine")) {
    schedule.push({ kind: "byzantine", atMs: 0, durMs: healAtMs, node: pickNode(), strategy: rng.pick(ADVERSARY_NAMES) });
  }
  schedule.sort((x, y) => x.atMs - y.atMs);
  return { enabled, rates, schedule };
}

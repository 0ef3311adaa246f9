import type { GossipTarget } from "@synod/gossip";
import { runSimulation, type FaultEvent, type NetworkOptions } from "@synod/simulator";
import { protocol as gossipConvergence } from "../scenarios/convergence/gossip.js";
import type { ConvergenceTarget } from "../scenarios/convergence-protocol.js";
import { runConvergence } from "../scenarios/convergence-run.js";
import type { TuneGoal } from "./goals.js";

/** What a gossip setting is measured on: the simulation target for a cluster of `nodes` members. */
export type GossipSubject = (nodes: number) => GossipTarget;

/** When the detection goal crashes its member, and how long it waits for every survivor to hold it dead. */
const CRASH_AT_MS = 2_000;
const DETECTION_BOUND_MS = 60_000;
const STEADY_MS = 10_000;

const lossSchedule = (loss: number, durMs: number): FaultEvent[] =>
  loss > 0 ? [{ kind: "network", atMs: 0, durMs, loss, duplicate: 0, reorder: 0, spike: 0, spikeMs: 0 }] : [];

/**
 * Simulated ms from the crash of the last member (at 2 s, never restarted) until every other member
 * holds it dead; NaN when some survivor still does not after 60 s. An observer in the invariant slot
 * (it checks nothing) keeps the set of survivors that hold the victim dead, updated for the member an
 * event changed, and notes the first moment it is complete.
 */
function detectionMs(subject: GossipSubject, seed: number, nodes: number, network: Partial<NetworkOptions>, loss: number): number {
  const base = subject(nodes);
  const durationMs = CRASH_AT_MS + DETECTION_BOUND_MS;
  const victim = nodes - 1;
  const holdingDead = new Set<string>();
  let detectedAtMs = Number.NaN;
  const target: GossipTarget = {
    ...base,
    createInvariants: () => [
      {
        name: "DetectionObserver",
        check(view, changed) {
          if (view.nowMs < CRASH_AT_MS || changed === undefined || !Number.isNaN(detectedAtMs)) return undefined;
          const victimId = view.members[victim] as string;
          const observer = view.nodes.get(changed);
          if (changed === victimId || observer === undefined) return undefined;
          const state = observer.viewOf(victimId)?.state;
          if (state === "dead" || state === "left") holdingDead.add(changed);
          else holdingDead.delete(changed);
          if (holdingDead.size === nodes - 1) detectedAtMs = view.nowMs - CRASH_AT_MS;
          return undefined;
        },
      },
    ],
  };
  runSimulation(target, {
    seed,
    nodes,
    durationMs,
    healAtMs: durationMs,
    schedule: [
      { kind: "crash", atMs: CRASH_AT_MS, node: victim, downMs: durationMs, mode: "clean", torn: false, corrupt: false },
      ...lossSchedule(loss, durationMs),
    ],
    network,
    workload: { clients: 0 },
    checkInvariants: true,
    checkLiveness: false,
  });
  return detectedAtMs;
}

/** The goals of `pnpm tune gossip --goal`. */
export const GOSSIP_TUNE_GOALS: Readonly<Record<string, TuneGoal<GossipSubject>>> = {
  detection: {
    name: "detection",
    unit: "simulated ms",
    higherIsBetter: false,
    description:
      `time from a member's crash (at ${CRASH_AT_MS / 1000} s) until every other member holds it dead ` +
      `(none within ${DETECTION_BOUND_MS / 1000} s: not a candidate)`,
    measure: detectionMs,
  },
  convergence: {
    name: "convergence",
    unit: "simulated ms",
    higherIsBetter: false,
    description:
      `time after a ${gossipConvergence.partition.durMs / 1000} s partition into halves heals ` +
      "until every member holds every other alive at its current incarnation",
    measure(subject, seed, nodes, network) {
      const protocol = { ...gossipConvergence, target: (n: number) => subject(n) as unknown as ConvergenceTarget };
      return runConvergence(protocol, { seed, nodes, network }).msToConverge;
    },
  },
  messages: {
    name: "messages",
    unit: "messages/member/s",
    higherIsBetter: false,
    description: `messages delivered per member per simulated second over ${STEADY_MS / 1000} s without crashes (the background cost of detection)`,
    measure(subject, seed, nodes, network, loss) {
      const result = runSimulation(subject(nodes), {
        seed,
        nodes,
        durationMs: STEADY_MS,
        healAtMs: STEADY_MS,
        schedule: lossSchedule(loss, STEADY_MS),
        network,
        workload: { clients: 0 },
        checkInvariants: false,
        checkLiveness: false,
      });
      return result.messagesDelivered / nodes / (STEADY_MS / 1000);
    },
  },
};

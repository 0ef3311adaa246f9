import { cpuUsage } from "node:process";
import type { Codec } from "@synod/core";
import { runSimulation, type NetworkOptions } from "@synod/simulator";
import type { ConvergenceProtocol, ConvergenceTarget } from "./convergence-protocol.js";

/** One run of the convergence scenario. */
export interface ConvergenceRunOptions {
  readonly seed: number;
  readonly nodes: number;
  readonly network?: Partial<NetworkOptions>;
}

/** What one run measured, from the heal to convergence. */
export interface ConvergenceFigures {
  /** Whether every live node converged within the protocol's `boundMs` after the heal. */
  readonly converged: boolean;
  /** Simulated ms from the heal to the first poll (one per tick) that found the cluster converged; NaN when it never did. */
  readonly msToConverge: number;
  /** `msToConverge` in protocol rounds (NaN when it never converged). */
  readonly rounds: number;
  /** Messages and their encoded bytes sent from the heal to convergence (to the bound when it never converged). */
  readonly messages: number;
  readonly bytes: number;
  /** Messages and bytes sent before the heal (the partition's own traffic, for scale). */
  readonly messagesBeforeHeal: number;
  readonly bytesBeforeHeal: number;
  readonly healAtMs: number;
  readonly events: number;
  readonly cpuMs: number;
  readonly violations: number;
}

/** Messages and bytes through a codec, counted as the simulator encodes every message it sends. */
interface Tally {
  messages: number;
  bytes: number;
}

function countingCodec<M>(codec: Codec<M>, tally: Tally): Codec<M> {
  return {
    maxBytes: codec.maxBytes,
    encode(value) {
      const bytes = codec.encode(value);
      tally.messages++;
      tally.bytes += bytes.length;
      return bytes;
    },
    decode: (bytes) => codec.decode(bytes),
  };
}

/**
 * Partition `protocol`'s cluster into halves (the first ⌊n/2⌋ members against the rest) while its
 * clients write on both sides, heal, and measure until every live node has converged. The
 * simulator's own liveness machinery polls the protocol's condition every tick after the heal and
 * stops the run at the first poll where it holds (or fails it past `boundMs`). The counters as they
 * stood at the heal are read by an observer in the invariant slot — it checks nothing: its `check`
 * runs after every event that changed a node, and keeps the counts of the last event before the heal.
 */
export function runConvergence(protocol: ConvergenceProtocol, options: ConvergenceRunOptions): ConvergenceFigures {
  const { atMs, durMs } = protocol.partition;
  const healAtMs = atMs + durMs;
  const tally: Tally = { messages: 0, bytes: 0 };
  let atHeal: Tally = { messages: 0, bytes: 0 };
  let healed = false;
  const base = protocol.target(options.nodes, () => healed);
  const target: ConvergenceTarget = {
    ...base,
    messageCodec: countingCodec(base.messageCodec, tally),
    createInvariants: () => [
      {
        name: "CountersAtHeal",
        check(view) {
          if (view.nowMs < healAtMs) atHeal = { ...tally };
          else healed = true;
          return undefined;
        },
      },
    ],
    liveness: {
      description: `converged: ${protocol.convergedMeans}`,
      boundMs: protocol.boundMs,
      holds: (view, healedAtMs) => protocol.converged(view, healedAtMs),
    },
  };
  const half = Math.floor(options.nodes / 2);
  const cpu0 = cpuUsage();
  const result = runSimulation(target, {
    seed: options.seed,
    nodes: options.nodes,
    // The run's end is the heal; the simulator goes on while the liveness condition is pending, and stops when it holds.
    durationMs: healAtMs,
    healAtMs,
    schedule: [{ kind: "partition", atMs, durMs, shape: "split", group: [...Array(half).keys()], bridge: 0 }],
    ...(options.network !== undefined ? { network: options.network } : {}),
    workload: protocol.writesPerSec > 0 ? { mode: "open", ratePerSec: protocol.writesPerSec, maxInFlight: 100_000 } : { clients: 0 },
    checkInvariants: true,
    checkLiveness: true,
    codecRoundTrip: true,
  });
  const cpu = cpuUsage(cpu0);
  const after = result.metrics.livenessAfterHealMs ?? -1;
  const converged = after >= 0 && result.violations.length === 0;
  const msToConverge = converged ? after : Number.NaN;
  return {
    converged,
    msToConverge,
    rounds: msToConverge / protocol.roundMs,
    messages: tally.messages - atHeal.messages,
    bytes: tally.bytes - atHeal.bytes,
    messagesBeforeHeal: atHeal.messages,
    bytesBeforeHeal: atHeal.bytes,
    healAtMs,
    events: result.events,
    cpuMs: (cpu.user + cpu.system) / 1000,
    violations: result.violations.filter((v) => v.invariant !== "Liveness").length,
  };
}

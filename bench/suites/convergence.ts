/**
 * Convergence after a partition heals: CRDT delta anti-entropy and SWIM gossip dissemination,
 * driven by the simulator (same seed, same network model). Each cluster is split into halves while
 * its clients write on both sides (CRDT) or each half declares the other dead (gossip); from the
 * heal: simulated ms and protocol rounds until every live node has converged, messages and bytes
 * sent in that time. A run that does not converge within the protocol's bound says so.
 */
import type { ChartSeries } from "@synod/viz/charts";
import type { BenchReport, BenchRow, BenchSuite } from "../harness.js";
import type { ConvergenceProtocol } from "../scenarios/convergence-protocol.js";
import { runConvergence } from "../scenarios/convergence-run.js";
import { protocol as crdt } from "../scenarios/convergence/crdt.js";
import { protocol as gossip } from "../scenarios/convergence/gossip.js";

const SEED = 1;
const PROTOCOLS: readonly ConvergenceProtocol[] = [crdt, gossip];
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** The convergence suite. */
export const suite: BenchSuite = {
  name: "convergence",
  description: "CRDT anti-entropy and gossip dissemination after a partition heals: rounds, ms, messages and bytes to converge vs cluster size",
  async run(context): Promise<BenchReport> {
    const rows: BenchRow[] = [];
    const series: ChartSeries[] = [];
    const notes: string[] = [];
    for (const protocol of PROTOCOLS) {
      const points: [number, number][] = [];
      for (const nodes of context.quick ? protocol.quickSizes : protocol.clusterSizes) {
        const f = runConvergence(protocol, { seed: SEED, nodes });
        rows.push({
          name: `${protocol.name}, ${nodes} nodes`,
          converged: f.converged,
          msToConverge: f.converged ? f.msToConverge : `not within ${protocol.boundMs}`,
          roundsToConverge: f.converged ? round(f.rounds) : `not within ${protocol.boundMs / protocol.roundMs}`,
          messagesToConverge: f.messages,
          bytesToConverge: f.bytes,
          bytesPerNode: Math.round(f.bytes / nodes),
          bytesBeforeHeal: f.bytesBeforeHeal,
          cpuMs: Math.round(f.cpuMs),
          violations: f.violations,
        });
        if (f.converged) points.push([nodes, f.rounds]);
      }
      series.push({ name: `${protocol.name} (round ${protocol.roundMs} ms)`, points });
      notes.push(
        `${protocol.name}: partition into halves at ${protocol.partition.atMs} ms for ${protocol.partition.durMs} ms, ` +
          `${protocol.writesPerSec} writes/s until the heal (none after); converged = ${protocol.convergedMeans}; ` +
          `a round = one ${protocol.roundName} (${protocol.roundMs} ms); polled every tick after the heal.`,
      );
    }
    notes.push(`Seed ${SEED}; the simulator's default network (links 1–10 ms, 2 ms jitter); bytes: every message through the protocol's codec.`);
    return {
      rows,
      charts: [{ file: "convergence-rounds", title: "Rounds to converge after a partition heals", xLabel: "cluster size", yLabel: "protocol rounds", series }],
      notes,
    };
  },
};

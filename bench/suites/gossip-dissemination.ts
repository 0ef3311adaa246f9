import { DEFAULT_GOSSIP_CONFIG } from "@synod/gossip";
import type { BenchRow, BenchSuite } from "../harness.js";
import { expectedMissed, pushGossipRounds, SWIM_FANOUT, swimRetransmitLimit } from "../scenarios/epidemic-bound.js";
import { GOSSIP_10K } from "../scenarios/gossip-10k-flag.js";
import { swimDisseminationRun } from "../scenarios/swim-dissemination.js";

/**
 * Rounds and messages per member for one update to reach every member by SWIM's piggybacking, against
 * n, beside the analytic epidemic bound (`bench/scenarios/epidemic-bound.ts`: push gossip with fanout
 * f reaches all n in ≈ log_{1+f} n + ln(n) / f rounds, Pittel 1987; f = 2 for SWIM; at most
 * λ·⌈log10(n + 1)⌉ transmissions per member). The update is a graceful leave
 * (`bench/scenarios/swim-dissemination.ts`). Plumtree's rounds (hops) and payloads per broadcast are
 * in the `plumtree` suite. 10,000 members only with `SYNOD_BENCH_GOSSIP_10K=1` (one seed).
 */

/** Seeds per size (10,000 members: the first only). */
const SEEDS = [1, 2, 3];

/** Mean of a metric over runs. */
const mean = (runs: ReadonlyArray<Record<string, number>>, key: string): number =>
  Math.round((runs.reduce((sum, r) => sum + (r[key] as number), 0) / runs.length) * 100) / 100;

export const suite: BenchSuite = {
  name: "gossip-dissemination",
  description: "SWIM piggyback dissemination of one update: rounds and transmissions per member against n, beside the epidemic bound",
  async run({ quick }) {
    const sizes = quick ? [30] : GOSSIP_10K ? [100, 1000, 10_000] : [100, 1000];
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const lambda = DEFAULT_GOSSIP_CONFIG.retransmitMult;
    for (const n of sizes) {
      const seeds = quick || n >= 10_000 ? SEEDS.slice(0, 1) : SEEDS;
      const runs = seeds.map((seed) => swimDisseminationRun(n, seed));
      const limit = swimRetransmitLimit(n, lambda);
      rows.push({
        name: `SWIM piggyback, n=${n} (${seeds.length} seed${seeds.length > 1 ? "s" : ""})`,
        violations: runs.reduce((sum, r) => sum + r.violations, 0),
        reachedPct: mean(runs, "reachedPct"),
        roundsToHalf: mean(runs, "roundsToHalf"),
        roundsTo99Pct: mean(runs, "roundsTo99Pct"),
        roundsToAll: mean(runs, "roundsToAll"),
        maxRoundsToAll: Math.max(...runs.map((r) => r.roundsToAll)),
        boundRounds: Math.round(pushGossipRounds(n, SWIM_FANOUT) * 100) / 100,
        transmissionsPerMember: mean(runs, "transmissionsPerMember"),
        boundTransmissionsPerMember: limit,
        messagesPerMemberPerSec: mean(runs, "messagesPerMemberPerSec"),
        cpuMs: mean(runs, "cpuMs"),
      });
      notes.push(`n=${n}: expected members never reached by ${limit} transmissions each, n·e^−${limit} = ${expectedMissed(n, limit).toExponential(1)}`);
    }
    notes.push(
      "rounds = probe periods (1 s) from the leave until the member outputs the leaver as left, at tick resolution (0.1 period); " +
        "-1 if not reached in 27 s",
      "boundRounds = log_{1+f} n + ln(n)/f with f = 2 (one ping and one ack sent per period), for synchronous rounds; the members' " +
        "probe periods are not aligned and links take 1-10 ms, so an update heard early in a period is often sent on within the same " +
        "period, and the measured rounds fall below the bound",
      "transmissions = messages carrying the update (pings, acks and ping requests sent anyway, and the leaver's k + 1 direct pings); " +
        "messages the update added: those k + 1 pings",
    );
    return { rows, notes };
  },
};

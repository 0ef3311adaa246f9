import { createDkgSimulation, dkgThreshold } from "@synod/security";
import { runSimulation } from "@synod/simulator";
import type { BenchRow, BenchSuite } from "../harness.js";

/**
 * The dealerless DKG (`pnpm sim dkg`) in the deterministic simulator, no faults: messages and bytes
 * on the wire (codec round trip on), virtual time to the last correct participant's decision (deal,
 * support, one agreement ballot: prepare, accept, votes; resends every 50 ms), and the wall time of the run on this machine (the BLS12-381 work of n
 * participants, all in one process, pure JS: dealing, Feldman checks, summing commitments; the
 * supports and votes are signed with the ideal provider, so Ed25519 costs are not included).
 */
const SHAPES: readonly (readonly [number, number])[] = [
  [4, 1],
  [7, 1],
  [7, 3],
  [10, 1],
  [10, 4],
  [13, 6],
  [16, 7],
];

function measure(n: number, t: number): BenchRow {
  const target = createDkgSimulation(() => t);
  const durationMs = 1000;
  const started = process.hrtime.bigint();
  const result = runSimulation(target, { seed: 1, nodes: n, durationMs, healAtMs: durationMs, codecRoundTrip: true });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.violations.length > 0) throw new Error(`n=${n} t=${t}: ${result.violations.map((v) => v.invariant).join(", ")}`);
  const m = result.metrics;
  return {
    name: `n=${n}, t=${t}`,
    messages: m.messagesSent ?? 0,
    kiB: Math.round((m.bytesSent ?? 0) / 102.4) / 10,
    messagesPerNode: Math.round((m.messagesSent ?? 0) / n),
    decisionMs: m.decisionMs ?? 0,
    wallMs: Math.round(wallMs),
  };
}

export const suite: BenchSuite = {
  name: "dkg",
  description: "dealerless DKG: messages, bytes, virtual decision time and wall time against n and t",
  async run({ quick }) {
    const shapes = quick ? SHAPES.slice(0, 2) : SHAPES;
    const rows = shapes.map(([n, t]) => measure(n, t));
    return {
      rows,
      notes: [
        "No faults: every participant deals, every receiver supports every dealer. Messages: deals and supports to everyone,",
        "resent every 50 ms until supported or decided, then the agreement (prepare, promise, accept, n(n-1) votes): O(n^2) per resend.",
        "Bytes grow with n and t: the agreed value holds n dealings of t+1 commitments and n signed supports each (O(n^2)).",
        `Default t (pnpm sim dkg) is ${[4, 7, 10].map((n) => `${dkgThreshold(n)} at n=${n}`).join(", ")}.`,
        "wallMs includes the simulator and the end-of-run invariant checks (t+1 and t share signatures, pairings).",
      ],
    };
  },
};

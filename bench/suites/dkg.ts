import { agreementQuorum, createDkgSimulation, dkgThreshold } from "@synod/security";
import { runSimulation } from "@synod/simulator";
import type { BenchRow, BenchSuite } from "../harness.js";

/**
 * The dealerless DKG (`pnpm sim dkg`) in the deterministic simulator, no faults: messages and bytes
 * on the wire (codec round trip on), virtual time to the last correct participant's decision (deal,
 * support, one agreement view: propose, prepares, commits; resends every 50 ms), and the wall time of the run on this machine (the BLS12-381 work of n
 * participants, all in one process, pure JS: dealing, Feldman checks, summing commitments; the
 * supports and votes are signed with the ideal provider, so Ed25519 costs are not included).
 */
/** (n, t, f), each with t ≥ 2f (a DKG refuses t < 2f: see `dkgConstraintFault`). */
const SHAPES: readonly (readonly [number, number, number])[] = [
  [4, 1, 0],
  [4, 2, 1],
  [7, 3, 1],
  [7, 4, 2],
  [10, 4, 2],
  [10, 6, 3],
  [13, 6, 3],
  [13, 8, 4],
  [16, 7, 3],
  [16, 10, 5],
];

function measure(n: number, t: number, f: number): BenchRow {
  const target = createDkgSimulation(() => t, () => f);
  const durationMs = 1000;
  const started = process.hrtime.bigint();
  const result = runSimulation(target, { seed: 1, nodes: n, durationMs, healAtMs: durationMs, codecRoundTrip: true });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.violations.length > 0) throw new Error(`n=${n} t=${t} f=${f}: ${result.violations.map((v) => v.invariant).join(", ")}`);
  const m = result.metrics;
  return {
    name: `n=${n}, t=${t}, f=${f}`,
    quorum: agreementQuorum(n, f),
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
    const rows = shapes.map(([n, t, f]) => measure(n, t, f));
    return {
      rows,
      notes: [
        "No faults: every participant deals, every receiver supports every dealer. Messages: deals and supports to everyone,",
        "resent every 50 ms until supported or decided, then the agreement (a proposal, n(n-1) prepares and n(n-1) commits): O(n^2) per resend.",
        "t+1 shares sign; f is the agreement's Byzantine bound (quorum = ceil((n+f+1)/2)); t = 2f at n = 3f+1 is PBFT's threshold 2f+1.",
        "Bytes grow with n and t: the agreed value holds n dealings of t+1 commitments and n signed supports each (O(n^2)).",
        `Default t (pnpm sim dkg) is ${[4, 7, 10].map((n) => `${dkgThreshold(n)} at n=${n}`).join(", ")}, f = floor((n-1)/3) (t = max(floor((n-1)/2), 2f)).`,
        "wallMs includes the simulator and the end-of-run invariant checks (t+1 and t share signatures, pairings).",
      ],
    };
  },
};

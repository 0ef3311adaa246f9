/**
 * The convergence scenario (bench/suites/convergence.ts) measures something real: after a partition
 * of halves heals, the CRDT replicas and the gossip members converge, with repair traffic > 0.
 */
import { describe, expect, it } from "vitest";
import { runConvergence } from "../../bench/scenarios/convergence-run.js";
import { protocol as crdt } from "../../bench/scenarios/convergence/crdt.js";
import { protocol as gossip } from "../../bench/scenarios/convergence/gossip.js";

describe("convergence after a partition heals (seed 1)", () => {
  for (const [protocol, nodes] of [[crdt, 5], [gossip, 8]] as const) {
    it(`${protocol.name}, ${nodes} nodes: converges within its bound, sending bytes after the heal`, () => {
      const f = runConvergence(protocol, { seed: 1, nodes });
      expect(f.violations).toBe(0);
      expect(f.converged).toBe(true);
      expect(f.msToConverge).toBeGreaterThan(0);
      expect(f.msToConverge).toBeLessThanOrEqual(protocol.boundMs);
      expect(f.bytes).toBeGreaterThan(0);
      expect(f.bytesBeforeHeal).toBeGreaterThan(0);
    });
  }

  it("reports a run that cannot converge as not converged, never as 0", () => {
    const never = { ...crdt, boundMs: 100, converged: () => false };
    const f = runConvergence(never, { seed: 1, nodes: 3 });
    expect(f.converged).toBe(false);
    expect(Number.isNaN(f.msToConverge)).toBe(true);
  });
});

import fc from "fast-check";
import type { WorkloadOptions } from "../engine/options.js";

/**
 * A fast-check arbitrary for closed-loop workloads: 1–`maxClients` clients with a think time of
 * 0–200 ms. Shrinks towards one client that never waits.
 * @param maxClients - most clients (default 4)
 * @returns an arbitrary of partial {@link WorkloadOptions}
 */
export function workloadArbitrary(maxClients = 4): fc.Arbitrary<Partial<WorkloadOptions>> {
  return fc.record({
    mode: fc.constant("closed" as const),
    clients: fc.integer({ min: 1, max: Math.max(1, maxClients) }),
    thinkMaxMs: fc.integer({ min: 0, max: 200 }),
  });
}

import { describe, expect, it } from "vitest";
import { eclipseRun } from "../../bench/scenarios/overlay-eclipse.js";

/**
 * The eclipse attempt of `pnpm bench plumtree` (100 members, 60 s, seed 1; attackers push themselves
 * at every honest member every tick): the defences must keep the attackers' share of honest members'
 * active views near their share of ids. The bounds are those measured (README), with a little room.
 */
describe("eclipse attempt on the overlay (bench/scenarios/overlay-eclipse.ts)", () => {
  it("with the Basalt sampler and the active view's defence, attackers with 20% of ids hold at most 1.25× that share of honest active views, below the sampler alone", () => {
    const sampler = eclipseRun(100, 0.2, { basalt: true });
    const defended = eclipseRun(100, 0.2, { basalt: true, activeDefence: true });
    expect(defended.violations).toBe(0);
    expect(defended.attackerActivePct).toBeLessThanOrEqual(25);
    expect(defended.attackerActivePct).toBeLessThan(sampler.attackerActivePct - 3);
    expect(defended.attackerPassivePct).toBeLessThanOrEqual(23);
    expect(defended.honestMeanActive).toBeGreaterThan(4.5);
  });

  it("with admission, attacker ids without a certificate are refused: the attackers hold about the share of the admitted ids they have", () => {
    const r = eclipseRun(100, 0.2, { basalt: true, activeDefence: true }, 1, 60_000, 5);
    expect(r.notAdmitted).toBeGreaterThan(0);
    expect(r.attackerActivePct).toBeLessThanOrEqual(1.2 * r.attackerAdmittedPct);
    expect(r.attackerPassivePct).toBeLessThanOrEqual(1.2 * r.attackerAdmittedPct);
  });
});

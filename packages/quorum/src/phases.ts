import { isFlexible } from "./flexible.js";
import { isJoint, joint } from "./joint.js";
import { checkSystem } from "./members.js";
import type { QuorumSystem } from "./quorum-system.js";

/**
 * The phase-1 (election) and phase-2 (replication) systems of a quorum system. They differ only for
 * flexible systems, and for joint systems with a flexible half (each phase is then the joint of the
 * halves' phases). Safety needs every phase-1 quorum to meet every phase-2 quorum.
 * @param system - any quorum system
 * @returns `[phase1, phase2]`; both are `system` itself for single-phase systems
 */
export function phaseSystems(system: QuorumSystem): readonly [QuorumSystem, QuorumSystem] {
  checkSystem("system", system);
  if (isFlexible(system)) return [system.phase1, system.phase2];
  if (isJoint(system)) {
    const [incoming1, incoming2] = phaseSystems(system.incoming);
    const [outgoing1, outgoing2] = phaseSystems(system.outgoing);
    if (incoming1 === incoming2 && outgoing1 === outgoing2) return [system, system];
    return [joint(incoming1, outgoing1), joint(incoming2, outgoing2)];
  }
  return [system, system];
}

import type { FaultKind } from "./fault-kinds.js";
import type { FaultSchedule } from "./schedule.js";

/**
 * The fault kinds an explicit schedule uses (what a run reports as `faults`).
 * @param schedule - the schedule
 * @returns each kind once, in order of first use
 */
export function scheduleKinds(schedule: FaultSchedule): FaultKind[] {
  const kinds = new Set<FaultKind>();
  // A leader-island is an inbound-only slow, then a partition and a skew of one start, all aimed at the leader.
  const islandStarts = new Set(schedule.filter((e) => e.kind === "partition" && e.aim === "leader").map((e) => e.atMs));
  for (const e of schedule) {
    if (e.kind === "network") {
      if (e.loss > 0) kinds.add("loss");
      if (e.duplicate > 0) kinds.add("duplicate");
      if (e.reorder > 0) kinds.add("reorder");
      if (e.spike > 0) kinds.add("delay");
    } else if (e.kind === "crash") {
      kinds.add(e.aim === "leader" ? "leader-crash" : "crash");
      if (e.torn) kinds.add("torn");
      if (e.corrupt) kinds.add("corrupt");
    } else if (e.kind === "partition") kinds.add(e.aim === "leader" ? "leader-island" : "partition");
    else if ((e.kind === "slow" && e.inbound === true) || (e.kind === "skew" && e.aim === "leader" && islandStarts.has(e.atMs))) kinds.add("leader-island");
    else if (e.kind === "pause" || e.kind === "slow" || e.kind === "skew") kinds.add(e.aim === "leader" ? "leader-stall" : e.kind);
    else kinds.add(e.kind);
  }
  return [...kinds];
}

import type { NodeId } from "@synod/core";
import type { FaultEvent } from "../faults/schedule.js";

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** @returns one line naming a fault episode: when, what, to whom, for how long */
export function describeFault(event: FaultEvent, ids: readonly NodeId[]): string {
  const n = ids.length;
  const node = (i: number): string => ids[((i % n) + n) % n] ?? String(i);
  const at = `t=${event.atMs.toFixed(0)} ms`;
  const target = (e: { readonly node: number; readonly aim?: "leader" }): string => (e.aim === "leader" ? "the leader" : node(e.node));
  switch (event.kind) {
    case "network":
      return (
        `${at} network for ${event.durMs.toFixed(0)} ms: loss ${pct(event.loss)}, duplicate ${pct(event.duplicate)}, ` +
        `reorder ${pct(event.reorder)}, spikes ${pct(event.spike)} up to ${event.spikeMs.toFixed(0)} ms`
      );
    case "partition": {
      const group = event.shape === "isolate" ? node(event.group[0] ?? 0) : `{${event.group.map(node).join(",")}}`;
      return `${at} partition ${event.shape} ${group}${event.shape === "bridge" ? ` bridge ${node(event.bridge)}` : ""} for ${event.durMs.toFixed(0)} ms`;
    }
    case "crash": {
      const how = `${event.mode}${event.torn ? ", torn" : ""}${event.corrupt ? ", a record corrupted" : ""}`;
      const victim = event.aim === "leader" ? "the leader" : node(event.node);
      return `${at} crash ${victim} (${how}), down ${event.downMs.toFixed(0)} ms`;
    }
    case "pause":
      return `${at} pause ${target(event)} for ${event.durMs.toFixed(0)} ms`;
    case "slow":
      return `${at} slow ${target(event)} +${event.extraMs.toFixed(0)} ms per message for ${event.durMs.toFixed(0)} ms`;
    case "skew":
      return `${at} clock of ${target(event)} at rate ${event.rate.toFixed(2)} for ${event.durMs.toFixed(0)} ms`;
    case "byzantine":
      return `${at} ${node(event.node)} Byzantine (${event.strategy}) for ${event.durMs.toFixed(0)} ms`;
    case "buggify":
      return (
        `${at} buggify for ${event.durMs.toFixed(0)} ms: crash points (mask ${event.pointMask.toString(2)}) ` +
        `fire ${pct(event.probability)} of the time, down ${event.downMs.toFixed(0)} ms` +
        (event.dropProbability === undefined ? "" : `; drop-sends points ${pct(event.dropProbability)}`)
      );
  }
}

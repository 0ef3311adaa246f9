import type { Rng } from "@synod/core";
import { createAdversary, type Adversary } from "../byzantine/adversary.js";
import type { CrashMode, FaultEvent, FaultSchedule } from "../faults/schedule.js";
import type { SimulationCounters } from "./counters.js";
import { CLOCK_RATE_RANGE } from "./limits.js";
import type { Cut, NetworkModel } from "./network.js";

/** What fault episodes act on (the simulation implements it). */
export interface FaultHost<M> {
  readonly nodeCount: number;
  readonly network: NetworkModel;
  readonly counters: SimulationCounters;
  readonly faultRng: Rng;
  /** The virtual time now. */
  nowMs(): number;
  isUp(node: number): boolean;
  /** @returns the index of a node that leads now, if any (the first, by index) */
  leaderIndex(): number | undefined;
  crash(node: number, downMs: number): void;
  /** Crash inside the node's next step that persists. */
  armCrash(node: number, mode: Exclude<CrashMode, "clean">, torn: boolean, downMs: number): void;
  /** @returns whether a byte of a synced record was changed */
  corruptDisk(node: number): boolean;
  pause(node: number): void;
  resume(node: number): void;
  setClockRate(node: number, rate: number): void;
  setAdversary(node: number, adversary: Adversary<M> | undefined): void;
  /** Arm the target's crash points in `pointMask` with `probability` (0: disarm), restarting a crashed node after `downMs`. */
  setBuggify(probability: number, pointMask: number, downMs: number, dropProbability?: number): void;
}

/**
 * Starts and ends the episodes of a fault schedule. Node positions are taken modulo the cluster
 * size, so any schedule (e.g. one shrunk by fast-check) is valid for any cluster.
 */
export class FaultInjector<M> {
  /** Per schedule index: undefined when not active, else what `end` needs to undo it. */
  private readonly active: unknown[];

  constructor(
    private readonly schedule: FaultSchedule,
    private readonly host: FaultHost<M>,
  ) {
    this.active = new Array<unknown>(schedule.length).fill(undefined);
  }

  /**
   * Start episode `index`.
   * @returns its duration in ms (the caller schedules the end), or undefined when it has no end
   *   (a crash: the node restarts on its own) or did not start (the node was already down)
   */
  start(index: number): number | undefined {
    const event = this.schedule[index] as FaultEvent;
    const host = this.host;
    const n = host.nodeCount;
    let node = "node" in event ? ((event.node % n) + n) % n : 0;
    if ("aim" in event && event.aim === "leader" && event.kind !== "crash") {
      // An aimed pause, slow, skew or partition acts on whoever leads now (nothing when no one does), and its end on that node.
      const leader = host.leaderIndex();
      if (leader === undefined) return undefined;
      node = leader;
    }
    host.counters.faultsInjected++;
    let undo: unknown = node;
    switch (event.kind) {
      case "network":
        undo = host.network.startConditions({ loss: event.loss, duplicate: event.duplicate, reorder: event.reorder, spike: event.spike, spikeMs: event.spikeMs });
        break;
      case "partition": {
        // An aimed partition (a leader-island) has the leader of this moment as its group.
        const cut = host.network.partitionCut(event.shape, event.aim === "leader" ? [node] : event.group, event.bridge);
        host.network.addCut(cut);
        undo = cut;
        host.counters.partitions++;
        if (event.aim === "leader") host.counters.leaderIslands++;
        break;
      }
      case "crash": {
        const victim = event.aim === "leader" ? host.leaderIndex() : node;
        if (victim === undefined || !host.isUp(victim)) return undefined;
        if (event.aim === "leader") host.counters.leaderCrashes++;
        if (event.corrupt && host.corruptDisk(victim)) host.counters.corruptions++;
        if (event.mode === "clean") host.crash(victim, event.downMs);
        else host.armCrash(victim, event.mode, event.torn, event.downMs);
        return undefined;
      }
      case "pause":
        host.pause(node);
        host.counters.pauses++;
        break;
      case "slow":
        if (event.inbound === true) host.network.slowInbound(node, host.nowMs(), event.extraMs);
        else host.network.slowExtraMs[node] = Math.max(host.network.slowExtraMs[node] as number, event.extraMs);
        host.counters.slowEpisodes++;
        if (event.aim === "leader" && event.inbound !== true) host.counters.leaderStalls++;
        break;
      case "skew":
        host.setClockRate(node, Math.min(CLOCK_RATE_RANGE[1], Math.max(CLOCK_RATE_RANGE[0], event.rate)));
        break;
      case "byzantine":
        host.setAdversary(node, createAdversary<M>(event.strategy));
        host.counters.byzantineEpisodes++;
        break;
      case "buggify":
        host.setBuggify(event.probability, event.pointMask, event.downMs, event.dropProbability);
        break;
    }
    this.active[index] = undo;
    return Math.max(0, event.durMs);
  }

  /** End episode `index`, if it is still active. A slow, skew, Byzantine or buggify episode's end restores the node's normal behaviour. */
  end(index: number): void {
    const undo = this.active[index];
    if (undo === undefined) return;
    this.active[index] = undefined;
    const event = this.schedule[index] as FaultEvent;
    const host = this.host;
    // What `start` acted on: the node (an aimed episode's was the leader of that moment).
    const node = undo as number;
    switch (event.kind) {
      case "network":
        host.network.endConditions(undo as Parameters<NetworkModel["endConditions"]>[0]);
        return;
      case "partition":
        host.network.removeCut(undo as Cut);
        return;
      case "pause":
        host.resume(node);
        return;
      case "slow":
        if (event.inbound === true) host.network.slowInboundMs[node] = 0;
        else host.network.slowExtraMs[node] = 0;
        return;
      case "skew":
        host.setClockRate(node, 1);
        return;
      case "byzantine":
        host.setAdversary(node, undefined);
        return;
      case "buggify":
        host.setBuggify(0, 0, 0);
        return;
      default:
        return;
    }
  }

  /** Forget every active episode (the caller heals the network and the nodes). */
  forgetAll(): void {
    this.active.fill(undefined);
  }
}

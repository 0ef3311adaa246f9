import type { ClusterView, SimulationTarget } from "@synod/core";
import { broadcastClient, type BroadcastOp, type BroadcastResult } from "./client.js";
import type { BroadcastConfig } from "./config.js";
import { broadcastDurability } from "./durability.js";
import { noCreation, noDuplication } from "./invariants.js";
import { agreementLiveness } from "./liveness.js";
import { broadcastMessageCodec, broadcastRecordCodec, type BroadcastInput, type BroadcastMessage, type BroadcastOutput, type BroadcastRecord } from "./messages.js";
import { BroadcastNode } from "./node.js";

/** The simulation target type of the reference broadcast protocol. */
export type BroadcastTarget = SimulationTarget<BroadcastNode, BroadcastMessage, BroadcastInput, BroadcastOutput, BroadcastRecord, BroadcastOp, BroadcastResult>;

/**
 * Build the reference broadcast protocol's simulation target with a given configuration (tests use
 * it for `plantedBug`).
 * @param config - overrides of the protocol defaults
 * @returns a target the simulator can run
 * @example
 * const buggy = createBroadcastSimulation({ plantedBug: "recovery-drops-last" });
 */
export function createBroadcastSimulation(config: Partial<BroadcastConfig> = {}): BroadcastTarget {
  return {
    name: "broadcast",
    description: "reference protocol: eager reliable broadcast with acks over lossy links",
    defaultNodes: 5,
    minNodes: 1,
    tickMs: 10,
    createNode: (ctx) => new BroadcastNode(ctx, config),
    messageCodec: broadcastMessageCodec,
    recordCodec: broadcastRecordCodec,
    client: broadcastClient,
    createInvariants: () => [noDuplication(), noCreation(), broadcastDurability()],
    liveness: agreementLiveness,
    metrics(view: ClusterView<BroadcastNode, BroadcastOp, BroadcastResult>) {
      let delivered = 0;
      let pending = 0;
      let retransmissions = 0;
      let halted = 0;
      for (const node of view.nodes.values()) {
        if (node === undefined) continue;
        delivered += node.deliveredCount();
        pending += node.pendingCount();
        retransmissions += node.retransmissions;
        if (node.halted) halted++;
      }
      return { deliveredIds: delivered, pendingAtEnd: pending, retransmissions, haltedNodes: halted };
    },
    forge(message, rng) {
      if (message.type === "msg") return { ...message, value: `${message.value}~forged${rng.nextU32().toString(36)}` };
      return { ...message, seq: message.seq + 1 };
    },
  };
}

/** The reference broadcast protocol with its default configuration (registered as `broadcast`). */
export const broadcastSimulation: BroadcastTarget = createBroadcastSimulation();

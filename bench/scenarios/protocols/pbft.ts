import { pbftSimulation, PBFT_SIM_TICK_MS, PbftNode } from "@synod/pbft";
import type { KvProtocol, KvTarget } from "../kv-protocol.js";

/** PBFT with the simulator's settings (f = 1..4: 4, 7, 10, 13 replicas; signed messages, ideal signatures). */
export const protocol: KvProtocol = {
  name: "pbft",
  clusterSizes: [4, 7, 10, 13],
  tickMs: PBFT_SIM_TICK_MS,
  target: pbftSimulation as unknown as KvTarget,
  coordinatorIndex(view) {
    const ids = [...view.nodes.keys()];
    for (const node of view.nodes.values()) if (node instanceof PbftNode) return ids.indexOf(node.primary);
    return undefined;
  },
};

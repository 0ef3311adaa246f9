import { RaftNode } from "@synod/raft";
import { raftSimulation, RAFT_SIM_TICK_MS } from "@synod/raft/simulation";
import type { KvProtocol, KvTarget } from "../kv-protocol.js";

/** Raft with the simulator's settings (10 ms ticks, election timeout 10–20 ticks, heartbeat every 2). */
export const protocol: KvProtocol = {
  name: "raft",
  clusterSizes: [3, 5, 7, 9],
  tickMs: RAFT_SIM_TICK_MS,
  target: raftSimulation as unknown as KvTarget,
  coordinatorIndex(view) {
    let index = 0;
    for (const node of view.nodes.values()) {
      if (node instanceof RaftNode && node.role === "leader") return index;
      index++;
    }
    return undefined;
  },
};

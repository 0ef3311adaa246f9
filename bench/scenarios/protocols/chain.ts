import { ChainNode } from "@synod/chain";
import { chainSimulation, CHAIN_SIM_TICK_MS } from "@synod/chain/simulation";
import type { KvProtocol, KvTarget } from "../kv-protocol.js";

/**
 * CRAQ (chain replication with apportioned reads) with its Raft master, as `pnpm sim chain` runs it:
 * every node is a chain member and a replica of the Raft group that holds the configuration. Writes
 * enter at the head and commit at the tail; clean reads are served by any member.
 */
export const protocol: KvProtocol = {
  name: "craq",
  clusterSizes: [3, 5, 7, 9],
  tickMs: CHAIN_SIM_TICK_MS,
  target: chainSimulation as unknown as KvTarget,
  /** The head of the newest configuration any live node holds: where writes enter the chain. */
  coordinatorIndex(view) {
    const ids = [...view.nodes.keys()];
    let newest: ChainNode | undefined;
    for (const node of view.nodes.values()) {
      if (node instanceof ChainNode && (newest === undefined || node.configuration.epoch > newest.configuration.epoch)) newest = node;
    }
    const head = newest?.configuration.members[0]?.id;
    return head === undefined ? undefined : ids.indexOf(head);
  },
};

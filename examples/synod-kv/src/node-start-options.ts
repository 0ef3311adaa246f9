import type { NodeId } from "@synod/core";
import type { Address, Logger, TransportSecurity } from "@synod/runtime";
import type { ClusterConfig } from "./cluster-config.js";

/** What starting a node needs, whichever protocol replicates the store. */
export interface NodeStartOptions {
  readonly config: ClusterConfig;
  /** The runtime options every protocol shares (`RuntimeNode.start` without protocol and outputs). */
  readonly runtime: {
    readonly id: NodeId;
    readonly members: readonly NodeId[];
    readonly dataDir: string;
    readonly tickMs: number;
    readonly listen: Address;
    readonly peers: ReadonlyMap<NodeId, Address>;
    readonly security: TransportSecurity;
    readonly logger?: Logger;
    readonly onFatal?: (error: Error) => void;
  };
}

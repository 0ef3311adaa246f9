/**
 * `@synod/raft/simulation`: what the deterministic simulator needs to run Raft — the simulation
 * target (`raftSimulation`), the KV client model and the invariant twins of the TLA+ spec's
 * properties. Kept apart from the main entry: an application embedding Raft never loads it.
 */
export * from "./invariants.js";
export * from "./kv-client.js";
export * from "./raft-target.js";
export * from "./config-swarm.js";
export * from "./operator-node.js";
export * from "./crash-points.js";
export * from "./spec-trace/index.js";

/**
 * `@synod/chain/simulation`: what the deterministic simulator needs to run the chain — the
 * simulation targets (`chainSimulation`: CRAQ; `chainReplicationSimulation`: reads at the tail),
 * the KV client model and the invariant twins of specs/chain's properties.
 */
export * from "./invariants.js";
export * from "./kv-client.js";
export * from "./chain-target.js";
export * from "./spec-trace.js";

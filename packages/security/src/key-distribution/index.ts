// Key rotations and revocations distributed as self-authenticating statements by gossip.
export * from "./revocation.js";
export * from "./key-statement.js";
export * from "./key-gossip-messages.js";
export * from "./key-gossip-node.js";
export * from "./simulation/key-gossip-target.js";

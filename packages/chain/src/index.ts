export * from "./config.js";
export * from "./membership.js";
export * from "./messages.js";
export * from "./io.js";
export * from "./metrics.js";
export * from "./write-hash.js";
export * from "./chain-store.js";
export { MASTER_CLIENT } from "./master.js";
export { ChainNode, type ChainNodeOptions } from "./chain-node.js";

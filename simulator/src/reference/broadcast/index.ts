export * from "./messages.js";
export * from "./config.js";
export * from "./node.js";
export * from "./client.js";
export * from "./invariants.js";
export * from "./liveness.js";
export * from "./target.js";
export * from "./durability.js";

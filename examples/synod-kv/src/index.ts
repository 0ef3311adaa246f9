export * from "./api-types.js";
export * from "./cluster-config.js";
export * from "./kv-client.js";
export * from "./kv-server.js";
export * from "./local-cluster.js";
export * from "./node-security.js";

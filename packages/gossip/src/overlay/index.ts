export * from "./messages.js";
export * from "./config.js";
export * from "./hyparview.js";
export * from "./plumtree.js";
export * from "./overlay-node.js";
export * from "./simulation.js";
export * from "./basalt.js";

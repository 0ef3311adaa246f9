/** Trace validation of simulated Raft runs against specs/raft/Raft.tla: the recorder and its events. */
export * from "./spec-trace-event.js";
export * from "./spec-trace-recorder.js";
export * from "./spec-view.js";
export * from "./validated-config.js";

export { createSynodMcpServer } from "./server.js";
export { LIMITS } from "./limits.js";
export { ToolError, type ToolErrorCode } from "./tool-error.js";

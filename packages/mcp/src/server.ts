import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerPrompts } from "./prompts.js";
import { registerResources } from "./resources.js";
import { registerBenchTool } from "./tools/bench.js";
import { registerLincheckTool } from "./tools/lincheck.js";
import { registerSimTools } from "./tools/sim.js";
import { registerTlaplusTools } from "./tools/tlaplus.js";

/**
 * Build synod's MCP server: the verification tools (TLC, simulator, lincheck, bench), the specs and
 * READMEs as resources, and the method's prompts. Connect it to a transport (stdio in `main.ts`).
 * @param root - the repository root; every path a client gives is confined to it
 * @returns the server, not yet connected
 */
export function createSynodMcpServer(root: string): McpServer {
  const server = new McpServer({ name: "synod", version: "0.1.0" }, { capabilities: { logging: {} } });
  registerTlaplusTools(server, root);
  registerSimTools(server, root);
  registerLincheckTool(server, root);
  registerBenchTool(server, root);
  registerResources(server, root);
  registerPrompts(server);
  return server;
}

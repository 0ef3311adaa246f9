import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createSynodMcpServer } from "./server.js";

// `pnpm mcp`: synod's MCP server over stdio. stdout carries the protocol only; notes go to stderr.
const root = resolve(process.env.SYNOD_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..", ".."));
if (!existsSync(join(root, "specs")) || !existsSync(join(root, "simulator"))) {
  process.stderr.write(`synod-mcp: ${root} is not a synod checkout (no specs/ or simulator/); set SYNOD_ROOT to the repository root\n`);
  process.exit(2);
}
const server = createSynodMcpServer(root);
await server.connect(new StdioServerTransport());
process.stderr.write(`synod-mcp: serving ${root} over stdio\n`);

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";

/** A file the server offers as a resource. */
interface RepoResource {
  readonly uri: string;
  readonly path: string;
  readonly mimeType: string;
  readonly description: string;
}

const SPEC_FILE = /\.(tla|cfg|md|json)$/;

/**
 * The resources: every file of every spec folder (modules, configs, `properties.md`,
 * `verification_summary.md`) and each package's README, as `synod://<path in the repository>`.
 * @param root - the repository root
 */
export function repoResources(root: string): RepoResource[] {
  const found: RepoResource[] = [];
  const add = (path: string, description: string): void => {
    const rel = relative(root, path).split("\\").join("/");
    const mimeType = path.endsWith(".md") ? "text/markdown" : path.endsWith(".json") ? "application/json" : "text/plain";
    found.push({ uri: `synod://${rel}`, path, mimeType, description });
  };
  const specs = join(root, "specs");
  for (const folder of existsSync(specs) ? readdirSync(specs).sort() : []) {
    const dir = join(specs, folder);
    if (folder === "runner" || folder.startsWith(".") || !statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) if (SPEC_FILE.test(file)) add(join(dir, file), `TLA+ spec folder ${folder}: ${file}`);
  }
  for (const parent of ["packages", "simulator", "specs/runner"]) {
    const base = join(root, parent);
    if (existsSync(join(base, "README.md"))) add(join(base, "README.md"), `${parent} README`);
    if (parent !== "packages" || !existsSync(base)) continue;
    for (const pkg of readdirSync(base).sort()) {
      const readme = join(base, pkg, "README.md");
      if (existsSync(readme)) add(readme, `@synod/${pkg} README`);
    }
  }
  return found;
}

/** Register every {@link repoResources} file as a read-only resource. */
export function registerResources(server: McpServer, root: string): void {
  for (const resource of repoResources(root)) {
    server.registerResource(resource.uri.slice("synod://".length), resource.uri, { description: resource.description, mimeType: resource.mimeType }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: resource.mimeType, text: readFileSync(resource.path, "utf8") }],
    }));
  }
}

import { existsSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ToolError } from "./tool-error.js";

/**
 * Resolve a client-supplied path inside the repository. Symbolic links are followed before the check,
 * so a link inside the repository that points outside it is refused too.
 * @param root - the repository root (absolute)
 * @param path - relative to the root (absolute paths are accepted only when they are inside it)
 * @returns the absolute, real path
 * @throws {ToolError} "outside-repository" when it leaves the root, "not-found" when it does not exist
 */
export function confinedPath(root: string, path: string): string {
  const realRoot = realpathSync(root);
  const wanted = resolve(realRoot, path);
  if (!isInside(realRoot, wanted)) throw new ToolError("outside-repository", `${path} is outside the repository ${realRoot}; give a path inside it`);
  if (!existsSync(wanted)) throw new ToolError("not-found", `${path} does not exist in the repository`);
  const real = realpathSync(wanted);
  if (!isInside(realRoot, real)) throw new ToolError("outside-repository", `${path} resolves (through a link) to ${real}, outside the repository`);
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

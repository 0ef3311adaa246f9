import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Where a mutant's snippet occurs. */
export interface AnchorHit {
  /** File path relative to the root. */
  readonly file: string;
  /** Character offset of the snippet in the file. */
  readonly offset: number;
}

const SOURCE = /\.(ts|tla|cfg|mjs)$/;

function sourceFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (SOURCE.test(name)) out.push(path);
  }
  return out;
}

/**
 * Every occurrence of `snippet` in the source files under `root/pkg` (tests excluded by the caller
 * choosing `src` folders).
 */
export function findAnchor(root: string, pkg: string, snippet: string): AnchorHit[] {
  if (snippet.length === 0) throw new Error("empty snippet");
  const hits: AnchorHit[] = [];
  for (const path of sourceFiles(join(root, pkg), [])) {
    const text = readFileSync(path, "utf8");
    for (let at = text.indexOf(snippet); at >= 0; at = text.indexOf(snippet, at + 1)) hits.push({ file: relative(root, path), offset: at });
  }
  return hits;
}

/**
 * @returns the file's text with the snippet at `offset` replaced
 * @throws when the snippet is not at `offset`
 */
export function replaceAt(text: string, offset: number, snippet: string, replacement: string): string {
  if (text.slice(offset, offset + snippet.length) !== snippet) throw new Error(`snippet not at offset ${offset}`);
  return text.slice(0, offset) + replacement + text.slice(offset + snippet.length);
}

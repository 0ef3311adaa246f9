import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The top-level operator definitions of a spec folder's modules, found by their layout: a
 * definition starts at column 0 with `Name ==` or `Name(args) ==` and runs until the next line
 * that starts at column 0 (every spec here indents its bodies). Used to show a violated
 * property's definition and to pin what a model checks.
 */
export interface Definition {
  readonly name: string;
  /** The module file, e.g. `Raft.tla`. */
  readonly file: string;
  /** 1-based line of `Name ==`. */
  readonly line: number;
  /** The definition as written, comment lines at its end trimmed. */
  readonly text: string;
}

const START = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\([^)]*\))?\s*==/;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The modules of a folder that `module` reaches through EXTENDS and INSTANCE (itself included):
 * a folder may hold two specs that define the same names (specs/pbft's `PBFT.tla` and
 * `PBFTMac.tla` both define `Agreement`), and a model reads only its own.
 * @param dir - the spec folder
 * @param module - the model's module file, e.g. `MCRaft.tla`
 * @returns file names, sorted
 */
export function modulesReached(dir: string, module: string): string[] {
  const reached = new Set<string>();
  const queue = [module];
  while (queue.length > 0) {
    const file = queue.shift() ?? "";
    if (reached.has(file) || !existsSync(join(dir, file))) continue;
    reached.add(file);
    const text = readFileSync(join(dir, file), "utf8")
      .replace(/\(\*[\s\S]*?\*\)/g, " ")
      .replace(/\\\*.*$/gm, " ");
    for (const m of text.matchAll(/\bEXTENDS\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/g)) {
      for (const name of (m[1] ?? "").split(",")) queue.push(`${name.trim()}.tla`);
    }
    for (const m of text.matchAll(/\bINSTANCE\s+([A-Za-z_]\w*)/g)) queue.push(`${m[1] ?? ""}.tla`);
  }
  return [...reached].sort();
}

/**
 * Read every top-level definition of the `.tla` files of a folder (with `module`: of the modules
 * it reaches, {@link modulesReached}).
 * @param dir - the spec folder
 * @param module - the model's module file; undefined: every module of the folder
 * @returns name → its definitions (a name may be defined in more than one module of the folder)
 */
export function readDefinitions(dir: string, module?: string): Map<string, Definition[]> {
  const result = new Map<string, Definition[]>();
  const all = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".tla")).sort() : [];
  const files = module === undefined ? all : modulesReached(dir, module);
  for (const file of files) {
    const lines = readFileSync(join(dir, file), "utf8").split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const name = START.exec(lines[i] ?? "")?.[1];
      if (name === undefined) continue;
      let end = i + 1;
      while (end < lines.length && !/^\S/.test(lines[end] ?? "")) end++;
      const body = lines.slice(i, end);
      while (body.length > 1 && /^\s*(\\\*.*)?$/.test(body.at(-1) ?? "")) body.pop();
      const definition = { name, file, line: i + 1, text: body.join("\n") };
      result.set(name, [...(result.get(name) ?? []), definition]);
    }
  }
  return result;
}

/** The definition's text without comments and with whitespace collapsed: what it means, not how it is laid out. */
export function normalizedDefinition(text: string): string {
  return text
    .replace(/\(\*[\s\S]*?\*\)/g, " ")
    .replace(/\\\*.*$/gm, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * The definitions a set of names depends on, themselves included, followed through every
 * identifier of their bodies that is defined in the folder.
 * @param names - e.g. the invariants and properties of a cfg
 * @param definitions - from {@link readDefinitions}
 * @returns the closure, sorted by name, then file
 */
export function definitionClosure(names: readonly string[], definitions: ReadonlyMap<string, readonly Definition[]>): Definition[] {
  const seen = new Set<string>();
  const queue = [...names];
  const result: Definition[] = [];
  while (queue.length > 0) {
    const name = queue.shift() ?? "";
    if (seen.has(name)) continue;
    seen.add(name);
    for (const definition of definitions.get(name) ?? []) {
      result.push(definition);
      for (const ident of normalizedDefinition(definition.text).match(IDENT) ?? []) if (!seen.has(ident) && definitions.has(ident)) queue.push(ident);
    }
  }
  return result.sort((a, b) => (a.name === b.name ? a.file.localeCompare(b.file) : a.name < b.name ? -1 : 1));
}

/**
 * The pin of what a model checks: a short hash of the checked names (invariants and properties,
 * in cfg order) and of the definitions they depend on, comments and layout ignored. Rewriting a
 * property as `TRUE \/ …` keeps the state counts but changes this hash.
 * @param checked - the cfg's invariants and properties
 * @param dir - the spec folder
 * @param module - the model's module file (its definitions are those of the modules it reaches); undefined: the whole folder
 * @returns 12 hex digits
 */
export function propertiesHash(
  checked: { readonly invariants: readonly string[]; readonly properties: readonly string[] },
  dir: string,
  module?: string,
): string {
  const definitions = readDefinitions(dir, module);
  const hash = createHash("sha256");
  hash.update(`INVARIANTS ${checked.invariants.join(" ")}\nPROPERTIES ${checked.properties.join(" ")}\n`);
  for (const definition of definitionClosure([...checked.invariants, ...checked.properties], definitions)) {
    hash.update(`${definition.name} ${normalizedDefinition(definition.text)}\n`);
  }
  return hash.digest("hex").slice(0, 12);
}

/**
 * The row of `properties.md` that documents a property (its TypeScript twin and tests): the first
 * table row whose first cell names it in backquotes.
 * @param dir - the spec folder
 * @param property - e.g. `ElectionSafety`
 * @returns `{ line, text }` or undefined
 */
export function propertiesRow(dir: string, property: string): { line: number; text: string } | undefined {
  const path = join(dir, "properties.md");
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith("|") && (l.split("|")[1] ?? "").includes(`\`${property}\``));
  return at < 0 ? undefined : { line: at + 1, text: lines[at] ?? "" };
}

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A check that must FAIL, listed in `specs/<protocol>/expected-failures.json`. Two kinds:
 * - `reachability`: the committed config with one "Never…" property (defined in the model module)
 *   in place of its invariants; TLC must violate it, which proves the model reaches that state
 *   (a leader, a commit, a restart…) and the invariants are not vacuously true;
 * - `broken-copy`: a copy of the spec folder with one deliberate bug planted by `edits`; TLC must
 *   report the named property violated, which proves the property catches that bug.
 */
export interface ExpectedFailure {
  /** Unique within the folder, e.g. `figure8-commit-by-counting`. */
  readonly name: string;
  readonly kind: "reachability" | "broken-copy";
  /** The committed config the check starts from, e.g. `MCRaft.cfg`. */
  readonly config: string;
  /** One sentence: what the bug is, or what state must be reachable. */
  readonly why: string;
  /** The property TLC must report violated. */
  readonly mustViolate: string;
  /** Exact text replacements in the copy (broken-copy): each `find` must occur exactly once in `file`. */
  readonly edits: readonly { readonly file: string; readonly find: string; readonly replace: string }[];
  /** When set, the cfg's INVARIANT(S)/PROPERTY(IES) sections are replaced by these invariants… */
  readonly invariants?: readonly string[];
  /** …and these temporal or action properties. */
  readonly properties?: readonly string[];
  /** Constant overrides in the cfg's CONSTANTS section, e.g. `{ "MaxTerm": "4" }`. */
  readonly constants?: Readonly<Record<string, string>>;
  /** Too slow for the default run: checked only with `pnpm specs --deep`. */
  readonly deep: boolean;
}

/** The expected-failures file of one spec folder is malformed. */
export class ExpectedFailuresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpectedFailuresError";
  }
}

/** The file name read in every spec folder. */
export const EXPECTED_FAILURES_FILE = "expected-failures.json";

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function stringField(entry: Record<string, unknown>, key: string, where: string): string {
  const value = entry[key];
  if (typeof value !== "string" || value === "") throw new ExpectedFailuresError(`${where}: "${key}" must be a non-empty string`);
  return value;
}

function identList(entry: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !IDENT.test(v))) {
    throw new ExpectedFailuresError(`${where}: "${key}" must be a list of TLA+ identifiers`);
  }
  return value as string[];
}

function parseEntry(raw: unknown, index: number, file: string): ExpectedFailure {
  const where = `${file} check #${index + 1}`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ExpectedFailuresError(`${where}: must be an object`);
  const entry = raw as Record<string, unknown>;
  const name = stringField(entry, "name", where);
  if (!NAME.test(name)) throw new ExpectedFailuresError(`${where}: name "${name}" must be lowercase letters, digits and dashes`);
  const at = `${file} "${name}"`;
  const kind = entry["kind"];
  if (kind !== "reachability" && kind !== "broken-copy") throw new ExpectedFailuresError(`${at}: "kind" must be "reachability" or "broken-copy"`);
  const config = stringField(entry, "config", at);
  if (!config.endsWith(".cfg") || config.includes("/")) throw new ExpectedFailuresError(`${at}: "config" must be a .cfg file name of the folder`);
  const mustViolate = stringField(entry, "mustViolate", at);
  if (!IDENT.test(mustViolate)) throw new ExpectedFailuresError(`${at}: "mustViolate" must be a TLA+ identifier`);
  const rawEdits = entry["edits"] ?? [];
  if (!Array.isArray(rawEdits)) throw new ExpectedFailuresError(`${at}: "edits" must be a list`);
  const edits = rawEdits.map((e: unknown, i) => {
    if (typeof e !== "object" || e === null) throw new ExpectedFailuresError(`${at}: edit #${i + 1} must be an object`);
    const edit = e as Record<string, unknown>;
    const file = stringField(edit, "file", `${at} edit #${i + 1}`);
    if (file.includes("/") || !file.endsWith(".tla")) throw new ExpectedFailuresError(`${at}: edit #${i + 1} must name a .tla file of the folder`);
    const replace = edit["replace"];
    if (typeof replace !== "string") throw new ExpectedFailuresError(`${at}: edit #${i + 1} needs a "replace" string`);
    return { file, find: stringField(edit, "find", `${at} edit #${i + 1}`), replace };
  });
  if (kind === "broken-copy" && edits.length === 0) throw new ExpectedFailuresError(`${at}: a broken copy needs at least one edit`);
  if (kind === "reachability" && edits.length > 0) throw new ExpectedFailuresError(`${at}: a reachability check must not edit the spec`);
  const constantsRaw = entry["constants"];
  let constants: Record<string, string> | undefined;
  if (constantsRaw !== undefined) {
    if (typeof constantsRaw !== "object" || constantsRaw === null || Array.isArray(constantsRaw)) {
      throw new ExpectedFailuresError(`${at}: "constants" must be an object`);
    }
    constants = {};
    for (const [key, value] of Object.entries(constantsRaw)) {
      if (!IDENT.test(key) || typeof value !== "string") throw new ExpectedFailuresError(`${at}: constant ${key} must map to a string value`);
      constants[key] = value;
    }
  }
  const invariants = identList(entry, "invariants", at);
  const properties = identList(entry, "properties", at);
  if (kind === "reachability" && invariants === undefined && properties === undefined) {
    throw new ExpectedFailuresError(`${at}: a reachability check names its "Never…" property in "invariants" or "properties"`);
  }
  const deep = entry["deep"] ?? false;
  if (typeof deep !== "boolean") throw new ExpectedFailuresError(`${at}: "deep" must be true or false`);
  return {
    name, kind, config, why: stringField(entry, "why", at), mustViolate, edits, deep,
    ...(invariants ? { invariants } : {}), ...(properties ? { properties } : {}), ...(constants ? { constants } : {}),
  };
}

/**
 * Read `expected-failures.json` of a spec folder.
 * @param dir - the spec folder
 * @returns its checks in file order (none when the file is absent)
 * @throws {ExpectedFailuresError} when the file is not valid JSON or an entry is malformed or duplicated
 */
export function readExpectedFailures(dir: string): ExpectedFailure[] {
  const path = join(dir, EXPECTED_FAILURES_FILE);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ExpectedFailuresError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const checks = (parsed as { checks?: unknown } | null)?.checks;
  if (!Array.isArray(checks)) throw new ExpectedFailuresError(`${path}: must be an object with a "checks" list`);
  const result = checks.map((c, i) => parseEntry(c, i, path));
  const seen = new Set<string>();
  for (const check of result) {
    if (seen.has(check.name)) throw new ExpectedFailuresError(`${path}: two checks are named "${check.name}"`);
    seen.add(check.name);
  }
  return result;
}

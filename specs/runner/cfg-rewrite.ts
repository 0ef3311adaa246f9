/**
 * Rewriting a TLC model config (`.cfg`) for a derived check: replace what it checks, override
 * constants. The cfg grammar is line-oriented enough for this: a section starts with a keyword at
 * the start of a line and runs to the next keyword.
 */

const KEYWORDS =
  /^(CONSTANTS?|INIT|NEXT|SPECIFICATION|INVARIANTS?|PROPERTY|PROPERTIES|CONSTRAINTS?|ACTION_CONSTRAINTS?|SYMMETRY|VIEW|CHECK_DEADLOCK|POSTCONDITIONS?|ALIAS)\b/;
const CHECKED = /^(INVARIANTS?|PROPERTY|PROPERTIES)$/;

/** What to change in a cfg. */
export interface CfgChanges {
  /** Replace every INVARIANT(S) and PROPERTY(IES) section by these invariants… */
  readonly invariants?: readonly string[];
  /** …and these properties (given together with or without invariants: both sections are replaced). */
  readonly properties?: readonly string[];
  /** `Name = value` lines to change in the CONSTANTS section; each name must be there. */
  readonly constants?: Readonly<Record<string, string>>;
}

interface Section {
  readonly keyword: string | undefined;
  readonly lines: string[];
}

function sections(cfg: string): Section[] {
  const result: Section[] = [{ keyword: undefined, lines: [] }];
  for (const line of cfg.split(/\r?\n/)) {
    const keyword = KEYWORDS.exec(line)?.[1];
    if (keyword !== undefined) result.push({ keyword, lines: [line] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
}

/**
 * The names a cfg checks, from its INVARIANT(S) and PROPERTY(IES) sections.
 * @param cfg - the cfg text
 * @returns invariants and properties in the order written (comments dropped)
 */
export function checkedNames(cfg: string): { invariants: string[]; properties: string[] } {
  const invariants: string[] = [];
  const properties: string[] = [];
  for (const section of sections(cfg)) {
    if (section.keyword === undefined || !CHECKED.test(section.keyword)) continue;
    const body = section.lines.map((l) => l.replace(/\\\*.*$/, "")).join(" ").replace(KEYWORDS, " ");
    const names = body.split(/\s+/).filter((n) => n !== "" && !KEYWORDS.test(n));
    (section.keyword.startsWith("INVARIANT") ? invariants : properties).push(...names);
  }
  return { invariants, properties };
}

/**
 * Apply changes to a cfg.
 * @param cfg - the committed cfg text
 * @param changes - checked names and constant overrides
 * @returns the new cfg text
 * @throws {Error} when a constant to override is not in the cfg
 */
export function rewriteCfg(cfg: string, changes: CfgChanges): string {
  const replaceChecks = changes.invariants !== undefined || changes.properties !== undefined;
  const out: string[] = [];
  const pending = new Map(Object.entries(changes.constants ?? {}));
  for (const section of sections(cfg)) {
    if (replaceChecks && section.keyword !== undefined && CHECKED.test(section.keyword)) continue;
    if (section.keyword?.startsWith("CONSTANT")) {
      for (const line of section.lines) {
        const match = /^(\s*(?:CONSTANTS?\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*(?:=|<-)\s*).*$/.exec(line);
        const name = match?.[2];
        if (match && name !== undefined && pending.has(name)) {
          out.push(`${match[1] ?? ""}${name}${match[3] ?? " = "}${pending.get(name) ?? ""}`);
          pending.delete(name);
        } else out.push(line);
      }
      continue;
    }
    out.push(...section.lines);
  }
  if (pending.size > 0) throw new Error(`the cfg has no constant ${[...pending.keys()].join(", ")} to override`);
  if (replaceChecks) {
    if ((changes.invariants ?? []).length > 0) out.push("", "INVARIANTS", ...(changes.invariants ?? []).map((n) => `    ${n}`));
    if ((changes.properties ?? []).length > 0) out.push("", "PROPERTIES", ...(changes.properties ?? []).map((n) => `    ${n}`));
  }
  return `${out.join("\n").trimEnd()}\n`;
}

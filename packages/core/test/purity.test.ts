import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The rule of every protocol package: its `src` is pure — no `node:` modules, no clock, no global
 * randomness, no timers, no promises. Randomness comes from the injected `Rng`, time from ticks;
 * drivers (the simulator, a runtime) do the I/O. Every package under `packages/` is held to it
 * (a package added later too), except those listed here with the reason.
 */
const EXEMPT: Readonly<Record<string, string>> = {
  lincheck: "a checker, not a protocol: its search has a wall-clock timeout and its CLI reads files",
  mcp: "a tool server for agents: it starts TLC and simulator processes and reads the repository",
  runtime: "the driver that does the I/O (disk, TCP, TLS, timers) for the pure protocol nodes",
};
/** Files of a checked package that may be impure, with the reason. */
const EXEMPT_FILES: Readonly<Record<string, string>> = {
  "security/src/node.ts": "the node:crypto provider, the one impure file of @synod/security (its own purity test checks that nothing pure imports it)",
};

/** What a pure source must not contain (outside comments and string literals). */
const IMPURE: ReadonlyArray<readonly [string, RegExp]> = [
  // A node: specifier survives codeOnly as "node:", right after `from` or `import(`.
  ["a node: import", /\bfrom\s*"node:"|\bimport\s*\(\s*"node:"|\brequire\s*\(/],
  ["Date.now / new Date", /\bDate\s*\.\s*now\b|\bnew\s+Date\b/],
  ["Math.random", /\bMath\s*\.\s*random\b/],
  ["a timer", /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b|\bperformance\s*\.\s*now\b/],
  ["a promise", /\bPromise\b|\basync\b|\bawait\b/],
  ["process / Buffer", /\bprocess\s*\.|\bBuffer\b/],
];

const ROOT = join(import.meta.dirname, "..", "..", "..");

/**
 * @returns the code of a TypeScript source with comments removed and every string literal replaced
 *   by a placeholder that keeps only a `node:` specifier visible (`"node:"`), so that words in
 *   strings and comments are not mistaken for code; template literal `${…}` parts stay code
 */
function codeOnly(source: string): string {
  let out = "";
  const templateDepth: number[] = []; // brace depth at which each open `${` returns to its template
  let braces = 0;
  let i = 0;
  const readString = (quote: string): void => {
    let text = "";
    i++;
    while (i < source.length && source[i] !== quote) {
      if (source[i] === "\\") i++;
      text += source[i] ?? "";
      i++;
    }
    i++;
    out += text.startsWith("node:") ? `"node:"` : `""`;
  };
  const readTemplate = (): void => {
    // From just after a backtick or a closing `}` of `${`: up to the closing backtick or a `${`.
    while (i < source.length && source[i] !== "`") {
      if (source[i] === "\\") i++;
      else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        templateDepth.push(braces);
        out += "(";
        return;
      }
      i++;
    }
    i++;
    out += "``";
  };
  while (i < source.length) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'") {
      readString(c);
    } else if (c === "`") {
      i++;
      readTemplate();
    } else if (c === "}" && templateDepth.length > 0 && templateDepth[templateDepth.length - 1] === braces) {
      templateDepth.pop();
      out += ")";
      i++;
      readTemplate();
    } else {
      if (c === "{") braces++;
      else if (c === "}") braces--;
      out += c;
      i++;
    }
  }
  return out;
}

/** @returns what impure constructs `source` uses, by name */
function impurities(source: string): string[] {
  const code = codeOnly(source);
  return IMPURE.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const packages = readdirSync(join(ROOT, "packages")).filter((name) => existsSync(join(ROOT, "packages", name, "src")) && !(name in EXEMPT));
const files = packages.flatMap((name) => sourceFiles(join(ROOT, "packages", name, "src")).map((path) => relative(join(ROOT, "packages"), path)));

describe("purity: protocol packages' src use no node: modules, clocks, global randomness, timers or promises", () => {
  it("covers the protocol packages", () => {
    expect(packages).toEqual(expect.arrayContaining(["core", "crdt", "gossip", "pbft", "quorum", "raft", "security"]));
  });

  it.each(files.filter((file) => !(file in EXEMPT_FILES)))("%s is pure", (file) => {
    expect(impurities(readFileSync(join(ROOT, "packages", file), "utf8"))).toEqual([]);
  });

  it("the exempt files exist (an exemption for a file that is gone is dropped)", () => {
    for (const file of Object.keys(EXEMPT_FILES)) expect(existsSync(join(ROOT, "packages", file))).toBe(true);
  });
});

describe("the purity check itself", () => {
  it("finds each impure construct in code", () => {
    expect(impurities(`import { readFileSync } from "node:fs";`)).toEqual(["a node: import"]);
    expect(impurities(`const fs = await import('node:fs');`)).toEqual(["a node: import", "a promise"]);
    expect(impurities(`const t = Date.now();`)).toEqual(["Date.now / new Date"]);
    expect(impurities(`const d = new Date();`)).toEqual(["Date.now / new Date"]);
    expect(impurities(`if (Math.random() < 0.5) x++;`)).toEqual(["Math.random"]);
    expect(impurities(`setTimeout(() => tick(), 10);`)).toEqual(["a timer"]);
    expect(impurities(`async function f() {}`)).toEqual(["a promise"]);
    expect(impurities("const s = `at ${Date.now()}`;")).toEqual(["Date.now / new Date"]);
    expect(impurities(`const p: Promise<void> = x;`)).toEqual(["a promise"]);
    expect(impurities(`process.exit(1);`)).toEqual(["process / Buffer"]);
  });

  it("ignores comments and string literals", () => {
    expect(impurities(`// Date.now() is forbidden\n/* Math.random, setTimeout */\nconst x = 1;`)).toEqual([]);
    expect(impurities(`const reason = "entries await commit; retry later, see Promise docs";`)).toEqual([]);
    expect(impurities("const s = `no async ${name} here`; const t = { a: `${x}` };")).toEqual([]);
    expect(impurities(`import { s } from "./schema.js"; const url = "node:fs is not imported";`)).toEqual([]);
  });
});

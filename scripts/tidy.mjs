#!/usr/bin/env node
// The tidy step of the check gate (`pnpm tidy`): a ratchet on function length and line length over
// the non-test TypeScript of the workspace (packages/*/src, simulator/src, specs/runner, bench).
//
// - A function (declaration, method, constructor, accessor, function expression or arrow function)
//   is at most MAX_FUNCTION_LINES lines, signature to closing brace; one longer than that must be
//   in the baseline and may not grow beyond its recorded length (it may only shrink).
// - A line is at most MAX_LINE_LENGTH characters; a file's count of longer lines may not grow
//   beyond its recorded count.
//
// Functions are keyed by file and qualified name (`Class.method`, `variable`, `outer/<arrow 2>`).
// `node scripts/tidy.mjs --update` rewrites the baseline from the current tree: run it to record a
// shrink, or after a change that only moved code (the baseline's diff shows what moved). Exit 1 on
// any violation, with one line each.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const MAX_FUNCTION_LINES = 70;
const MAX_LINE_LENGTH = 160;
const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const baselineFile = join(root, "scripts", "tidy-baseline.json");
const ROOTS = ["packages", "simulator/src", "specs/runner", "bench"];
const SKIP_DIRS = new Set(["node_modules", "test", "dist", "results"]);

/** @returns the .ts files under `dir` (tests and build output skipped; under packages/, only src) */
function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (SKIP_DIRS.has(name)) return [];
      if (relative(root, dir) === "packages") return existsSync(join(path, "src")) ? sourceFiles(join(path, "src")) : [];
      return sourceFiles(path);
    }
    return name.endsWith(".ts") && !name.endsWith(".d.ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** @returns the name a function node goes by, for the baseline */
function nameOf(node, parentName, ordinal) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name && (ts.isStringLiteral(node.name) || ts.isPrivateIdentifier(node.name))) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && (ts.isIdentifier(parent.name) || ts.isStringLiteral(parent.name))) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return `${parentName ? `${parentName}/` : ""}<${ts.isArrowFunction(node) ? "arrow" : "function"} ${ordinal}>`;
}

/** @returns every function of a file with its qualified name and length in lines */
function functionsOf(path, text) {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const visit = (node, scope) => {
    let next = scope;
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) next = node.name ? node.name.text : `${scope}/<class>`;
    const isFunction = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node);
    if (isFunction && node.body) {
      const anonymous = (found.filter((f) => f.scope === scope).length + 1).toString();
      const own = nameOf(node, scope, anonymous);
      const name = scope && !own.startsWith(`${scope}/`) ? `${scope}.${own}` : own;
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name, scope, lines: end - start + 1, line: start + 1 });
      next = name;
    }
    ts.forEachChild(node, (child) => visit(child, next));
  };
  visit(source, "");
  // Two functions of one name in one file (overload bodies, same-named arrows) are told apart by order.
  const seen = new Map();
  for (const f of found) {
    const k = (seen.get(f.name) ?? 0) + 1;
    seen.set(f.name, k);
    if (k > 1) f.name = `${f.name}#${k}`;
  }
  return found;
}

/** @returns the tree's over-limit functions and long-line counts */
function measure() {
  const functions = {};
  const longLines = {};
  const where = {};
  for (const dir of ROOTS) {
    for (const path of sourceFiles(join(root, dir))) {
      const file = relative(root, path).split("\\").join("/");
      const text = readFileSync(path, "utf8");
      for (const f of functionsOf(path, text)) {
        if (f.lines <= MAX_FUNCTION_LINES) continue;
        functions[`${file}::${f.name}`] = f.lines;
        where[`${file}::${f.name}`] = `${file}:${f.line}`;
      }
      const long = text.split("\n").filter((line) => line.length > MAX_LINE_LENGTH).length;
      if (long > 0) longLines[file] = long;
    }
  }
  return { functions, longLines, where };
}

const current = measure();
if (process.argv.includes("--update")) {
  const sorted = (record) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(baselineFile, `${JSON.stringify({ maxFunctionLines: MAX_FUNCTION_LINES, maxLineLength: MAX_LINE_LENGTH, functions: sorted(current.functions), longLines: sorted(current.longLines) }, null, 2)}\n`);
  console.log(`tidy: baseline written: ${Object.keys(current.functions).length} functions over ${MAX_FUNCTION_LINES} lines, ${Object.keys(current.longLines).length} files with lines over ${MAX_LINE_LENGTH} characters`);
  process.exit(0);
}

const baseline = JSON.parse(readFileSync(baselineFile, "utf8"));
const problems = [];
let shrunk = 0;
for (const [key, lines] of Object.entries(current.functions)) {
  const allowed = baseline.functions[key];
  if (allowed === undefined) problems.push(`${current.where[key]}: ${key.split("::")[1]} is ${lines} lines (at most ${MAX_FUNCTION_LINES}: split it by concern)`);
  else if (lines > allowed) problems.push(`${current.where[key]}: ${key.split("::")[1]} grew to ${lines} lines (baseline ${allowed}; a long function may only shrink)`);
  else if (lines < allowed) shrunk++;
}
for (const [file, count] of Object.entries(current.longLines)) {
  const allowed = baseline.longLines[file] ?? 0;
  if (count > allowed) problems.push(`${file}: ${count} lines over ${MAX_LINE_LENGTH} characters (baseline ${allowed}; the count may only shrink)`);
}
for (const problem of problems) console.log(`tidy: ${problem}`);
const note = shrunk > 0 ? ` (${shrunk} long functions shrank: \`node scripts/tidy.mjs --update\` records it)` : "";
const totals = `${Object.keys(current.functions).length} functions over ${MAX_FUNCTION_LINES} lines, ${Object.values(current.longLines).reduce((a, b) => a + b, 0)} lines over ${MAX_LINE_LENGTH} characters`;
console.log(problems.length === 0 ? `tidy: ok (${totals}, none beyond the baseline)${note}` : `tidy: ${problems.length} problems (above); ${totals}`);
process.exit(problems.length === 0 ? 0 : 1);

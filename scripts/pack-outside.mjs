#!/usr/bin/env node
// Use synod the way someone outside the monorepo does: build every published package's dist/,
// pack each into a tarball (`pnpm pack`, which turns workspace:* into versions), install the
// tarballs with npm into a scratch app in a temporary directory, type-check the examples there
// (strict, moduleResolution nodenext: what a consumer's tsc sees through `exports` and `types`)
// and run them with plain node. Needs the npm registry for the third-party dependencies.
// Usage: node scripts/pack-outside.mjs [DIR]   (default: a fresh temporary directory, removed at the end)
// Prints one line per stage and ends with `pack-outside: ok` (exit 0) or the failing stage (exit 1).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Published packages in dependency order (mcp is private: a server, not a library). */
export const PUBLISHED = ["core", "quorum", "viz", "raft", "chain", "crdt", "security", "gossip", "lincheck", "pbft", "runtime"];
const EXAMPLES = join(root, "examples", "in-memory", "src");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
// pnpm runs this (pnpm check / pnpm exec): npm_execpath is then pnpm's own entry point.
const pnpm = process.env.npm_execpath?.includes("pnpm") ? [process.execPath, process.env.npm_execpath] : ["pnpm"];

function run(stage, command, args, cwd) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`pack-outside: FAILED at ${stage} (${command} ${args.join(" ")} in ${cwd}, exit ${result.status ?? result.signal})\n`);
    process.stdout.write(`${result.stdout ?? ""}${result.stderr ?? ""}`.slice(-4000));
    process.exit(1);
  }
  process.stdout.write(`pack-outside: ${stage} (${seconds} s)\n`);
  return result.stdout;
}

const keep = process.argv[2] !== undefined;
const out = process.argv[2] ?? mkdtempSync(join(tmpdir(), "synod-outside-"));
const tarballs = join(out, "tarballs");
const app = join(out, "app");
mkdirSync(tarballs, { recursive: true });
mkdirSync(join(app, "src"), { recursive: true });
try {
  for (const name of PUBLISHED) {
    const dir = join(root, "packages", name);
    run(`build @synod/${name}`, process.execPath, [tsc, "-p", "tsconfig.build.json"], dir);
    run(`pack @synod/${name}`, pnpm[0], [...pnpm.slice(1), "pack", "--pack-destination", tarballs], dir);
  }
  const file = (name) => `file:../tarballs/synod-${name}-0.1.0.tgz`;
  const deps = Object.fromEntries(PUBLISHED.map((name) => [`@synod/${name}`, file(name)]));
  const manifest = {
    name: "synod-outside",
    private: true,
    type: "module",
    dependencies: { ...deps, "@types/node": "20.19.43" },
    // Transitive @synod dependencies resolve to the same tarballs, not to the registry.
    overrides: deps,
  };
  writeFileSync(join(app, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const tsconfig = {
    compilerOptions: { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", strict: true, outDir: "dist", rootDir: "src", types: ["node"], skipLibCheck: false },
    include: ["src"],
  };
  writeFileSync(join(app, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ts"));
  for (const f of examples) copyFileSync(join(EXAMPLES, f), join(app, "src", f));
  run("npm install of the tarballs", "npm", ["install", "--no-audit", "--no-fund"], app);
  run("type-check and compile the examples (nodenext, strict)", process.execPath, [tsc, "-p", "tsconfig.json"], app);
  for (const f of examples) {
    const output = run(`run ${f.replace(/\.ts$/, ".js")} with plain node`, process.execPath, [join("dist", f.replace(/\.ts$/, ".js"))], app);
    process.stdout.write(`${output.trimEnd().replace(/^/gm, "    ")}\n`);
  }
  process.stdout.write(`pack-outside: ok (${PUBLISHED.length} packages, ${examples.length} examples${keep ? `, in ${out}` : ""})\n`);
} finally {
  if (!keep) rmSync(out, { recursive: true, force: true });
}

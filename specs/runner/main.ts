/**
 * `pnpm specs [PROTOCOL...] [--no-full] [--workers N] [--json]` — SANY parse, smoke simulation and
 * full TLC model check of every `specs/<protocol>/MC*.cfg`. See run-specs.ts and specs/runner/README.md.
 */
import { fileURLToPath } from "node:url";
import { installInterruptCleanup } from "./interrupt-cleanup.js";
import { runSpecs } from "./run-specs.js";

installInterruptCleanup((line) => process.stderr.write(`${line}\n`));
const specsRoot = fileURLToPath(new URL("..", import.meta.url));
process.exitCode = await runSpecs({
  argv: process.argv.slice(2),
  env: process.env,
  specsRoot,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});

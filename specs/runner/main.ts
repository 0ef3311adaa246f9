/**
 * `pnpm specs [PROTOCOL...] [--no-full] [--workers N] [--json]` — SANY parse, smoke simulation and
 * full TLC model check of every `specs/<protocol>/MC*.cfg`. See run-specs.ts and specs/runner/README.md.
 * `pnpm specs validate raft|crdt|pbft|chain|gossip [...]` — trace validation of simulated runs (validate/run-validate.ts).
 */
import { fileURLToPath } from "node:url";
import { installInterruptCleanup } from "./interrupt-cleanup.js";
import { runSpecs } from "./run-specs.js";
import { runValidate } from "./validate/run-validate.js";

installInterruptCleanup((line) => process.stderr.write(`${line}\n`));
const specsRoot = fileURLToPath(new URL("..", import.meta.url));
const argv = process.argv.slice(2).filter((a) => a !== "--");
const io = {
  argv: argv[0] === "validate" ? argv.slice(1) : argv,
  env: process.env,
  specsRoot,
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};
process.exitCode = argv[0] === "validate" ? await runValidate(io) : await runSpecs(io);

import { join } from "node:path";
import { findAnchor, replaceAt } from "./anchor.js";
import { CATALOGUE } from "./catalogue.js";
import { Scratch } from "./scratch.js";

/**
 * `tsx mutants/src/apply.ts MUTANT_ID`: a scratch copy of the repository with one mutant of the
 * catalogue applied, left in place for a person to look at the bug (for example with
 * `pnpm sim raft --seed S --faults all --report bug.html` inside it). Prints the copy's path on stdout;
 * exit 2 for an unknown id or a snippet not found exactly once.
 */
function main(argv: readonly string[]): number {
  const id = argv[0];
  const mutant = CATALOGUE.find((m) => m.id === id);
  if (argv.length !== 1 || mutant === undefined) {
    process.stderr.write(`usage: tsx mutants/src/apply.ts MUTANT_ID (one of: ${CATALOGUE.map((m) => m.id).join(", ")})\n`);
    return 2;
  }
  const root = join(import.meta.dirname, "..", "..");
  const hits = findAnchor(root, mutant.pkg, mutant.snippet);
  if (hits.length !== 1) {
    process.stderr.write(`${id}: its snippet occurs ${hits.length} times under ${mutant.pkg} (must be exactly once)\n`);
    return 2;
  }
  const hit = hits[0] as (typeof hits)[number];
  const scratch = new Scratch(root);
  scratch.write(hit.file, replaceAt(scratch.read(hit.file), hit.offset, mutant.snippet, mutant.replacement));
  process.stderr.write(`${id} applied to ${hit.file} in a scratch copy: ${mutant.description}\n`);
  process.stdout.write(`${scratch.root}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));

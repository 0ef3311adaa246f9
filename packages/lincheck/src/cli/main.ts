import { readFileSync, statSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { runCli } from "./run-cli.js";

/** `pnpm lincheck --format jepsen-etcd|jepsen-kv|synod FILE...`: see run-cli.ts for the contract. */
process.exitCode = runCli(process.argv.slice(2), {
  readFile: (path) => readFileSync(path, "utf8"),
  fileSize: (path) => statSync(path).size,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  now: () => performance.now(),
  writeFile: (path, text) => writeFileSync(path, text),
});

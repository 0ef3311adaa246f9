#!/usr/bin/env node
/**
 * Run a synod node as a Maelstrom node over stdin/stdout:
 *   maelstrom test -w lin-kv --bin synod-maelstrom --node-count 3 --time-limit 20 --nemesis partition
 * where `synod-maelstrom` is a script running `node --import tsx --conditions=source packages/runtime/src/maelstrom/main.ts lin-kv`.
 * Workloads: lin-kv (Raft); g-counter, pn-counter, g-set and broadcast (CRDTs). Exit code 2: bad usage.
 */
import { createInterface } from "node:readline";
import { MaelstromCrdt, type CrdtWorkload } from "./maelstrom-crdt.js";
import type { MaelstromIo } from "./maelstrom-host.js";
import { MaelstromLinKv } from "./maelstrom-lin-kv.js";

const workload = process.argv[2] ?? "lin-kv";
const io: MaelstromIo = { write: (line) => process.stdout.write(`${line}\n`), log: (line) => process.stderr.write(`${line}\n`), tickMs: 10 };
const WORKLOADS = ["lin-kv", "g-counter", "pn-counter", "g-set", "broadcast"] as const;
if (!(WORKLOADS as readonly string[]).includes(workload)) {
  process.stderr.write(`synod-maelstrom: unsupported workload ${workload} (supported: ${WORKLOADS.join(", ")})\n`);
  process.exit(2);
}
const node = workload === "lin-kv" ? new MaelstromLinKv(io) : new MaelstromCrdt(io, workload as CrdtWorkload);
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => node.handleLine(line));
lines.on("close", () => {
  node.stop();
  process.exit(0);
});

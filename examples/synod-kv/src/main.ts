#!/usr/bin/env node
/**
 * The synod-kv command:
 *   synod-kv serve --config cluster.json --id n1      run one node
 *   synod-kv cluster [--nodes 3] [--dir .synod-kv] [--base-port 7100] [--plaintext]
 *                                                     start a local cluster (one process per node) and print how to reach it
 * Exit codes: 0 clean stop, 1 the node failed (e.g. its WAL), 2 bad usage.
 */
import { SynodError } from "@synod/core";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { httpUrl, parseClusterConfig } from "./cluster-config.js";
import { KvServer } from "./kv-server.js";
import { writeLocalCluster } from "./local-cluster.js";

const USAGE = `usage: synod-kv serve --config FILE --id ID
       synod-kv cluster [--protocol raft|pbft] [--nodes N] [--dir DIR] [--base-port PORT] [--plaintext]`;

const HELP = `synod-kv: a replicated key-value service on synod's Raft (HTTP API: GET/PUT/DELETE /kv/KEY, POST /kv/KEY/cas, /health, /metrics)

${USAGE}

commands:
  serve     run one node of the cluster a cluster file describes
              --config FILE   the cluster file (nodes, security, certDir, dataDir, tickMs)
              --id ID         which of its nodes this process is
  cluster   write a local cluster (certificates bound to per-node Ed25519 keys, cluster.json) and
            start one process per node on loopback; Ctrl-C stops them, the data stays
              --protocol P    raft (default) or pbft (Byzantine faults; 3f+1 nodes tolerate f; TLS only)
              --nodes N       1–9 (default 3 for raft, 4 for pbft)
              --dir DIR       where the cluster file, certificates and data go (default .synod-kv)
              --base-port P   peers listen on P+1…, HTTP on P+101… (default 7100)
              --plaintext     no TLS (asked for by name only)

exit codes: 0 clean stop, 1 the node failed (e.g. its WAL), 2 bad usage`;

function usage(message: string): never {
  process.stderr.write(`synod-kv: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { config: { type: "string" }, id: { type: "string" } }, strict: true });
  if (values.config === undefined || values.id === undefined) usage("serve needs --config and --id");
  const file = resolve(values.config);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    usage(`cannot read ${file}: ${(cause as Error).message}`);
  }
  const config = parseClusterConfig(text, (dir) => resolve(dirname(file), dir));
  if (!config.nodes.has(values.id)) usage(`node ${values.id} is not in ${file} (nodes: ${[...config.nodes.keys()].join(", ")})`);
  const server = await KvServer.start(config, values.id, { onFatal: () => process.exit(1) });
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

async function cluster(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { protocol: { type: "string", default: "raft" }, nodes: { type: "string" }, dir: { type: "string", default: ".synod-kv" }, "base-port": { type: "string", default: "7100" }, plaintext: { type: "boolean", default: false } }, strict: true });
  const protocol = values.protocol;
  if (protocol !== "raft" && protocol !== "pbft") usage("--protocol must be raft or pbft");
  if (protocol === "pbft" && values.plaintext) usage("--protocol pbft needs TLS: its replicas sign with the nodes' certificate keys (drop --plaintext)");
  const nodes = Number(values.nodes ?? (protocol === "pbft" ? "4" : "3"));
  const basePort = Number(values["base-port"]);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) usage("--nodes must be an integer in [1, 9]");
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65000) usage("--base-port must be an integer in [1024, 65000]");
  const dir = resolve(values.dir);
  const { file, ids } = writeLocalCluster({ dir, nodes, basePort, protocol, security: values.plaintext ? "plaintext" : "tls" });
  const config = parseClusterConfig(readFileSync(file, "utf8"), (d) => resolve(dir, d));
  const self = fileURLToPath(import.meta.url);
  const children: ChildProcess[] = ids.map((id) =>
    spawn(process.execPath, [...process.execArgv, self, "serve", "--config", file, "--id", id], { stdio: ["ignore", "inherit", "inherit"] }),
  );
  const endpoints = ids.map((id) => httpUrl(config.nodes.get(id)?.http ?? { host: "?", port: 0 }));
  process.stderr.write(
    [
      `synod-kv: ${nodes} ${protocol} nodes (${values.plaintext ? "plaintext" : "mutual TLS 1.3"}), data and certificates in ${dir}`,
      ...ids.map((id, i) => `  ${id}: ${endpoints[i]}  (logs: JSON lines below)`),
      "try:",
      `  curl -s -X PUT ${endpoints[0]}/kv/greeting -d '{"value":"hello"}'   ${protocol === "raft" ? "# a follower answers 421 with the leader's URL" : "# any replica orders it (f+1 matching replies)"}`,
      `  curl -s ${endpoints[0]}/kv/greeting`,
      `  curl -s ${endpoints[0]}/health; curl -s ${endpoints[0]}/metrics`,
      "Ctrl-C stops the cluster (state persists in the data directory).",
      "",
    ].join("\n"),
  );
  const stopAll = (): void => {
    for (const child of children) child.kill("SIGTERM");
  };
  process.once("SIGINT", stopAll);
  process.once("SIGTERM", stopAll);
  await Promise.all(children.map((child) => new Promise((r) => child.once("exit", r))));
}

const [command, ...rest] = process.argv.slice(2);
if (command === "--help" || command === "-h" || command === "help" || rest.includes("--help") || rest.includes("-h")) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
try {
  if (command === "serve") await serve(rest);
  else if (command === "cluster") await cluster(rest);
  else usage(command === undefined ? "a command is needed" : `unknown command ${command}`);
} catch (error) {
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) usage(error.message);
  if (error instanceof SynodError && (error.code === "config" || error.code === "usage")) usage(error.message);
  process.stderr.write(`synod-kv: ${(error as Error).message}\n`);
  process.exit(1);
}

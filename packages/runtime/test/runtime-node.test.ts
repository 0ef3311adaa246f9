/** The driver: three Raft nodes in one process over mutual TLS, with real WALs, restarts and recovery. */
import { encodeKvCommand, KvStateMachine, type KvReply, type RaftNode, type RaftOutput } from "@synod/raft";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { raftProtocol } from "../src/raft-protocol.js";
import { RuntimeNode } from "../src/runtime-node.js";
import { generateClusterCertificates } from "../src/tls/cluster-certificates.js";
import type { Address, TlsMaterial } from "../src/transport/transport-options.js";

const root = mkdtempSync(join(tmpdir(), "synod-runtime-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ids = ["n1", "n2", "n3"];
const certs = generateClusterCertificates(join(root, "certs"), ids);
const protocol = raftProtocol({ createStateMachine: () => new KvStateMachine(), config: { electionTimeoutTicks: 10, heartbeatTicks: 2 } });
type Node = RuntimeNode<RaftNode<KvReply>, unknown, unknown, RaftOutput<KvReply>, unknown>;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Free loopback ports: listen on port 0, note the port, close. */
async function freePorts(n: number): Promise<number[]> {
  const { createServer } = await import("node:net");
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    ports.push((server.address() as { port: number }).port);
    await new Promise<void>((r) => server.close(() => r()));
  }
  return ports;
}

describe("RuntimeNode (Raft over mutual TLS, real WAL)", () => {
  it("elects a leader, commits writes on every node, and a restarted node recovers them from its WAL", async () => {
    const ports = await freePorts(3);
    const addresses = new Map<string, Address>(ids.map((id, i) => [id, { host: "127.0.0.1", port: ports[i] as number }]));
    const applied = new Map<string, string[]>(ids.map((id) => [id, []]));
    const start = (id: string): Promise<Node> =>
      RuntimeNode.start({
        id,
        members: ids,
        protocol,
        dataDir: join(root, id),
        tickMs: 10,
        listen: addresses.get(id) as Address,
        peers: new Map([...addresses].filter(([peer]) => peer !== id)),
        security: { mode: "tls", tls: certs.get(id) as TlsMaterial },
        logger: pino({ level: "silent" }),
        seed: 7,
        onOutput: (o) => {
          if (o.type === "apply" && o.result !== undefined) applied.get(id)?.push(`${o.entry.index}:${o.result.seq}`);
        },
      }) as Promise<Node>;
    const nodes = new Map<string, Node>();
    for (const id of ids) nodes.set(id, await start(id));
    const leader = (): Node | undefined => [...nodes.values()].find((n) => n.node.role === "leader");
    await until(() => leader() !== undefined, "a leader");
    for (let seq = 1; seq <= 20; seq++) leader()?.request({ type: "propose", data: encodeKvCommand({ client: 1, seq, op: { type: "put", key: "k", value: String(seq) } }), tag: seq });
    await until(() => ids.every((id) => (applied.get(id)?.length ?? 0) >= 20), "20 applied entries on every node");
    const before = applied.get("n2")?.slice();
    expect(applied.get("n1")).toEqual(before);
    expect(applied.get("n3")).toEqual(before);
    const metrics = await (nodes.get("n2") as Node).metrics.text();
    expect(metrics).toMatch(/synod_wal_fsyncs_total\{node="n2",protocol="raft"\} [1-9]/);
    await (nodes.get("n2") as Node).stop();
    applied.set("n2", []);
    nodes.set("n2", await start("n2"));
    await until(() => (applied.get("n2")?.length ?? 0) >= 20, "n2 re-applying its log after the restart");
    expect(applied.get("n2")?.slice(0, 20)).toEqual(before);
    for (const n of nodes.values()) await n.stop();
  });

  it("a node whose WAL is corrupted in the middle raises an alarm and refuses to run", async () => {
    const dir = join(root, "corrupt");
    const ports = await freePorts(1);
    const outputs: RaftOutput<KvReply>[] = [];
    const startSolo = (): Promise<Node> =>
      RuntimeNode.start({
        id: "n1",
        members: ["n1"],
        protocol,
        dataDir: dir,
        tickMs: 5,
        listen: { host: "127.0.0.1", port: ports[0] as number },
        peers: new Map(),
        security: { mode: "plaintext" },
        logger: pino({ level: "silent" }),
        onOutput: (o) => outputs.push(o),
      }) as Promise<Node>;
    const solo = await startSolo();
    await until(() => solo.node.role === "leader", "the single node to lead");
    for (let seq = 1; seq <= 5; seq++) solo.request({ type: "propose", data: encodeKvCommand({ client: 1, seq, op: { type: "put", key: "k", value: String(seq) } }), tag: seq });
    await until(() => outputs.filter((o) => o.type === "apply").length >= 6, "5 writes applied");
    await solo.stop();
    const segment = join(dir, readdirSync(dir).find((n) => n.endsWith(".wal")) as string);
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(segment);
    bytes[40] = (bytes[40] as number) ^ 0xff; // inside the first records
    writeFileSync(segment, bytes);
    outputs.length = 0;
    const halted = await startSolo();
    await until(() => outputs.some((o) => o.type === "alarm"), "the alarm");
    expect(halted.node.halted).toBeDefined();
    await halted.stop();
  });
});

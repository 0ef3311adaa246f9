/**
 * Issue 15 item 4's workload: 600 puts of 16 KB values in a 3-node Raft in one process (every
 * message through the message codec, every durable record through the record codec, the leader
 * ticked every 10 puts), with a snapshot every INTERVAL applied entries (0: never). Prints one JSON
 * line: wall seconds, applied and snapshot indexes, snapshots taken and refused as too large,
 * alarms, MiB of records encoded. SM=concat uses a store whose snapshot is its values concatenated
 * (no codec of its own, as the issue's own state machine), else `KvStateMachine`. ROOT=<checkout>
 * runs another checkout's sources (the "before" of an A/B); the script only uses APIs both have.
 *
 * `pnpm exec tsx --conditions=source bench/ab/snapshot-large-values.mts [interval=50] [puts=600]`
 */
import { fileURLToPath } from "node:url";

const root = process.env.ROOT ?? fileURLToPath(new URL("../..", import.meta.url));
const raft = await import(`${root}/packages/raft/src/index.ts`);
const core = await import(`${root}/packages/core/src/index.ts`);
const interval = Number(process.argv[2] ?? 50);
const puts = Number(process.argv[3] ?? 600);

/** A store whose snapshot is its values concatenated. */
class ConcatStore {
  values: Uint8Array[] = [];
  apply(e: { data: Uint8Array }): undefined {
    this.values.push(e.data);
    return undefined;
  }
  read(): undefined {
    return undefined;
  }
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.values.reduce((n, v) => n + v.length, 0));
    let at = 0;
    for (const v of this.values) {
      out.set(v, at);
      at += v.length;
    }
    return out;
  }
  restore(bytes: Uint8Array): void {
    this.values = [bytes];
  }
}

type Node = { request(i: unknown): Step; receiveBytes(from: string, b: Uint8Array): Step; tick(): Step; appliedIndex: number; snapshotIndex: number; metrics: Record<string, number> };
type Step = { persist: unknown[]; send: { from: string; to: string; message: unknown }[]; output: { type: string }[] };

const ids = ["n1", "n2", "n3"];
const nodes = new Map<string, Node>();
for (const id of ids) {
  const stateMachine = process.env.SM === "concat" ? new ConcatStore() : new raft.KvStateMachine();
  const ctx = { id, members: ids, rng: core.createRng(ids.indexOf(id) + 1), recovered: core.FRESH_STATE };
  nodes.set(id, new raft.RaftNode({ ctx, stateMachine, config: { snapshotIntervalEntries: interval } }));
}
const node = (id: string): Node => nodes.get(id) as Node;
const queue: { from: string; to: string; bytes: Uint8Array }[] = [];
let recordBytes = 0;
let alarms = 0;
function obey(step: Step): void {
  for (const r of step.persist) recordBytes += raft.raftRecordCodec.encode(r).length;
  for (const e of step.send) queue.push({ from: e.from, to: e.to, bytes: raft.raftMessageCodec.encode(e.message) });
  for (const o of step.output) if (o.type === "alarm") alarms++;
}
function drain(): void {
  for (let m = queue.shift(); m !== undefined; m = queue.shift()) obey(node(m.to).receiveBytes(m.from, m.bytes));
}

const start = performance.now();
obey(node("n1").request({ type: "campaign" }));
drain();
const value = "x".repeat(16 * 1024 - 8);
for (let i = 0; i < puts; i++) {
  obey(node("n1").request({ type: "propose", data: raft.encodeKvCommand({ client: 1, seq: i + 1, op: { type: "put", key: `key-${i}`, value } }), tag: i + 1 }));
  drain();
  if (i % 10 === 0) {
    for (const id of ids) obey(node(id).tick());
    drain();
  }
}
const seconds = (performance.now() - start) / 1000;
const each = (f: (n: Node) => number): number[] => ids.map((id) => f(node(id)));
console.log(
  JSON.stringify({
    root,
    sm: process.env.SM ?? "kv",
    interval,
    puts,
    seconds: Math.round(seconds * 100) / 100,
    applied: each((n) => n.appliedIndex),
    snapshotIndex: each((n) => n.snapshotIndex),
    snapshotsTaken: each((n) => n.metrics.snapshotsTaken as number),
    tooLarge: each((n) => n.metrics.snapshotsTooLarge as number),
    alarms,
    recordMiB: Math.round((recordBytes / 2 ** 20) * 10) / 10,
  }),
);

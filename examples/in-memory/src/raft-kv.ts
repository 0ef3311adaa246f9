// A three-node Raft key-value store in one process: the nodes are pure state machines, and this
// file is their driver — a tiny in-memory loop that keeps each node's durable records in an array,
// delivers messages in order, and ticks every node. Writes go through the log; the read is a
// linearizable ReadIndex read. Run: pnpm example:raft-kv (or plain node once the packages are built).
import { createRng, FRESH_STATE, type Envelope, type NodeId, type RecoveredState } from "@synod/core";
import {
  encodeKvCommand,
  encodeKvQuery,
  KvStateMachine,
  raftMessageCodec,
  RaftNode,
  type KvOp,
  type KvReply,
  type RaftMessage,
  type RaftOutput,
  type RaftRecord,
} from "@synod/raft";

type Step = ReturnType<RaftNode<KvReply>["tick"]>;
const ids: NodeId[] = ["n1", "n2", "n3"];
const disks = new Map<NodeId, RaftRecord[]>(ids.map((id) => [id, []]));
const inFlight: Envelope<RaftMessage>[] = [];
const answers = new Map<number, RaftOutput<KvReply>>();

function start(id: NodeId, recovered: RecoveredState<RaftRecord>): RaftNode<KvReply> {
  const rng = createRng(42).fork(id);
  return new RaftNode<KvReply>({ ctx: { id, members: ids, rng, recovered }, stateMachine: new KvStateMachine(), config: { electionTimeoutTicks: 10, heartbeatTicks: 1 } });
}
const nodes = new Map(ids.map((id) => [id, start(id, FRESH_STATE)]));

/** Obey a step in the contract's order: persist (the "disk" is an array here), then send, then output. */
function obey(id: NodeId, step: Step): void {
  const disk = disks.get(id)!;
  if (step.compact) disk.length = 0;
  disk.push(...step.persist);
  inFlight.push(...step.send);
  for (const out of step.output) {
    if (out.type === "role" && out.role === "leader") console.log(`${id} is the leader of term ${out.term}`);
    if (out.type === "read" || out.type === "refused") answers.set(out.tag, out);
    if (out.type === "apply" && out.result !== undefined && id === leader()) answers.set(out.result.seq, out);
  }
}

function leader(): NodeId | undefined {
  return ids.find((id) => nodes.get(id)!.role === "leader");
}

/** One round of the loop: deliver what is in flight, then tick everyone. */
function round(): void {
  // On a real network the message travels as bytes: encode it, and let the receiver decode and validate it.
  for (const { from, to, message } of inFlight.splice(0)) obey(to, nodes.get(to)!.receiveBytes(from, raftMessageCodec.encode(message)));
  for (const id of ids) obey(id, nodes.get(id)!.tick());
}

function runUntil(done: () => boolean, what: string): void {
  for (let i = 0; i < 1_000; i++) {
    if (done()) return;
    round();
  }
  throw new Error(`gave up waiting for ${what}`);
}

let seq = 0;
/** Propose a KV operation at the leader and wait until the leader applies it. */
function write(op: KvOp): KvReply {
  const tag = ++seq;
  const at = leader()!;
  obey(at, nodes.get(at)!.request({ type: "propose", data: encodeKvCommand({ client: 1, seq: tag, op }), tag }));
  runUntil(() => answers.has(tag), `the write ${JSON.stringify(op)}`);
  const out = answers.get(tag)!;
  if (out.type !== "apply" || out.result === undefined) throw new Error(`write refused: ${JSON.stringify(out)}`);
  return out.result;
}

/** A linearizable read at the leader (ReadIndex: confirmed by a quorum's heartbeat answers). */
function read(key: string): KvReply {
  const tag = ++seq;
  const at = leader()!;
  obey(at, nodes.get(at)!.request({ type: "read", query: encodeKvQuery(key), tag }));
  runUntil(() => answers.has(tag), `the read of ${key}`);
  const out = answers.get(tag)!;
  if (out.type !== "read") throw new Error(`read refused: ${JSON.stringify(out)}`);
  return out.result;
}

runUntil(() => leader() !== undefined, "a leader");
console.log("put x=1:", JSON.stringify(write({ type: "put", key: "x", value: "1" }).result));
console.log("cas x 1→2:", JSON.stringify(write({ type: "cas", key: "x", expected: "1", value: "2" }).result));
console.log("read x:", JSON.stringify(read("x").result));

// Crash the leader: drop its in-memory state, restart it from its durable records only.
const old = leader()!;
nodes.set(old, start(old, { records: disks.get(old)!, corrupted: 0, tornTail: false }));
console.log(`${old} crashed and restarted from ${disks.get(old)!.length} durable records`);
runUntil(() => leader() !== undefined, "a leader after the restart");
const after = read("x").result;
console.log("read x after the restart:", JSON.stringify(after));
if (after.value !== "2") throw new Error(`expected x = "2" after the restart, read ${JSON.stringify(after)}`);

import { createRng, encodeUnchecked, FRESH_STATE, frameRecord, readDurableLog, type Envelope, type NodeId, type RecoveredState, type Step } from "@synod/core";
import { describe, expect, it } from "vitest";
import type { Entry } from "../src/entry.js";
import type { RaftOutput } from "../src/io.js";
import { MAX_RECORD_BYTES, MAX_SNAPSHOT_ATTEMPTS, MAX_SNAPSHOT_BYTES, SNAPSHOT_CHUNK_BYTES, SNAPSHOT_RECORD_CHUNK_BYTES } from "../src/limits.js";
import { raftMessageCodec, type RaftMessage } from "../src/messages.js";
import { snapshotRecords } from "../src/persistence.js";
import { RaftNode } from "../src/raft-node.js";
import { raftRecordCodec } from "../src/record-codec.js";
import type { RaftRecord } from "../src/records.js";
import type { StateMachine } from "../src/state-machine.js";

/**
 * A state machine whose state is one large blob (made once, never mutated) plus a count of applied
 * entries: its snapshot is the blob, so a test can make a snapshot of hundreds of MiB cheaply.
 */
class BlobStateMachine implements StateMachine<undefined> {
  applied = 0;
  constructor(public blob: Uint8Array) {}
  apply(_entry: Entry & { readonly type: "normal" }): undefined {
    this.applied++;
    return undefined;
  }
  read(): undefined {
    return undefined;
  }
  snapshot(): Uint8Array {
    return this.blob;
  }
  restore(snapshot: Uint8Array): void {
    this.blob = snapshot;
  }
}

/** @returns `size` bytes of a pattern that differs in every 1 MiB chunk (a misplaced chunk shows) */
function patterned(size: number): Uint8Array {
  const blob = new Uint8Array(size);
  const row = new Uint8Array(1 << 16);
  for (let i = 0; i < row.length; i++) row[i] = (i * 31 + (i >> 8)) & 0xff;
  for (let at = 0, k = 0; at < size; at += row.length, k++) {
    blob.set(row.subarray(0, Math.min(row.length, size - at)), at);
    blob[at] = k & 0xff;
    blob[Math.min(size - 1, at + 1)] = (k >> 8) & 0xff;
  }
  return blob;
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * Three RaftNodes wired by hand: every message goes through the wire codec (so each must fit a
 * message), every record through the record codec (so each must fit a record); the durable log of
 * the nodes in `durable` is kept as framed records, as a driver keeps it, for restarts (framing
 * checksums every byte: the others skip it).
 */
class Wire {
  readonly nodes = new Map<NodeId, RaftNode<undefined>>();
  readonly machines = new Map<NodeId, BlobStateMachine>();
  readonly disks = new Map<NodeId, Uint8Array[]>();
  readonly queue: Envelope<Uint8Array>[] = [];
  readonly down = new Set<NodeId>();
  /** Called on each snapshot chunk in transit: "drop", "dup" or "pass". */
  chunkFault: (m: Extract<RaftMessage, { type: "snapshot" }>) => "drop" | "dup" | "pass" = () => "pass";
  largestMessage = 0;
  largestRecord = 0;
  outputs: RaftOutput<undefined>[] = [];
  readonly durable = new Set<NodeId>();

  constructor(
    readonly ids: NodeId[],
    private readonly blob: () => Uint8Array,
    private readonly config: object,
  ) {
    for (const id of ids) this.start(id, FRESH_STATE);
  }

  start(id: NodeId, recovered: RecoveredState<RaftRecord>): RaftNode<undefined> {
    const sm = new BlobStateMachine(this.blob());
    const node = new RaftNode({ ctx: { id, members: this.ids, rng: createRng(ids(id)), recovered }, stateMachine: sm, config: this.config });
    this.nodes.set(id, node);
    this.machines.set(id, sm);
    if (!this.disks.has(id)) this.disks.set(id, []);
    return node;
  }

  /** Restart `id` from its framed records. */
  restart(id: NodeId): RaftNode<undefined> {
    return this.start(id, readDurableLog(this.disks.get(id) ?? [], raftRecordCodec));
  }

  obey(id: NodeId, step: Step<RaftMessage, RaftOutput<undefined>, RaftRecord>): void {
    const frames = step.persist.map((record) => {
      const bytes = raftRecordCodec.encode(record);
      this.largestRecord = Math.max(this.largestRecord, bytes.length);
      return this.durable.has(id) ? frameRecord(bytes) : bytes;
    });
    if (step.compact === true) this.disks.set(id, frames);
    else this.disks.get(id)?.push(...frames);
    for (const env of step.send) {
      const bytes = raftMessageCodec.encode(env.message);
      this.largestMessage = Math.max(this.largestMessage, bytes.length);
      const fault = env.message.type === "snapshot" ? this.chunkFault(env.message) : "pass";
      if (fault === "drop") continue;
      this.queue.push({ from: env.from, to: env.to, message: bytes });
      if (fault === "dup") this.queue.push({ from: env.from, to: env.to, message: bytes });
    }
    this.outputs.push(...step.output);
  }

  tick(id: NodeId): void {
    this.obey(id, this.node(id).tick());
  }

  request(id: NodeId, input: Parameters<RaftNode<undefined>["request"]>[0]): void {
    this.obey(id, this.node(id).request(input));
  }

  /** Deliver queued messages until none is left (to a node down or cut off: lost). */
  deliverAll(): void {
    for (let n = 0; this.queue.length > 0; n++) {
      if (n > 1_000_000) throw new Error("no quiescence");
      const env = this.queue.shift() as Envelope<Uint8Array>;
      if (this.down.has(env.to) || this.down.has(env.from)) continue;
      this.obey(env.to, this.node(env.to).receiveBytes(env.from, env.message));
    }
  }

  node(id: NodeId): RaftNode<undefined> {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node ${id}`);
    return node;
  }
}

const ids = (id: NodeId): number => Number(id.slice(1));

/**
 * n1 leads n1..n3; n3 is cut off while `entries` entries commit and the others snapshot; then n3
 * comes back and is caught up by snapshot. @returns the wire, after `ticks` leader ticks at most
 */
function lagBehindThenCatchUp(wire: Wire, entries: number, maxTicks: number): void {
  wire.request("n1", { type: "campaign" });
  wire.deliverAll();
  wire.down.add("n3");
  for (let i = 0; i < entries; i++) {
    wire.request("n1", { type: "propose", data: new Uint8Array([i & 0xff]), tag: i + 1 });
    wire.deliverAll();
  }
  expect(wire.node("n1").snapshotIndex).toBeGreaterThan(wire.node("n3").lastIndex);
  wire.down.delete("n3");
  for (let t = 0; t < maxTicks && wire.node("n3").appliedIndex < wire.node("n1").appliedIndex; t++) {
    wire.tick("n1");
    wire.deliverAll();
  }
}

describe("chunked snapshots end to end", () => {
  // 64 MiB by default (about 7 s here: the message codec and the records' CRC-32 cost ~30–60 MB/s
  // each); SNAPSHOT_TEST_MIB=200 runs the "hundreds of MiB" (about 15 s, 1.5 GiB peak memory).
  const mib = Number(process.env.SNAPSHOT_TEST_MIB ?? 64);
  it(`a state machine of ${mib} MiB: sent in 1 MiB chunks (one lost, one duplicated), stored in 8 MiB chunk records, installed, and recovered after a restart`, () => {
    const size = mib << 20;
    const blob = patterned(size);
    const empty = new Uint8Array(0);
    const wire = new Wire(["n1", "n2", "n3"], () => empty, { snapshotIntervalEntries: 4, snapshotRetryTicks: 3 });
    // The state is the blob from the start on the leader and n2 (the same state: as if both had applied it).
    wire.machines.get("n1")!.blob = blob;
    wire.machines.get("n2")!.blob = blob;
    wire.durable.add("n3");
    const seen = new Map<number, number>();
    wire.chunkFault = (m) => {
      const times = (seen.get(m.offset) ?? 0) + 1;
      seen.set(m.offset, times);
      if (times === 1 && m.offset === 37 << 20) return "drop";
      if (times === 1 && m.offset === 50 << 20) return "dup";
      return "pass";
    };
    lagBehindThenCatchUp(wire, 6, 200);
    const n3 = wire.node("n3");
    expect([n3.snapshotIndex, n3.appliedIndex]).toEqual([wire.node("n1").snapshotIndex, wire.node("n1").appliedIndex]);
    expect(n3.metrics.snapshotsInstalled).toBe(1);
    expect(equalBytes(wire.machines.get("n3")!.blob, blob)).toBe(true);
    expect(seen.get(37 << 20)).toBe(2); // the lost chunk was sent again
    expect(seen.size).toBe(mib); // chunks of 1 MiB
    expect(wire.largestMessage).toBeLessThanOrEqual(raftMessageCodec.maxBytes);
    expect(wire.largestRecord).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(wire.largestRecord).toBeGreaterThanOrEqual(SNAPSHOT_RECORD_CHUNK_BYTES);
    // n3 restarts from its records: 25 chunk records then the snapshot record.
    const restarted = wire.restart("n3");
    expect(restarted.halted).toBeUndefined();
    expect(restarted.snapshotIndex).toBe(n3.snapshotIndex);
    expect(equalBytes(wire.machines.get("n3")!.blob, blob)).toBe(true);
  });

  it("a restart in the middle of a transfer loses the partial assembly, and the leader starts over from byte 0", () => {
    const blob = patterned(5000);
    const wire = new Wire(["n1", "n2", "n3"], () => new Uint8Array(0), { snapshotIntervalEntries: 4, snapshotChunkBytes: 500, snapshotRetryTicks: 3 });
    wire.machines.get("n1")!.blob = blob;
    wire.machines.get("n2")!.blob = blob;
    wire.durable.add("n3");
    let chunks = 0;
    wire.chunkFault = () => {
      // n3 crashes after its third chunk: every message in flight to it is lost, and it restarts from its records.
      if (++chunks === 4) {
        wire.down.add("n3");
        wire.restart("n3");
      }
      return "pass";
    };
    const ticks: number[] = [];
    wire.request("n1", { type: "campaign" });
    wire.deliverAll();
    wire.down.add("n3");
    for (let i = 0; i < 6; i++) {
      wire.request("n1", { type: "propose", data: new Uint8Array([i]), tag: i + 1 });
      wire.deliverAll();
    }
    wire.down.delete("n3");
    for (let t = 0; t < 100 && wire.node("n3").appliedIndex < wire.node("n1").appliedIndex; t++) {
      wire.tick("n1");
      wire.deliverAll();
      wire.down.delete("n3");
      ticks.push(t);
    }
    expect(wire.node("n3").appliedIndex).toBe(wire.node("n1").appliedIndex);
    expect(wire.node("n3").metrics.snapshotsInstalled).toBe(1);
    expect(equalBytes(wire.machines.get("n3")!.blob, blob)).toBe(true);
    expect(chunks).toBeGreaterThan(10); // the 10 chunks, and those sent again after the restart
  });
});

describe("malformed snapshot chunks from a peer", () => {
  it("are counted and dropped, whether the codec or the node refuses them, and never crash or change the node", () => {
    const node = new RaftNode({ ctx: { id: "n3", members: ["n1", "n2", "n3"], rng: createRng(3), recovered: FRESH_STATE }, stateMachine: new BlobStateMachine(new Uint8Array(0)) });
    const conf = { voters: ["n1", "n2", "n3"], outgoing: [], learners: [] };
    const chunk = (size: number, offset: number, data: Uint8Array, index = 5) => ({ type: "snapshot", term: 2, snapshot: { index, term: 1, conf, size }, offset, data });
    const bytes = [
      encodeUnchecked(chunk(MAX_SNAPSHOT_BYTES + 1, 0, new Uint8Array(4))), // a size above the limit
      encodeUnchecked(chunk(1 << 22, 0, new Uint8Array(SNAPSHOT_CHUNK_BYTES + 1))), // a chunk above the limit
      encodeUnchecked(chunk(100, MAX_SNAPSHOT_BYTES + 1, new Uint8Array(4))), // an offset above the limit
      encodeUnchecked({ type: "snapshotResponse", term: 2, index: 5, received: -1 }),
    ];
    for (const b of bytes) node.receiveBytes("n1", b);
    expect(node.metrics.rejected.malformed).toBe(4);
    const refusedByTheNode: RaftMessage[] = [
      chunk(100, 98, new Uint8Array(4)) as RaftMessage, // beyond the snapshot's size
      chunk(100, 120, new Uint8Array(0)) as RaftMessage, // an offset beyond the size
      chunk(100, 0, new Uint8Array(0)) as RaftMessage, // an empty chunk of a non-empty snapshot
      chunk(100, 0, new Uint8Array(4), 0) as RaftMessage, // index 0
    ];
    for (const m of refusedByTheNode) node.receive("n1", m);
    expect(node.metrics.rejected.malformed).toBe(8);
    node.receive("n1", chunk(100, 0, new Uint8Array(50)) as RaftMessage); // a good first chunk
    node.receive("n1", chunk(101, 50, new Uint8Array(50)) as RaftMessage); // the same snapshot with another size
    expect(node.metrics.rejected.malformed).toBe(9);
    expect([node.snapshotIndex, node.metrics.snapshotsInstalled, node.halted]).toEqual([0, 0, undefined]);
  });
});

describe("recovery of a chunked snapshot", () => {
  const conf = { voters: ["n1"], outgoing: [], learners: [] };
  const recover = (records: RaftRecord[], tornTail = false) => {
    const sm = new BlobStateMachine(new Uint8Array(0));
    const node = new RaftNode({ ctx: { id: "n1", members: ["n1"], rng: createRng(1), recovered: { records, corrupted: 0, tornTail } }, stateMachine: sm });
    return { node, sm };
  };
  const older = { index: 4, term: 1, conf, data: patterned(3 * SNAPSHOT_RECORD_CHUNK_BYTES - 7) };
  const newer = { index: 9, term: 2, conf, data: patterned(2 * SNAPSHOT_RECORD_CHUNK_BYTES + 5) };
  const hardState: RaftRecord = { type: "hardState", term: 2, vote: "n1", commit: 4 };

  it("reassembles the snapshot from its chunk records", () => {
    const { node, sm } = recover([...snapshotRecords(older), hardState]);
    expect(snapshotRecords(older).map((r) => r.type)).toEqual(["snapshotChunk", "snapshotChunk", "snapshotChunk", "snapshot"]);
    expect([node.halted, node.snapshotIndex]).toEqual([undefined, 4]);
    expect(equalBytes(sm.blob, older.data)).toBe(true);
  });

  it("ignores chunks that no snapshot record commits (a write cut short): the previous snapshot stays", () => {
    const torn = snapshotRecords(newer).slice(0, 2);
    const { node, sm } = recover([...snapshotRecords(older), hardState, ...torn], true);
    expect([node.halted, node.snapshotIndex]).toEqual([undefined, 4]);
    expect(equalBytes(sm.blob, older.data)).toBe(true);
  });

  it("halts on a snapshot record not preceded by all its chunks, or on chunks out of order", () => {
    const [first, second, third, header] = snapshotRecords(older) as [RaftRecord, RaftRecord, RaftRecord, RaftRecord];
    expect(recover([first, second, header]).node.halted).toMatch(/snapshot 1\/4 of \d+ bytes follows \d+ bytes/);
    expect(recover([first, third, second, header]).node.halted).toMatch(/does not follow the chunks before it/);
    expect(recover([second, third, header]).node.halted).toMatch(/does not follow/);
    expect(recover([...snapshotRecords(newer).slice(0, 2), header]).node.halted).toMatch(/follows 0 bytes/);
  });
});

describe("a snapshot over MAX_SNAPSHOT_BYTES", () => {
  it("raises a typed alarm, then stops trying after MAX_SNAPSHOT_ATTEMPTS (a second alarm), until a compact request", () => {
    // A view claiming more than MAX_SNAPSHOT_BYTES without allocating them: the node only reads its length.
    const huge = { length: MAX_SNAPSHOT_BYTES + 1 } as unknown as Uint8Array;
    let snapshots = 0;
    const sm = new BlobStateMachine(huge);
    const snapshot = sm.snapshot.bind(sm);
    sm.snapshot = () => (snapshots++, snapshot());
    const node = new RaftNode({ ctx: { id: "n1", members: ["n1"], rng: createRng(1), recovered: FRESH_STATE }, stateMachine: sm, config: { snapshotIntervalEntries: 1 } });
    const alarms: RaftOutput<undefined>[] = node.request({ type: "campaign" }).output.filter((o) => o.type === "alarm");
    for (let i = 0; i < 5000; i++) alarms.push(...node.request({ type: "propose", data: new Uint8Array([1]), tag: i }).output.filter((o) => o.type === "alarm"));
    expect(snapshots).toBe(MAX_SNAPSHOT_ATTEMPTS);
    expect(node.metrics.snapshotsTooLarge).toBe(MAX_SNAPSHOT_ATTEMPTS);
    expect(node.metrics.snapshotsStopped).toBe(1);
    expect(alarms.map((a) => a.type === "alarm" && a.limit)).toEqual([
      { name: "MAX_SNAPSHOT_BYTES", max: MAX_SNAPSHOT_BYTES, actual: MAX_SNAPSHOT_BYTES + 1, retrying: true },
      { name: "MAX_SNAPSHOT_BYTES", max: MAX_SNAPSHOT_BYTES, actual: MAX_SNAPSHOT_BYTES + 1, retrying: false },
    ]);
    node.request({ type: "compact" }); // an operator tries again
    expect(snapshots).toBe(MAX_SNAPSHOT_ATTEMPTS + 1);
    sm.blob = new Uint8Array(10);
    node.request({ type: "compact" });
    expect(node.snapshotIndex).toBe(node.appliedIndex);
    node.request({ type: "propose", data: new Uint8Array([1]), tag: 1 });
    expect(node.snapshotIndex).toBe(node.appliedIndex); // attempts follow the interval again
  });
});

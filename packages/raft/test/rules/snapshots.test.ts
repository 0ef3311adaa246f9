import { describe, expect, it } from "vitest";
import type { RaftMessage, SnapshotPayload } from "../../src/messages.js";
import { handleAppendResponse } from "../../src/rules/replication.js";
import { handleInstallSnapshot, handleSnapshotResponse, retrySnapshot, takeSnapshot } from "../../src/rules/snapshots.js";
import { appendEntries } from "../../src/rules/proposals.js";
import { maybeApply } from "../../src/rules/apply.js";
import { KvStateMachine } from "../../src/kv/kv-state-machine.js";
import { SnapshotAssembly } from "../../src/snapshot-assembly.js";
import { encodeKvCommand } from "../../src/kv/kv-command.js";
import { elect, raftState, sent } from "../support/state.js";

const conf = { voters: ["n1", "n2", "n3"], outgoing: [], learners: [] };
type Chunk = Extract<RaftMessage, { type: "snapshot" }>;

/** A snapshot of a KV store holding `keys` keys (its data are tens of bytes per key). */
function kvSnapshot(keys: number, index = 5): SnapshotPayload {
  const sm = new KvStateMachine();
  for (let k = 0; k < keys; k++) {
    sm.apply({ type: "normal", term: 1, index: k + 1, data: encodeKvCommand({ client: 1, seq: k + 1, op: { type: "put", key: `key-${k}`, value: "v".repeat(20) } }) });
  }
  return { index, term: 1, conf, data: sm.snapshot() };
}

/** @returns the chunks of `snap` of `bytes` each, as the leader of `term` sends them */
function chunksOf(snap: SnapshotPayload, bytes: number, term = 2): Chunk[] {
  const header = { index: snap.index, term: snap.term, conf: snap.conf, size: snap.data.length };
  const chunks: Chunk[] = [];
  for (let offset = 0; offset < snap.data.length; offset += bytes) {
    chunks.push({ type: "snapshot", term, snapshot: header, offset, data: snap.data.subarray(offset, offset + bytes) });
  }
  return chunks;
}

/** A follower of term 2 with an empty log. */
function follower(): ReturnType<typeof raftState> {
  const r = raftState({ id: "n3" });
  r.term = 2;
  return r;
}

const replies = (r: ReturnType<typeof raftState>): string[] =>
  sent(r).map((e) => (e.message.type === "snapshotResponse" ? `received ${e.message.received}` : e.message.type === "appendResponse" ? `installed ${e.message.index}` : e.message.type));

describe("snapshots", () => {
  it("taking one compacts the log up to the applied index and persists its data in chunk records, then the snapshot record that commits them, as one compaction", () => {
    const r = raftState({ members: ["n1"] });
    elect(r);
    maybeApply(r);
    r.out.finish();
    takeSnapshot(r);
    expect(r.log.snapshotIndex).toBe(1);
    expect(r.compactStep).toBe(true);
    expect(r.records.map((x) => x.type)).toEqual(["snapshotChunk", "snapshot"]);
    expect(r.records[1]?.type === "snapshot" && r.records[1].snapshot.size).toBe(r.log.snapshot.data.length);
  });

  it("a follower whose next entry is compacted away gets the snapshot in chunks, a window at a time, once it was heard from", () => {
    const r = elect(raftState({ config: { snapshotRetryTicks: 2, snapshotChunkBytes: 1, maxInflightMessages: 2 } }));
    handleAppendResponse(r, "n2", { type: "appendResponse", term: 1, index: 1, reject: false, hintIndex: 0, hintTerm: 0 });
    appendEntries(r, [{ type: "normal", data: encodeKvCommand({ client: 1, seq: 1, op: { type: "put", key: "a", value: "1" } }) }]);
    r.log.commitTo(2);
    maybeApply(r);
    takeSnapshot(r);
    sent(r);
    const size = r.log.snapshot.data.length;
    expect(size).toBeGreaterThan(4);
    const pr = r.progress.get("n3");
    if (pr === undefined) throw new Error("no progress for n3");
    pr.probeSent = false;
    pr.recentActive = true;
    pr.next = 1;
    retrySnapshot.call(r, pr, "n3"); // not in snapshot state: nothing
    handleAppendResponse(r, "n3", { type: "appendResponse", term: 1, index: 0, reject: true, hintIndex: 0, hintTerm: 0 });
    expect(pr.state).toBe("snapshot");
    // A window of two one-byte chunks (maxInflightMessages 2 < MAX_SNAPSHOT_CHUNKS_IN_FLIGHT).
    const offsets = (): number[] => sent(r).map((e) => (e.message.type === "snapshot" ? e.message.offset : -1));
    expect(offsets()).toEqual([0, 1]);
    handleSnapshotResponse(r, "n3", { type: "snapshotResponse", term: 1, index: 2, received: 1 });
    expect(offsets()).toEqual([2]);
    handleSnapshotResponse(r, "n3", { type: "snapshotResponse", term: 1, index: 2, received: 1 }); // a duplicate: no progress
    handleSnapshotResponse(r, "n3", { type: "snapshotResponse", term: 1, index: 7, received: 2 }); // another snapshot: ignored
    expect(offsets()).toEqual([]);
    retrySnapshot.call(r, pr, "n3");
    expect(offsets()).toEqual([]);
    retrySnapshot.call(r, pr, "n3"); // snapshotRetryTicks without progress: the unacknowledged chunks again
    expect(offsets()).toEqual([1, 2]);
    handleSnapshotResponse(r, "n3", { type: "snapshotResponse", term: 1, index: 2, received: 0 }); // the follower lost what it held (a restart)
    expect(offsets()).toEqual([0, 1]);
    handleSnapshotResponse(r, "n3", { type: "snapshotResponse", term: 1, index: 2, received: size + 1 });
    expect(r.metrics.rejected["out-of-range"]).toBe(1);
    handleAppendResponse(r, "n3", { type: "appendResponse", term: 1, index: 2, reject: false, hintIndex: 0, hintTerm: 0 });
    expect([pr.state, pr.match]).toEqual(["replicate", 2]);
  });

  it("a follower not heard from gets no chunks again: it is probed, as before", () => {
    const r = elect(raftState({ config: { snapshotRetryTicks: 1 } }));
    r.log.commitTo(1);
    maybeApply(r);
    takeSnapshot(r);
    const pr = r.progress.get("n3");
    if (pr === undefined) throw new Error("no progress for n3");
    pr.recentActive = true;
    pr.next = 1;
    pr.probeSent = false;
    handleAppendResponse(r, "n3", { type: "appendResponse", term: 1, index: 0, reject: true, hintIndex: 0, hintTerm: 0 });
    sent(r);
    pr.recentActive = false;
    retrySnapshot.call(r, pr, "n3");
    expect([pr.state, pr.next]).toEqual(["probe", 2]);
  });

  it("a follower assembles the chunks in order, ignores a duplicate, refuses a gap, and installs only the complete snapshot", () => {
    const r = follower();
    const snap = kvSnapshot(40);
    const chunks = chunksOf(snap, 256);
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    const [first, second, third, ...rest] = chunks as [Chunk, Chunk, Chunk, ...Chunk[]];
    handleInstallSnapshot(r, "n1", first);
    handleInstallSnapshot(r, "n1", first); // duplicate
    handleInstallSnapshot(r, "n1", third); // gap: second lost
    expect(replies(r)).toEqual(["received 256", "received 256", "received 256"]);
    expect([r.log.snapshotIndex, r.metrics.snapshotsInstalled]).toEqual([0, 0]);
    handleInstallSnapshot(r, "n1", second);
    handleInstallSnapshot(r, "n1", third);
    for (const chunk of rest.slice(0, -1)) handleInstallSnapshot(r, "n1", chunk);
    expect(r.metrics.snapshotsInstalled).toBe(0); // every chunk but the last: nothing installed
    sent(r);
    handleInstallSnapshot(r, "n1", rest[rest.length - 1] as Chunk);
    expect(replies(r)).toEqual(["installed 5"]);
    expect([r.log.snapshotIndex, r.log.committed, r.metrics.snapshotsInstalled]).toEqual([5, 5, 1]);
    expect([...r.log.snapshot.data]).toEqual([...snap.data]);
    expect(r.records.filter((x) => x.type === "snapshot").map((x) => x.type === "snapshot" && x.snapshot.size)).toEqual([snap.data.length]);
    handleInstallSnapshot(r, "n1", second); // a late duplicate of an installed snapshot: where we are
    expect(replies(r)).toEqual(["installed 5"]);
    r.snapshotAssembly = new SnapshotAssembly(4, 1, 100); // an abandoned transfer, now below the commit index
    handleInstallSnapshot(r, "n1", second);
    expect(r.snapshotAssembly).toBeUndefined();
  });

  it("a follower discards its assembly for a newer snapshot, or a new term, and answers a chunk of a transfer it does not hold with 0", () => {
    const r = follower();
    const older = chunksOf(kvSnapshot(20, 5), 128);
    const newer = chunksOf(kvSnapshot(20, 9), 128);
    handleInstallSnapshot(r, "n1", older[0] as Chunk);
    handleInstallSnapshot(r, "n1", newer[1] as Chunk); // not the start of the newer one: start over
    handleInstallSnapshot(r, "n1", newer[0] as Chunk);
    handleInstallSnapshot(r, "n1", older[1] as Chunk); // the older transfer was replaced
    expect(replies(r)).toEqual(["received 128", "received 0", "received 128", "received 0"]);
    expect(r.snapshotAssembly?.index).toBe(9);
    r.snapshotAssembly = undefined; // what a restart or a new term does (roles.ts)
    handleInstallSnapshot(r, "n1", newer[1] as Chunk);
    expect(replies(r)).toEqual(["received 0"]);
  });

  it("a chunk that contradicts its snapshot, or a snapshot the state machine cannot read, is malformed: counted and dropped", () => {
    const r = follower();
    const snap = kvSnapshot(20);
    const chunks = chunksOf(snap, 128);
    handleInstallSnapshot(r, "n1", chunks[0] as Chunk);
    const bigger = chunks[1] as Chunk;
    handleInstallSnapshot(r, "n1", { ...bigger, snapshot: { ...bigger.snapshot, size: bigger.snapshot.size + 1 } });
    expect(r.metrics.rejected.malformed).toBe(1);
    const garbage: Chunk = { type: "snapshot", term: 2, snapshot: { index: 3, term: 1, conf, size: 2 }, offset: 0, data: new Uint8Array([0xff, 0xff]) };
    handleInstallSnapshot(r, "n1", garbage);
    expect(r.metrics.rejected.malformed).toBe(2);
    expect([r.log.snapshotIndex, r.metrics.snapshotsInstalled]).toEqual([0, 0]);
  });

  it("a follower installs a one-chunk snapshot, and a second copy of it only answers where it is", () => {
    const r = follower();
    const leader = elect(raftState({ members: ["n1"] }));
    maybeApply(leader);
    takeSnapshot(leader);
    const good = chunksOf({ ...leader.log.snapshot, conf }, 1 << 20)[0] as Chunk;
    handleInstallSnapshot(r, "n1", good);
    expect([r.log.snapshotIndex, r.log.committed, r.metrics.snapshotsInstalled]).toEqual([1, 1, 1]);
    sent(r);
    handleInstallSnapshot(r, "n1", good);
    expect(sent(r).map((e) => e.message)).toEqual([{ type: "appendResponse", term: 2, index: 1, reject: false, hintIndex: 0, hintTerm: 0 }]);
    expect(r.metrics.snapshotsInstalled).toBe(1);
  });
});

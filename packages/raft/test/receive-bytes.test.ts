import { createRng, EncodeError, FRESH_STATE } from "@synod/core";
import { describe, expect, it } from "vitest";
import { KvStateMachine } from "../src/kv/kv-state-machine.js";
import { MAX_ENTRY_BYTES_WIRE, MAX_SNAPSHOT_BYTES, MAX_TERM, SNAPSHOT_RECORD_CHUNK_BYTES } from "../src/limits.js";
import { raftMessageCodec, type RaftMessage } from "../src/messages.js";
import { RaftNode } from "../src/raft-node.js";
import { raftRecordCodec } from "../src/record-codec.js";
import type { RaftRecord } from "../src/records.js";

function freshNode(): RaftNode<unknown> {
  return new RaftNode({ ctx: { id: "n1", members: ["n1", "n2", "n3"], rng: createRng(3), recovered: FRESH_STATE }, stateMachine: new KvStateMachine() });
}

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("receiveBytes: what drivers hand a node (decode and validate, then step)", () => {
  it("drops and counts bytes that are not a valid message, whatever their shape; never throws", () => {
    const node = freshNode();
    const bad: Uint8Array[] = [
      new Uint8Array([0xc0]), // msgpack nil
      new Uint8Array([0x93, 1, 2, 3]),
      new Uint8Array(0),
      new Uint8Array([0x82, 0xa4, 0x74, 0x79, 0x70, 0x65, 0xa1, 0x78, 0xa4, 0x74, 0x65, 0x72, 0x6d, 0x09]), // { type: "x", term: 9 }
    ];
    for (const bytes of bad) expect(node.receiveBytes("n2", bytes).send).toEqual([]);
    expect(node.metrics.rejected.malformed).toBe(bad.length);
    expect(node.term).toBe(0);
  });

  it("handles the bytes of a valid message as receive handles the message", () => {
    const node = freshNode();
    const step = node.receiveBytes("n2", raftMessageCodec.encode({ type: "heartbeat", term: 4, commit: 0, context: 1 }));
    expect(node.term).toBe(4);
    expect(node.leader).toBe("n2");
    expect(step.send.map((e) => e.message.type)).toEqual(["heartbeatResponse"]);
  });
});

describe("encode refuses what decode rejects (typed errors, never RangeError)", () => {
  it("the message codec refuses a term given as a string, Infinity, an unknown type, a term above MAX_TERM", () => {
    for (const message of [
      { type: "heartbeat", term: "7", commit: 0, context: 0 },
      { type: "heartbeat", term: Infinity, commit: 0, context: 0 },
      { type: "nonsense", term: 1 },
      { type: "timeoutNow", term: MAX_TERM + 1 },
    ]) {
      expect(thrownBy(() => raftMessageCodec.encode(message as unknown as RaftMessage))).toBeInstanceOf(EncodeError);
    }
  });

  it("the record codec refuses records its decoder would reject", () => {
    const conf = { voters: ["n1"], outgoing: [], learners: [] };
    for (const record of [
      { type: "hardState", term: MAX_TERM + 1, vote: null, commit: 0 },
      { type: "hardState", term: 2 ** 53, vote: null, commit: 0 },
      { type: "hardState", term: 1, vote: "", commit: 0 },
      { type: "entries", entries: [] },
      { type: "entries", entries: [{ type: "normal", term: 1, index: 0, data: new Uint8Array() }] },
      { type: "entries", entries: [{ type: "normal", term: 1, index: 1, data: new Uint8Array(MAX_ENTRY_BYTES_WIRE + 1) }] },
      { type: "snapshot", snapshot: { index: 1, term: 1, conf, size: MAX_SNAPSHOT_BYTES + 1 } },
      { type: "snapshot", snapshot: { index: 1, term: 1, conf } },
      { type: "snapshotChunk", index: 1, term: 1, offset: 0, data: new Uint8Array(0) },
      { type: "snapshotChunk", index: 1, term: 1, offset: 0, data: new Uint8Array(SNAPSHOT_RECORD_CHUNK_BYTES + 1) },
      { type: "snapshotChunk", index: 1, term: 1, offset: MAX_SNAPSHOT_BYTES + 1, data: new Uint8Array(1) },
      { type: "nonsense" },
    ]) {
      const error = thrownBy(() => raftRecordCodec.encode(record as unknown as RaftRecord));
      expect(error).toBeInstanceOf(EncodeError);
    }
  });
});

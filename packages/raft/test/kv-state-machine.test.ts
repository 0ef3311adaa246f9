import { DecodeError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { encodeKvCommand, encodeKvQuery, isDefiniteFailure, type KvOp } from "../src/kv/kv-command.js";
import { DEFAULT_KV_LIMITS, KvStateMachine, kvSnapshotBound } from "../src/kv/kv-state-machine.js";
import { MAX_SNAPSHOT_BYTES } from "../src/limits.js";

let index = 0;
function apply(kv: KvStateMachine, op: KvOp, client = 1, seq = ++index) {
  return kv.apply({ type: "normal", term: 1, index, data: encodeKvCommand({ client, seq, op }) }).result;
}

describe("KvStateMachine", () => {
  it("implements get / put / cas / delete with the lincheck result shapes", () => {
    const kv = new KvStateMachine();
    expect(apply(kv, { type: "get", key: "x" })).toEqual({ ok: true, value: null });
    expect(apply(kv, { type: "put", key: "x", value: "1" })).toEqual({ ok: true });
    // A failed compare says why, with the current value.
    expect(apply(kv, { type: "cas", key: "x", expected: "2", value: "3" })).toEqual({ ok: false, value: "1", reason: "cas-mismatch" });
    expect(apply(kv, { type: "cas", key: "absent", expected: "2", value: "3" })).toEqual({ ok: false, value: null, reason: "cas-missing" });
    expect(apply(kv, { type: "cas", key: "x", expected: "1", value: "3" })).toEqual({ ok: true });
    expect(apply(kv, { type: "cas", key: "y", expected: null, value: "7" })).toEqual({ ok: true });
    expect(apply(kv, { type: "cas", key: "y", expected: null, value: "8" })).toEqual({ ok: false, value: "7", reason: "cas-mismatch" });
    expect(kv.read(encodeKvQuery("x")).result).toEqual({ ok: true, value: "3" });
    expect(apply(kv, { type: "delete", key: "x" })).toEqual({ ok: true });
    expect(apply(kv, { type: "delete", key: "x" })).toEqual({ ok: false });
  });

  it("applies a retried command exactly once (client sessions)", () => {
    const kv = new KvStateMachine();
    expect(apply(kv, { type: "put", key: "c", value: "1" }, 9, 100)).toEqual({ ok: true });
    expect(apply(kv, { type: "cas", key: "c", expected: "1", value: "2" }, 9, 101)).toEqual({ ok: true });
    // The same (client, seq) again: the recorded result, no second swap.
    expect(apply(kv, { type: "cas", key: "c", expected: "1", value: "2" }, 9, 101)).toEqual({ ok: true });
    expect(kv.peek("c")).toBe("2");
    // An older sequence number is refused and changes nothing.
    // Its own outcome is unknown to the client (it applied earlier, its result is no longer held):
    // not a definite failure.
    const stale = apply(kv, { type: "put", key: "c", value: "old" }, 9, 100);
    expect(stale).toMatchObject({ ok: false, reason: "stale-session" });
    expect(isDefiniteFailure(stale)).toBe(false);
    expect(kv.peek("c")).toBe("2");
  });

  it("bounds keys and sessions", () => {
    const kv = new KvStateMachine({ maxKeys: 2, maxSessions: 2 });
    apply(kv, { type: "put", key: "a", value: "1" }, 1, 1);
    apply(kv, { type: "put", key: "b", value: "1" }, 2, 1);
    const full = apply(kv, { type: "put", key: "c", value: "1" }, 3, 1);
    expect(full).toMatchObject({ ok: false, reason: "store-full" });
    expect(full.error).toMatch(/full/);
    expect(isDefiniteFailure(full)).toBe(true);
    // client 1's session was evicted (least recently used): its seq 1 applies again as new.
    expect(apply(kv, { type: "put", key: "a", value: "2" }, 1, 1)).toEqual({ ok: true });
  });

  it("keeps sessions in recency order when the latest client's session is updated in place", () => {
    const kv = new KvStateMachine({ maxKeys: 10, maxSessions: 2 });
    apply(kv, { type: "put", key: "a", value: "1" }, 1, 1);
    apply(kv, { type: "put", key: "b", value: "1" }, 2, 1);
    apply(kv, { type: "put", key: "b", value: "2" }, 2, 2); // client 2 again: the most recent, updated in place
    apply(kv, { type: "put", key: "a", value: "2" }, 1, 2); // client 1 becomes the most recent
    apply(kv, { type: "put", key: "c", value: "1" }, 3, 1); // evicts client 2, the least recent
    expect(apply(kv, { type: "put", key: "a", value: "x" }, 1, 2)).toEqual({ ok: true }); // a retry: recorded, not applied
    expect(kv.peek("a")).toBe("2");
    expect(apply(kv, { type: "put", key: "b", value: "x" }, 2, 2)).toEqual({ ok: true }); // forgotten: applies as new
    expect(kv.peek("b")).toBe("x");
    // After a restore, the in-place path starts afresh and the order still holds.
    const copy = new KvStateMachine({ maxKeys: 10, maxSessions: 2 });
    copy.restore(kv.snapshot());
    expect(copy.apply({ type: "normal", term: 1, index: 99, data: encodeKvCommand({ client: 3, seq: 2, op: { type: "put", key: "c", value: "2" } }) }).result).toEqual({ ok: true });
    expect(copy.snapshot()).toEqual(
      (() => {
        kv.apply({ type: "normal", term: 1, index: 99, data: encodeKvCommand({ client: 3, seq: 2, op: { type: "put", key: "c", value: "2" } }) });
        return kv.snapshot();
      })(),
    );
  });

  it("round-trips snapshots and rejects a corrupt one without changing state", () => {
    const kv = new KvStateMachine();
    apply(kv, { type: "put", key: "k", value: "v" }, 5, 5);
    const snap = kv.snapshot();
    const copy = new KvStateMachine();
    copy.restore(snap);
    expect(copy.peek("k")).toBe("v");
    expect(apply(copy, { type: "put", key: "k", value: "w" }, 5, 5)).toEqual({ ok: true }); // session restored: duplicate
    expect(copy.peek("k")).toBe("v");
    expect(() => copy.restore(new Uint8Array([1, 2, 3]))).toThrow(DecodeError);
    expect(copy.peek("k")).toBe("v");
  });

  it("answers malformed commands with an error result", () => {
    const kv = new KvStateMachine();
    expect(kv.apply({ type: "normal", term: 1, index: 1, data: new Uint8Array([0xc1]) }).result.error).toMatch(/malformed/);
  });
});

describe("kvCommandCodec", () => {
  it("round-trips every operation shape, including non-ASCII text", async () => {
    const { kvCommandCodec } = await import("../src/kv/kv-command.js");
    const commands = [
      { client: 0, seq: 0, op: { type: "get" as const, key: "" } },
      { client: 3, seq: 2 ** 40, op: { type: "put" as const, key: "clé", value: "värde ✓" } },
      { client: 1, seq: 5, op: { type: "cas" as const, key: "x", expected: null, value: "1" } },
      { client: 1, seq: 6, op: { type: "cas" as const, key: "x", expected: "1", value: "2" } },
      { client: 9, seq: 7, op: { type: "delete" as const, key: "k".repeat(256) } },
    ];
    for (const command of commands) expect(kvCommandCodec.decode(kvCommandCodec.encode(command))).toEqual({ ok: true, value: command });
  });

  it("rejects truncated, oversized and malformed payloads without throwing", async () => {
    const { kvCommandCodec } = await import("../src/kv/kv-command.js");
    const good = kvCommandCodec.encode({ client: 1, seq: 1, op: { type: "put", key: "x", value: "1" } });
    for (let cut = 0; cut < good.length; cut++) expect(kvCommandCodec.decode(good.subarray(0, cut)).ok).toBe(false);
    const trailing = new Uint8Array([...good, 0]);
    expect(kvCommandCodec.decode(trailing).ok).toBe(false);
    const badOp = good.slice();
    badOp[1] = 9;
    expect(kvCommandCodec.decode(badOp).ok).toBe(false);
    const badClient = good.slice();
    new DataView(badClient.buffer).setFloat64(3, -1.5, true);
    expect(kvCommandCodec.decode(badClient).ok).toBe(false);
    const badUtf8 = kvCommandCodec.encode({ client: 1, seq: 1, op: { type: "put", key: "x", value: "é".repeat(40) } });
    badUtf8[badUtf8.length - 1] = 0xff;
    expect(kvCommandCodec.decode(badUtf8).ok).toBe(false);
  });

  it("snapshots and restores a store far over 1 MiB (600 values of 16 KB), and refuses limits whose snapshot could exceed MAX_SNAPSHOT_BYTES", () => {
    const kv = new KvStateMachine();
    const value = "v".repeat(16 * 1024);
    for (let i = 0; i < 600; i++) apply(kv, { type: "put", key: `key-${i}`, value });
    const snapshot = kv.snapshot();
    expect(snapshot.length).toBeGreaterThan(9 << 20);
    const back = new KvStateMachine();
    back.restore(snapshot);
    expect([back.size, back.peek("key-599")]).toEqual([600, value]);
    expect(kvSnapshotBound(DEFAULT_KV_LIMITS)).toBeLessThanOrEqual(MAX_SNAPSHOT_BYTES);
    expect(() => new KvStateMachine({ maxKeys: 100_000, maxSessions: 1024 })).toThrow(/could exceed MAX_SNAPSHOT_BYTES/);
  });

  it("a snapshot survives a restore byte for byte, and a retried read of an absent key still answers value null", () => {
    const kv = new KvStateMachine();
    const first = apply(kv, { type: "get", key: "absent" }, 7, 1);
    apply(kv, { type: "cas", key: "absent", expected: "a", value: "b" }, 8, 1);
    expect(first).toEqual({ ok: true, value: null });
    const restored = new KvStateMachine();
    restored.restore(kv.snapshot());
    expect(restored.snapshot()).toEqual(kv.snapshot());
    // The client retries its read after the replica restored the snapshot: the session answers as before.
    const retried = restored.apply({ type: "normal", term: 1, index: 99, data: encodeKvCommand({ client: 7, seq: 1, op: { type: "get", key: "absent" } }) }).result;
    expect(retried).toEqual({ ok: true, value: null });
  });
});


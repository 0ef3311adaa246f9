import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRng, encodeUnchecked, FRESH_STATE, nodeIds, type NodeId } from "@synod/core";
import { GossipNode } from "../src/gossip-node.js";
import { KvStore } from "../src/kv-store.js";
import { gossipMessageCodec, gossipRecordCodec, MAX_GOSSIP_MESSAGE_BYTES, MAX_KV_ENTRIES, MAX_KV_VALUE_LENGTH, type GossipMessage, type GossipOutput } from "../src/messages.js";
import { kvDeltaEntryBytes, kvDigestEntryBytes, Scuttlebutt } from "../src/scuttlebutt.js";
import { utf8Length } from "../src/msgpack-size.js";
import { TestCluster } from "./support/cluster.js";

const FAST = { probeIntervalTicks: 5, probeTimeoutTicks: 2, suspicionMult: 2, pushPullIntervalTicks: 0 };
/** Key-value exchanges every 3 ticks. */
const KV = { ...FAST, kvSyncIntervalTicks: 3 };

type Reply = Extract<GossipMessage, { type: "kvReply" }>;
const set = (key: string, value: string) => ({ type: "set", key, value }) as const;
const updated = (outputs: readonly GossipOutput[]) => outputs.filter((o) => o.type === "kvUpdated");

/** What a member holds of every owner: owner → key → value. */
function stateOf(node: GossipNode, ids: readonly NodeId[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const owner of ids) {
    const entries = node.kvEntries(owner);
    if (entries.size > 0) out[owner] = Object.fromEntries([...entries].sort());
  }
  return out;
}

describe("Scuttlebutt anti-entropy of the key-value state: writes, exchanges, outputs", () => {
  it("a write is persisted and output at its owner; a digest brings it to a peer, which outputs it; the peer's writes come back in the same exchange", () => {
    const cluster = new TestCluster(3, FAST);
    const n1 = cluster.node("n1");
    const n2 = cluster.node("n2");
    const w = n1.request(set("colour", "blue"));
    expect(w.persist.at(-1)).toEqual({ incarnation: 0, kv: ["colour", "blue", 1] });
    expect(w.output).toEqual([{ type: "kvUpdated", owner: "n1", key: "colour", value: "blue", version: 1, cause: "local" }]);
    n1.request(set("colour", "green"));
    n1.request(set("size", "9"));
    n2.request(set("load", "0.5"));
    // n2 digests to n1 (as its timer would): n1 replies with what n2 lacks, oldest first, and asks for n2's.
    const reply = n1.receive("n2", { type: "kvDigest", inc: 0, first: "n1", span: 3, digest: [["n2", 1]] });
    const message = reply.send[0]?.message as Reply;
    expect(message.type).toBe("kvReply");
    expect(message.deltas).toEqual([
      ["n1", "colour", "green", 2],
      ["n1", "size", "9", 3],
    ]);
    expect(message.request).toEqual([["n2", 0]]);
  });

  it("with exchanges on, every member holds every owner's writes within a few intervals, and outputs each once", () => {
    const cluster = new TestCluster(8, KV);
    cluster.apply("n1", cluster.node("n1").request(set("a", "1")));
    cluster.apply("n1", cluster.node("n1").request(set("a", "2")));
    cluster.apply("n5", cluster.node("n5").request(set("b", "x")));
    cluster.run(60);
    for (const id of cluster.ids) {
      expect(cluster.node(id).kvGet("n1", "a")).toBe("2");
      expect(cluster.node(id).kvGet("n5", "b")).toBe("x");
    }
    const n8 = updated(cluster.outputsOf("n8"));
    // n8 may see a=1 and then a=2, or a=2 only (a=1 overwritten before it was sent), and b once.
    expect(n8.filter((o) => o.owner === "n5")).toHaveLength(1);
    expect(n8.filter((o) => o.owner === "n1").at(-1)).toMatchObject({ key: "a", value: "2", version: 2, cause: "gossip" });
  });

  it("a restarted owner recovers its own writes from its records, outputs them, and never reuses a version", () => {
    const cluster = new TestCluster(3, FAST);
    cluster.apply("n1", cluster.node("n1").request(set("a", "1")));
    cluster.apply("n1", cluster.node("n1").request(set("b", "2")));
    const n1 = cluster.start("n1");
    expect(n1.kvGet("n1", "a")).toBe("1");
    const first = n1.tick();
    expect(updated(first.output).map((o) => [o.key, o.version, o.cause])).toEqual([
      ["a", 1, "recovered"],
      ["b", 2, "recovered"],
    ]);
    expect(n1.request(set("a", "3")).persist).toEqual([{ incarnation: 1, kv: ["a", "3", 3] }]);
  });

  it("after corrupted storage the owner skips versions ahead, and takes back a write of its own it lost from a peer", () => {
    const ids = nodeIds(3);
    const n1 = new GossipNode({ id: "n1", members: ids, rng: createRng(1), recovered: { records: [{ incarnation: 0, kv: ["a", "1", 1] }], corrupted: 1, tornTail: false } }, FAST);
    expect(n1.tick().output.some((o) => o.type === "alarm")).toBe(true);
    const write = n1.request(set("c", "new"));
    expect(write.persist[0]?.kv?.[2]).toBeGreaterThan(1 << 20);
    // Its digest's reply from a peer holding its lost version 2 brings it back.
    n1.tick();
    n1.tick();
    const peerReply: Reply = { type: "kvReply", inc: 0, deltas: [["n1", "b", "2", 2]], request: [] };
    (n1 as unknown as { kvPeer: number }).kvPeer = 1; // as if n1 had sent its digest to n2
    const step = n1.receive("n2", peerReply);
    expect(updated(step.output)).toEqual([{ type: "kvUpdated", owner: "n1", key: "b", value: "2", version: 2, cause: "gossip" }]);
    expect(n1.kvGet("n1", "b")).toBe("2");
  });

  it("keys and values too long are refused with a reason, and nothing is persisted", () => {
    const cluster = new TestCluster(3, FAST);
    const step = cluster.node("n1").request(set("k", "v".repeat(MAX_KV_VALUE_LENGTH + 1)));
    expect(step.persist.filter((r) => r.kv !== undefined)).toEqual([]);
    expect(step.output[0]).toMatchObject({ type: "kvRejected", key: "k" });
    expect(cluster.node("n1").request(set("k".repeat(65), "v")).output[0]).toMatchObject({ type: "kvRejected" });
  });

  it("malformed messages are counted and dropped: a digest with a bad window, a delta entry of the wrong shape, a value too long, too many entries, too many bytes", () => {
    const cluster = new TestCluster(5, FAST);
    const n1 = cluster.node("n1");
    const bad: unknown[] = [
      { type: "kvDigest", inc: 0, first: "ghost", span: 5, digest: [] },
      { type: "kvDigest", inc: 0, first: "n1", span: 0, digest: [] },
      { type: "kvDigest", inc: 0, first: "n1", span: 6, digest: [] },
      { type: "kvReply", inc: 0, deltas: [["n2", "k", 3]], request: [] },
      { type: "kvReply", inc: 0, deltas: [["n2", "k", "v".repeat(MAX_KV_VALUE_LENGTH + 1), 1]], request: [] },
      { type: "kvDelta", inc: 0, deltas: [["n2", "k", "v", -1]] },
      { type: "kvDigest", inc: 0, first: "n1", span: 5, digest: Array.from({ length: MAX_KV_ENTRIES + 1 }, () => ["n2", 1]) },
      { type: "kvDelta", inc: 0, deltas: Array.from({ length: 20 }, () => ["n2", "k", "v".repeat(500), 1]) },
    ];
    for (const message of bad) expect(n1.receiveBytes("n3", encodeUnchecked(message)).send).toEqual([]);
    expect(n1.counters.malformed).toBe(bad.length);
    expect(n1.kvOwnerCount).toBe(0);
  });

  it("replies and deltas nobody asked for are stale and not merged; writes of unknown owners are counted", () => {
    const cluster = new TestCluster(5, FAST);
    const n1 = cluster.node("n1");
    n1.receive("n3", { type: "kvReply", inc: 0, deltas: [["n2", "k", "v", 1]], request: [] });
    n1.receive("n3", { type: "kvDelta", inc: 0, deltas: [["n2", "k", "v", 1]] });
    expect(n1.counters.stale).toBe(2);
    expect(n1.kvOwnerCount).toBe(0);
    const step = n1.receive("n3", { type: "kvDigest", inc: 0, first: "n1", span: 5, digest: [["ghost", 4]] });
    expect(n1.counters.unknownMember).toBe(1);
    expect((step.send[0]?.message as Reply).request).toEqual([]);
  });
});

describe("Scuttlebutt size: bounded by the message size limit, oldest first so that a cut delta leaves no gap", () => {
  it("the entry size bounds are never below the codec's encoding (any ids, keys, values, versions)", () => {
    const text = (max: number) => fc.string({ maxLength: max, unit: "grapheme" }).filter((s) => s.length <= max);
    const id = text(64).filter((s) => s.length > 0);
    const version = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(fc.array(fc.tuple(id, text(64), text(300), version), { minLength: 1, maxLength: 12 }), (deltas) => {
        const bound = deltas.reduce((sum, [owner, key, value, v]) => sum + kvDeltaEntryBytes(utf8Length(owner), key, value, v), 0);
        const empty = gossipMessageCodec.encode({ type: "kvDelta", inc: 0, deltas: [] }).length;
        const full = gossipMessageCodec.encode({ type: "kvDelta", inc: 0, deltas }).length;
        expect(full - empty).toBeLessThanOrEqual(bound + 4);
        const digest = deltas.map(([owner, , , v]) => [owner, v] as [string, number]);
        const digestBound = digest.reduce((sum, [owner, v]) => sum + kvDigestEntryBytes(utf8Length(owner), v), 0);
        const withDigest = gossipMessageCodec.encode({ type: "kvReply", inc: 0, deltas: [], request: digest }).length;
        const without = gossipMessageCodec.encode({ type: "kvReply", inc: 0, deltas: [], request: [] }).length;
        expect(withDigest - without).toBeLessThanOrEqual(digestBound + 4);
      }),
      { seed: 19, numRuns: 200 },
    );
  });

  it("a backlog larger than one message is sent in prefixes, each oldest first and within the limit; the receiver never holds a gap", () => {
    const ids = nodeIds(4);
    const sb = new Scuttlebutt(ids);
    const owner = new KvStore();
    // 60 keys of ~900 bytes: ~54 KB, 7+ messages.
    for (let v = 1; v <= 60; v++) owner.apply(0, `key${v}`, `${v}:`.padEnd(900, "y"), v);
    owner.apply(1, "x", "from n2", 1);
    const receiver = new KvStore();
    for (let round = 0; round < 20 && receiver.maxVersion(0) < 60; round++) {
      const { span, digest } = sb.digest(receiver, 0);
      const theirs = new Map(digest.map(([id, version]) => [ids.indexOf(id), version]));
      const { deltas, request } = sb.reply(owner, 0, span, theirs);
      expect(gossipMessageCodec.encode({ type: "kvReply", inc: 0, deltas, request }).length).toBeLessThanOrEqual(MAX_GOSSIP_MESSAGE_BYTES);
      const versions = deltas.filter(([id]) => id === "n1").map(([, , , version]) => version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(versions[0]).toBe(receiver.maxVersion(0) + 1);
      for (const [id, key, value, version] of deltas) receiver.apply(ids.indexOf(id), key, value, version);
      // No gap: holding n1 up to its max means holding every one of its writes up to there.
      expect(receiver.owner(0)?.keys.size).toBe(receiver.maxVersion(0));
    }
    expect(receiver.maxVersion(0)).toBe(60);
    expect(receiver.maxVersion(1)).toBe(1);
  });

  it("property: any writes, any exchanges, any lost messages — no member ever holds a gap, and lossless rounds bring everyone to the same state", { timeout: 60_000 }, () => {
    const n = 5;
    const ids = nodeIds(n);
    const op = fc.oneof(
      fc.record({ kind: fc.constant("write" as const), owner: fc.nat(n - 1), key: fc.nat(5), size: fc.nat(2500) }),
      fc.record({ kind: fc.constant("sync" as const), from: fc.nat(n - 1), to: fc.nat(n - 1), first: fc.nat(n - 1), lose: fc.nat(3) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        const sb = new Scuttlebutt(ids);
        const stores = ids.map(() => new KvStore());
        const truth = ids.map(() => new KvStore());
        const versions = ids.map(() => 0);
        const noGap = () => {
          for (const store of stores) {
            for (let owner = 0; owner < n; owner++) {
              const max = store.maxVersion(owner);
              if (max === 0) continue;
              // Every key the owner had written at or below `max` is held at that version or a later one,
              // unless the owner wrote it again above `max` (the sender held only that later write).
              const held = store.owner(owner)?.keys;
              const writes = history[owner] as Array<[string, { version: number }]>;
              const latest = new Map(writes.map(([key, { version }]) => [key, version]));
              for (const [key, { version }] of writes) {
                if (version <= max && (latest.get(key) ?? 0) <= max && (held?.get(key)?.version ?? 0) < version) {
                  throw new Error(`store lacks ${key}@${version} of owner ${owner} while holding it up to ${max}`);
                }
              }
            }
          }
        };
        const history: Array<Array<[string, { version: number }]>> = ids.map(() => []);
        const sync = (from: number, to: number, first: number, lose: number) => {
          if (from === to) return;
          const { span, digest } = sb.digest(stores[from] as KvStore, first);
          if (lose === 1) return;
          const theirs = new Map(digest.map(([id, version]) => [ids.indexOf(id), version]));
          const { deltas, request } = sb.reply(stores[to] as KvStore, first, span, theirs);
          if (lose === 2) return;
          for (const [id, key, value, version] of deltas) (stores[from] as KvStore).apply(ids.indexOf(id), key, value, version);
          noGap();
          const back = sb.deltas(stores[from] as KvStore, request.map(([id, version]) => [ids.indexOf(id), version] as [number, number]));
          if (lose === 3) return;
          for (const [id, key, value, version] of back) (stores[to] as KvStore).apply(ids.indexOf(id), key, value, version);
          noGap();
        };
        for (const o of ops) {
          if (o.kind === "write") {
            const version = ++(versions[o.owner] as number);
            const key = `k${o.key}`;
            const value = "z".repeat(o.size);
            (stores[o.owner] as KvStore).apply(o.owner, key, value, version);
            (truth[o.owner] as KvStore).apply(o.owner, key, value, version);
            (history[o.owner] as Array<[string, { version: number }]>).push([key, { version }]);
          } else sync(o.from, o.to, o.first, o.lose);
        }
        // Lossless rounds: everyone with everyone, until nothing changes (bounded).
        for (let round = 0; round < 8; round++) for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) sync(a, b, round % n, 0);
        for (const store of stores) {
          for (let owner = 0; owner < n; owner++) {
            expect(store.maxVersion(owner)).toBe(versions[owner]);
            expect(store.owner(owner)?.keys).toEqual(truth[owner]?.owner(owner)?.keys);
          }
        }
      }),
      { seed: 19, numRuns: 100 },
    );
  });

  it("a record of the longest key and value fits the record codec", () => {
    const value = "€".repeat(MAX_KV_VALUE_LENGTH);
    expect(gossipRecordCodec.decode(gossipRecordCodec.encode({ incarnation: 0xffff_ffff, kv: ["€".repeat(64), value, Number.MAX_SAFE_INTEGER] })).ok).toBe(true);
    expect(FRESH_STATE.records).toEqual([]);
  });
});

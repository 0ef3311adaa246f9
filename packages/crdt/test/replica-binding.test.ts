import { createRng, FRESH_STATE, SynodError } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  crdtMessageCodec,
  crdtRecordCodec,
  crdtRequestCodec,
  CrdtReplicaNode,
  GCounter,
  LWWRegister,
  MVRegister,
  ORMap,
  orMapCodec,
  ORSet,
  orSetAddDelta,
  orSetCodec,
  orSetKind,
  PNCounter,
  Rga,
  RgaIndexError,
  HybridLogicalClock,
} from "../src/index.js";

function usageError(run: () => unknown): SynodError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SynodError);
    expect((error as SynodError).code).toBe("usage");
    return error as SynodError;
  }
  throw new Error("expected a usage error");
}

describe("a CRDT replica is bound to its id when it is created", () => {
  it("two OR-Set replicas each add under their own id: both adds survive the merge", () => {
    const paris = ORSet.forReplica("paris"), tokyo = ORSet.forReplica("tokyo");
    const fromParis = paris.add("milk");
    const fromTokyo = tokyo.add("tea");
    paris.merge(fromTokyo);
    tokyo.merge(fromParis);
    expect(paris.values()).toEqual(["milk", "tea"]);
    expect(tokyo.equals(paris)).toBe(true);
    expect(paris.toWire().ctx).toEqual(tokyo.toWire().ctx);
    expect(JSON.stringify(paris.toWire())).toMatch(/"paris",1.*"tokyo",1|"tokyo",1.*"paris",1/s);
  });

  it("deltas, joins, clones and decoded states are unbound: their mutators say how to get a replica", () => {
    const paris = ORSet.forReplica("paris");
    const delta = paris.add("milk");
    const decoded = orSetCodec.decode(orSetCodec.encode(paris));
    expect(decoded.ok).toBe(true);
    for (const unbound of [delta, paris.clone(), paris.join(delta), decoded.ok ? decoded.value : delta, new ORSet()]) {
      expect(unbound.replica).toBeUndefined();
      expect(usageError(() => unbound.add("x")).message).toMatch(/not bound to a replica .* ORSet\.forReplica\(id\)/);
    }
    // A decoded state becomes a replica again with forReplica(id, state), which copies it.
    const restored = ORSet.forReplica("paris", decoded.ok ? decoded.value : undefined);
    expect(restored.values()).toEqual(["milk"]);
    restored.add("bread");
    expect(restored.toWire().ctx).toEqual({ vv: [["paris", 2]], cloud: [] });
  });

  it("two OR-Map replicas each update a key under their own id: both updates survive the merge", () => {
    const paris = ORMap.forReplica(orSetKind, "paris"), tokyo = ORMap.forReplica(orSetKind, "tokyo");
    const fromParis = paris.update("basket", (store, ctx, replica) => orSetAddDelta(store, ctx, replica, "milk"));
    const fromTokyo = tokyo.update("basket", (store, ctx, replica) => orSetAddDelta(store, ctx, replica, "tea"));
    paris.merge(fromTokyo);
    tokyo.merge(fromParis);
    expect([...(paris.get("basket")?.keys() ?? [])].sort()).toEqual(["milk", "tea"]);
    expect(tokyo.equals(paris)).toBe(true);
    expect(paris.toWire().ctx).toEqual({ vv: [["paris", 1], ["tokyo", 1]], cloud: [] });
    // Deltas, clones, joins and decoded maps only merge; forReplica(kind, id, state) binds a copy.
    const decoded = orMapCodec(orSetKind).decode(orMapCodec(orSetKind).encode(paris));
    expect(decoded.ok).toBe(true);
    for (const unbound of [fromParis, paris.clone(), paris.join(fromTokyo), decoded.ok ? decoded.value : fromParis, new ORMap(orSetKind)]) {
      expect(unbound.replica).toBeUndefined();
      const update = (): unknown => unbound.update("basket", (store, ctx, replica) => orSetAddDelta(store, ctx, replica, "x"));
      expect(usageError(update).message).toMatch(/ORMap\.update: .*not bound to a replica .* ORMap\.forReplica\(id\)/);
    }
    const restored = ORMap.forReplica(orSetKind, "paris", decoded.ok ? decoded.value : undefined);
    restored.update("basket", (store, ctx, replica) => orSetAddDelta(store, ctx, replica, "bread"));
    expect(restored.toWire().ctx).toEqual({ vv: [["paris", 2], ["tokyo", 1]], cloud: [] });
    expect(usageError(() => ORMap.forReplica(orSetKind, "")).message).toMatch(/ORMap\.forReplica: the replica id/);
  });

  it("every bound type: mutators act for the bound id; an unbound instance and a bad id are usage errors", () => {
    const clock = new HybridLogicalClock();
    expect(GCounter.forReplica("a").increment(2).toWire()).toEqual([["a", 2]]);
    expect(PNCounter.forReplica("a").add(-3).toWire()).toEqual({ p: [], n: [["a", 3]] });
    expect(PNCounter.forReplica("a").prepareAdd(4)).toEqual({ replica: "a", amount: 4 });
    expect(MVRegister.forReplica("a").assign(1).toWire().store).toEqual([["a", 1, 1]]);
    expect(LWWRegister.forReplica("a").assign(clock.now(), "v").current()?.replica).toBe("a");
    expect(GCounter.forReplica("a").prepareIncrement(1)).toEqual({ replica: "a", amount: 1 });
    usageError(() => new GCounter().increment(1));
    usageError(() => PNCounter.empty().add(1));
    usageError(() => new MVRegister().assign(1));
    usageError(() => new LWWRegister().assign(clock.now(), 1));
    for (const bad of ["", 7, undefined, "x".repeat(65)]) {
      expect(usageError(() => ORSet.forReplica(bad as string)).message).toMatch(/ORSet\.forReplica: the replica id must be a non-empty string/);
    }
  });
});

describe("out-of-range RGA indexes: one behaviour, a typed error", () => {
  it("Rga.insert and Rga.delete throw RgaIndexError (code usage) with the text's length", () => {
    const text = new Rga("a");
    text.insert(0, "hello");
    for (const edit of [() => text.insert(6, "x"), () => text.insert(-1, "x"), () => text.delete(3, 3), () => text.delete(5, 1)]) {
      const error = usageError(edit);
      expect(error).toBeInstanceOf(RgaIndexError);
      expect((error as RgaIndexError).length).toBe(5);
      expect(error.message).toMatch(/outside \[0, 5[\])] \(the text has 5 characters/);
    }
    expect(text.toString()).toBe("hello");
  });

  it("the replica node rejects an edit outside its text (it used to clamp it and apply it), and changes nothing", () => {
    const node = new CrdtReplicaNode({ id: "n1", members: ["n1", "n2"], rng: createRng(1), recovered: FRESH_STATE });
    expect(node.request({ invocation: 1, op: { type: "insert", index: 0, text: "hi" } }).output[0]).toMatchObject({ type: "applied" });
    for (const [invocation, op] of [
      [2, { type: "insert", index: 3, text: "!" }],
      [3, { type: "delete", index: 2, count: 1 }],
      [4, { type: "delete", index: 1, count: 2 }],
    ] as const) {
      const step = node.request({ invocation, op });
      expect(step.output).toEqual([{ type: "rejected", invocation, reason: expect.stringMatching(/is outside \[0, 2/) }]);
      expect(step.persist).toEqual([]);
    }
    expect(node.document.text.toString()).toBe("hi");
    expect(node.document.updates.versionVector().get("n1")).toBe(1);
  });
});

describe("the replica's codecs are exported", () => {
  it("requests, messages and records round-trip through crdtRequestCodec, crdtMessageCodec and crdtRecordCodec", () => {
    const request = { invocation: 3, op: { type: "insert" as const, index: 0, text: "hi" } };
    expect(crdtRequestCodec.decode(crdtRequestCodec.encode(request))).toEqual({ ok: true, value: request });
    expect(crdtRequestCodec.decode(new Uint8Array([1, 2, 3])).ok).toBe(false);
    const node = new CrdtReplicaNode({ id: "n1", members: ["n1", "n2"], rng: createRng(1), recovered: FRESH_STATE });
    const step = node.request(request);
    const record = step.persist[0];
    expect(record).toBeDefined();
    expect(crdtRecordCodec.decode(crdtRecordCodec.encode(record!)).ok).toBe(true);
    const sync = node.tick();
    for (const envelope of [...step.send, ...sync.send]) expect(crdtMessageCodec.decode(crdtMessageCodec.encode(envelope.message)).ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { createRng, FRESH_STATE, type Envelope, type Step } from "@synod/core";
import {
  CrdtReplicaNode,
  crdtClientModel,
  crdtSimulation,
  type CrdtMessage,
  type CrdtOutput,
  type CrdtRecord,
  type CrdtReplicaConfig,
  type DocumentOp,
} from "../src/index.js";

const IDS = ["n1", "n2", "n3"];

/** A tiny driver: applies steps to in-memory disks, keeps messages in a bag, delivers them in a seeded random order. */
class Harness {
  readonly rng;
  readonly nodes = new Map<string, CrdtReplicaNode>();
  readonly disks = new Map<string, CrdtRecord[]>();
  readonly outputs: CrdtOutput[] = [];
  bag: Envelope<CrdtMessage>[] = [];
  private invocation = 0;

  constructor(seed: number, private readonly config: Partial<CrdtReplicaConfig> = {}) {
    this.rng = createRng(seed);
    for (const id of IDS) {
      this.disks.set(id, []);
      this.nodes.set(id, new CrdtReplicaNode({ id, members: IDS, rng: this.rng.fork(id), recovered: FRESH_STATE }, config));
    }
  }

  node(id: string): CrdtReplicaNode {
    return this.nodes.get(id) as CrdtReplicaNode;
  }

  apply(id: string, step: Step<CrdtMessage, CrdtOutput, CrdtRecord>): void {
    const disk = this.disks.get(id) as CrdtRecord[];
    if (step.compact) disk.length = 0;
    disk.push(...step.persist);
    this.bag.push(...step.send);
    this.outputs.push(...step.output);
  }

  /** A random operation at `id`, its text edits kept inside the text as a client that reads the length does (an edit outside is rejected). */
  request(id: string): void {
    const op = crdtClientModel.nextOperation(this.rng, 0);
    const length = this.node(id).document.text.length;
    const inside: DocumentOp =
      op.type === "insert" ? { ...op, index: Math.min(op.index, length) }
      : op.type !== "delete" ? op
      : length === 0 ? { type: "insert", index: 0, text: "z" }
      : { ...op, index: Math.min(op.index, length - 1), count: Math.min(op.count, length - Math.min(op.index, length - 1)) };
    this.apply(id, this.node(id).request({ invocation: ++this.invocation, op: inside }));
  }

  tickAll(): void {
    for (const id of IDS) this.apply(id, this.node(id).tick());
  }

  deliverSome(lossRate: number): void {
    const batch = this.rng.shuffle(this.bag);
    this.bag = [];
    for (const envelope of batch) {
      if (this.rng.bool(lossRate)) continue;
      if (this.rng.bool(0.05)) this.bag.push(envelope); // duplicate later
      this.apply(envelope.to, this.node(envelope.to).receive(envelope.from, envelope.message));
    }
  }

  restart(id: string, corrupted = 0): void {
    const records = [...(this.disks.get(id) as CrdtRecord[])];
    this.nodes.set(id, new CrdtReplicaNode({ id, members: IDS, rng: this.rng.fork(`${id}-restart`), recovered: { records, corrupted, tornTail: false } }, this.config));
  }

  settle(): void {
    for (let round = 0; round < 40; round++) {
      this.tickAll();
      this.deliverSome(0);
    }
  }

  allEqual(): boolean {
    const [a, ...rest] = [...this.nodes.values()] as [CrdtReplicaNode, ...CrdtReplicaNode[]];
    return rest.every((b) => b.document.equals(a.document));
  }
}

describe("CrdtReplicaNode delta anti-entropy", () => {
  it("replicas converge after random ops over a lossy, duplicating, reordering network with restarts", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const h = new Harness(seed, { syncIntervalTicks: 2 });
      for (let i = 0; i < 300; i++) {
        const roll = h.rng.int(0, 10);
        if (roll < 4) h.request(h.rng.pick(IDS));
        else if (roll < 7) h.tickAll();
        else if (roll < 9) h.deliverSome(0.3);
        else {
          const id = h.rng.pick(IDS);
          const before = h.node(id).document;
          h.restart(id);
          // Recovery rebuilds exactly the document that was persisted (every step was synced).
          expect(h.node(id).document.equals(before), `seed ${seed}: recovery of ${id}`).toBe(true);
        }
      }
      h.settle();
      expect(h.allEqual(), `seed ${seed}: replicas differ after healing`).toBe(true);
    }
  });

  it("falls back to the full state when the delta buffer for a peer overflows", () => {
    const h = new Harness(7, { syncIntervalTicks: 1, maxBufferedDeltas: 4 });
    for (let i = 0; i < 30; i++) h.request("n1");
    expect(h.node("n1").bufferedDeltas).toBe(4);
    h.settle();
    expect(h.node("n1").stats.fullStatesSent).toBeGreaterThan(0);
    expect(h.allEqual()).toBe(true);
  });

  it("counts and drops bad messages, and answers an unready delta with a nack (then gets the full state)", () => {
    const h = new Harness(8, { syncIntervalTicks: 1 });
    const n1 = h.node("n1");
    const before = JSON.stringify(n1.document.toGroup());
    const step = n1.receive("n2", {
      kind: "delta",
      session: 1,
      seq: 1,
      full: false,
      group: { dots: { vv: [["n2", 1]], cloud: [] }, text: { inserts: [["n2", 5, ["n9", 4], "x"]], deletes: [] } },
    });
    expect(n1.stats.droppedMessages).toBe(1);
    expect(step.send).toEqual([{ from: "n1", to: "n2", message: { kind: "nack" } }]);
    expect(JSON.stringify(n1.document.toGroup())).toBe(before);
    n1.receive("stranger", { kind: "nack" });
    expect(n1.stats.droppedMessages).toBe(2);
    // n2 has updates and gets the nack: it resends everything from scratch.
    h.request("n2");
    h.request("n2");
    h.apply("n2", h.node("n2").receive("n1", { kind: "nack" }));
    h.settle();
    expect(h.allEqual()).toBe(true);
  });

  it("a replica with corrupted records stays read-only, raises an alarm and asks peers for full states", () => {
    const h = new Harness(9, { syncIntervalTicks: 1 });
    for (let i = 0; i < 5; i++) h.request("n1");
    h.restart("n1", 1);
    const n1 = h.node("n1");
    expect(n1.readOnly).toBe(true);
    const tick = n1.tick();
    expect(tick.output.some((o) => o.type === "alarm")).toBe(true);
    expect(tick.send.filter((e) => e.message.kind === "nack").length).toBe(2);
    const refused = n1.request({ invocation: 99, op: { type: "add", element: "x" } });
    expect(refused.output[0]?.type).toBe("rejected");
    // Until it merged a full state from a peer, it refuses that peer's delta-intervals (they rest on acks it may have lost).
    const counterBefore = n1.document.counter.value();
    const interval = n1.receive("n2", { kind: "delta", session: 5, seq: 3, full: false, group: { dots: { vv: [["n2", 1]], cloud: [] }, counter: { p: [["n2", 9]], n: [] } } });
    expect(interval.send[0]?.message.kind).toBe("nack");
    expect(n1.document.counter.value()).toBe(counterBefore);
    const full = n1.receive("n2", { kind: "delta", session: 5, seq: 3, full: true, group: { dots: { vv: [["n2", 1]], cloud: [] }, counter: { p: [["n2", 9]], n: [] } } });
    expect(full.send[0]?.message.kind).toBe("ack");
    expect(n1.document.counter.value()).toBe(counterBefore + 9);
  });

  it("stays read-only after a checkpoint replaced its corrupted records: never issues a dot twice (sim seed 1127)", () => {
    // Every record compacts at once, so the read-only node's first merge writes a checkpoint.
    const h = new Harness(14, { syncIntervalTicks: 1, checkpointEveryRecords: 1 });
    for (let i = 0; i < 2; i++) h.request("n1");
    h.settle(); // n2 and n3 hold n1's dots 1 and 2
    for (let i = 0; i < 2; i++) h.request("n1"); // dots 3 and 4: applied, durable, never sent
    const issued = (): string[] =>
      h.outputs.flatMap((o) => (o.type === "applied" && o.dot !== null && o.dot[0] === "n1" ? [`${o.dot[1]}`] : []));
    const before = issued();
    expect(before).toEqual(["1", "2", "3", "4"]);
    // The corrupted frame is the first: recovery reads nothing past it.
    h.disks.set("n1", []);
    h.restart("n1", 1);
    expect(h.node("n1").readOnly).toBe(true);
    h.settle(); // full states from n2/n3 give dots 1, 2 back (not 3, 4); the merge is checkpointed
    expect(h.node("n1").document.updates.versionVector().get("n1")).toBe(2);
    const disk = h.disks.get("n1") as CrdtRecord[];
    expect(disk.length).toBe(1);
    expect(disk[0]?.kind).toBe("checkpoint");
    expect(disk[0]?.kind === "checkpoint" ? disk[0].readOnly : undefined).toMatch(/corrupted/);
    // A later clean restart from that checkpoint: the log holds no corrupted record any more.
    h.restart("n1", 0);
    expect(h.node("n1").readOnly).toBe(true);
    for (let i = 0; i < 3; i++) h.apply("n1", h.node("n1").request({ invocation: 1_000 + i, op: { type: "add", element: "x" } }));
    expect(h.outputs.slice(-3).map((o) => o.type)).toEqual(["rejected", "rejected", "rejected"]);
    expect(issued()).toEqual(before);
    // And the mark survives the codec.
    const decoded = crdtSimulation.recordCodec.decode(crdtSimulation.recordCodec.encode(disk[0] as CrdtRecord));
    expect(decoded.ok && decoded.value.kind === "checkpoint" ? decoded.value.readOnly : undefined).toMatch(/corrupted/);
  });

  it("a replica recovering from corruption keeps asking for full states when its nacks are lost (sim seed 877)", () => {
    const h = new Harness(15, { syncIntervalTicks: 1 });
    for (let i = 0; i < 3; i++) h.request("n2");
    h.settle(); // n1 and n3 hold n2's dots and n2 acknowledged everything they have
    h.disks.set("n2", []);
    h.restart("n2", 1); // n2 lost its own dots 1..3
    h.tickAll();
    h.deliverSome(1); // the alarm's nacks (and everything else) are lost
    h.settle();
    expect(h.node("n2").document.updates.versionVector().get("n2")).toBe(3);
    expect(h.allEqual()).toBe(true);
  });

  it("a read-only replica restarted from its marked checkpoint waits for every peer's full state again (found by TLC, issue 18)", () => {
    // MCDeltaAntiEntropyCorrupt.cfg's trace: n2 acknowledged n1's update, lost it to corruption, and a
    // checkpoint replaced the corrupted records before n1's full state arrived. The wait for it was in
    // memory only: after a clean restart n2 accepted n1's next interval, which rests on the lost update.
    const h = new Harness(16, { syncIntervalTicks: 1, checkpointEveryRecords: 1 });
    const increment = (id: string, invocation: number): void => h.apply(id, h.node(id).request({ invocation, op: { type: "increment", amount: 1 } }));
    const deliver = (keep: (e: Envelope<CrdtMessage>) => boolean): void => {
      const batch = h.bag.filter(keep);
      h.bag = [];
      for (const e of batch) h.apply(e.to, h.node(e.to).receive(e.from, e.message));
    };
    increment("n3", 1); // w: everybody gets it
    h.settle();
    increment("n1", 2); // u1: only n2 gets it, and acknowledges it
    h.apply("n1", h.node("n1").tick());
    deliver((e) => e.to === "n2");
    deliver((e) => e.to === "n1");
    h.disks.set("n2", []);
    h.restart("n2", 1); // n2 lost w and u1
    h.apply("n2", h.node("n2").tick()); // the alarm: nacks n1 and n3
    deliver((e) => e.to === "n3"); // the nack to n1 is lost
    h.apply("n3", h.node("n3").tick()); // n3 answers with its full state (w, not u1)
    deliver((e) => e.to === "n2"); // fresh for n2: recorded, compacted into a read-only checkpoint
    const disk = h.disks.get("n2") as CrdtRecord[];
    expect(disk.map((r) => (r.kind === "checkpoint" ? r.readOnly !== undefined : "delta"))).toEqual([true]);
    h.bag = [];
    h.restart("n2", 0); // a clean restart from the marked checkpoint
    expect(h.node("n2").readOnly).toBe(true);
    h.apply("n2", h.node("n2").tick());
    h.bag = []; // its alarm's nacks are lost
    increment("n1", 3); // u2: n1 sends n2 the interval after u1, which n2 acknowledged before
    h.apply("n1", h.node("n1").tick());
    const interval = h.bag.find((e) => e.to === "n2" && e.message.kind === "delta");
    expect(interval?.message.kind === "delta" ? interval.message.full : undefined).toBe(false);
    const answer = h.node("n2").receive("n1", (interval as Envelope<CrdtMessage>).message);
    h.apply("n2", answer);
    // The counter counts only delivered increments (CounterSum): merged, the interval's counter
    // entry of n1 (2, after u2) would count u1, which n2 never delivered. It is refused instead.
    const n2 = h.node("n2").document;
    const delivered = [["n3", 1], ["n1", 1], ["n1", 2]].filter(([r, c]) => n2.updates.contains([r as string, c as number])).length;
    expect(n2.counter.value()).toBe(delivered);
    expect(answer.send.map((e) => e.message.kind)).toEqual(["nack"]);
    h.settle();
    expect(h.allEqual()).toBe(true);
    expect(h.node("n2").document.counter.value()).toBe(3);
  });

  it("a replica recovering from corruption still converges: nacked peers answer with full states", () => {
    const h = new Harness(13, { syncIntervalTicks: 1 });
    // n3 has updates nobody acknowledged yet (its buffer starts at 0) when n2 comes back corrupted:
    // n2 refuses n3's delta-intervals until it merged n3's full state, so n3 must answer its nack with one.
    for (let i = 0; i < 6; i++) h.request("n3");
    h.restart("n2", 1);
    h.settle();
    expect(h.node("n2").readOnly).toBe(true);
    expect(h.allEqual()).toBe(true);
  });

  it("tracks the causally stable frontier from the peers' acknowledgements", () => {
    const h = new Harness(12, { syncIntervalTicks: 1 });
    for (let i = 0; i < 6; i++) h.request(IDS[i % 3] as string);
    expect(h.node("n1").stableVersionVector().total()).toBe(0);
    h.settle();
    for (const id of IDS) {
      const node = h.node(id);
      // Every update delivered everywhere is stable everywhere, and nothing beyond what this node has.
      expect(node.stableVersionVector().equals(node.document.updates.versionVector())).toBe(true);
      expect(node.bufferedDeltas).toBe(0);
    }
  });

  it("checkpoints compact the durable log and recovery from a checkpoint is exact", () => {
    const h = new Harness(10, { checkpointEveryRecords: 8 });
    for (let i = 0; i < 50; i++) h.request("n1");
    const disk = h.disks.get("n1") as CrdtRecord[];
    expect(disk[0]?.kind).toBe("checkpoint");
    expect(disk.length).toBeLessThanOrEqual(8);
    const before = h.node("n1").document;
    h.restart("n1");
    expect(h.node("n1").document.equals(before)).toBe(true);
    // Every local op is known to the recovered node (for checkers), from the checkpoint and the deltas.
    expect(h.node("n1").recoveredLocalOps.length).toBeGreaterThan(0);
  });

  it("round-trips its messages and records through the target's codecs", () => {
    const h = new Harness(11, { syncIntervalTicks: 1 });
    for (let i = 0; i < 20; i++) h.request(h.rng.pick(IDS));
    h.tickAll();
    expect(h.bag.length).toBeGreaterThan(0);
    for (const envelope of h.bag) {
      const decoded = crdtSimulation.messageCodec.decode(crdtSimulation.messageCodec.encode(envelope.message));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.value).toEqual(envelope.message);
    }
    for (const record of h.disks.get("n1") ?? []) expect(crdtSimulation.recordCodec.decode(crdtSimulation.recordCodec.encode(record)).ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { createRng, FRESH_STATE, type Step } from "@synod/core";
import { compareHlc, CrdtReplicaNode, DEFAULT_HLC_MAX_AHEAD_TICKS, ReplicaDocument, type CrdtMessage, type CrdtOutput, type CrdtRecord, type DocumentOp } from "../src/index.js";

const IDS = ["n1", "n2"];
// No anti-entropy round during the long runs below: a tick only advances the clock.
const CONFIG = { syncIntervalTicks: 10_000_000 };

/** One node and its disk (the records its steps persisted, compactions applied). */
class Replica {
  node: CrdtReplicaNode;
  readonly disk: CrdtRecord[] = [];
  private invocation = 0;

  constructor(readonly id: string) {
    this.node = new CrdtReplicaNode({ id, members: IDS, rng: createRng(7).fork(id), recovered: FRESH_STATE }, CONFIG);
  }

  apply(step: Step<CrdtMessage, CrdtOutput, CrdtRecord>): Step<CrdtMessage, CrdtOutput, CrdtRecord> {
    if (step.compact) this.disk.length = 0;
    this.disk.push(...step.persist);
    return step;
  }

  ticks(n: number): void {
    for (let t = 0; t < n; t++) this.apply(this.node.tick());
  }

  request(op: DocumentOp): readonly CrdtOutput[] {
    return this.apply(this.node.request({ invocation: ++this.invocation, op })).output;
  }

  restart(): void {
    this.node = new CrdtReplicaNode({ id: this.id, members: IDS, rng: createRng(8).fork(this.id), recovered: { records: [...this.disk], corrupted: 0, tornTail: false } }, CONFIG);
  }
}

/** Runs longer than the drift bound (≈ 2.8 h at 10 ms a tick), so a tick count back at 0 is far behind. */
const LONG_RUN = DEFAULT_HLC_MAX_AHEAD_TICKS + 1;

describe("HLC across restarts (the tick count restarts at 0, physical time does not go backwards)", () => {
  it("a replica restarted after a long run replays its register records and stays writable", () => {
    const a = new Replica("n1");
    a.ticks(LONG_RUN);
    a.request({ type: "assign", value: "late" });
    a.request({ type: "increment", amount: -2 });
    const before = a.node.document.register.current()?.stamp;
    a.restart();
    expect(a.node.readOnly).toBe(false);
    expect(a.node.document.register.value()).toBe("late");
    expect(a.node.document.counter.value()).toBe(-2);
    expect(a.request({ type: "assign", value: "after" })).toMatchObject([{ type: "applied" }]);
    // The new write wins over the recovered one (its timestamp is larger, as the HLC promises).
    expect(a.node.document.register.value()).toBe("after");
    expect(a.node.document.register.current()?.stamp[0]).toBeGreaterThanOrEqual(before?.[0] ?? Infinity);
  });

  it("a restarted replica accepts a peer's full state holding a legitimate register write", () => {
    const a = new Replica("n1"), b = new Replica("n2");
    a.ticks(LONG_RUN);
    b.ticks(LONG_RUN);
    a.request({ type: "assign", value: "from-a" }); // a's write, before b's restart
    a.request({ type: "increment", amount: 3 });
    b.request({ type: "assign", value: "from-b" }); // b wrote too, so its storage holds a timestamp
    a.ticks(10);
    a.request({ type: "assign", value: "from-a-later" }); // and a's later write, a few ticks after b's
    b.restart();
    expect(b.node.readOnly).toBe(false);
    const full: CrdtMessage = { kind: "delta", session: 1, seq: 1, full: true, group: a.node.document.toGroup() };
    const step = b.node.receive("n1", full);
    expect(step.send.map((e) => e.message.kind)).toEqual(["ack"]);
    expect(b.node.document.counter.value()).toBe(3);
    expect(b.node.document.register.value()).toBe("from-a-later");
  });

  it("still refuses a peer timestamp more than the bound ahead of the recovered clock", () => {
    const a = new Replica("n1"), b = new Replica("n2");
    b.ticks(5);
    b.request({ type: "assign", value: "mine" });
    b.restart();
    a.ticks(DEFAULT_HLC_MAX_AHEAD_TICKS + 5 + 2); // b's recovered clock is at 5 at least; this is beyond 5 + bound
    a.request({ type: "assign", value: "too-far" });
    const step = b.node.receive("n1", { kind: "delta", session: 1, seq: 1, full: true, group: a.node.document.toGroup() });
    expect(step.send).toEqual([]);
    expect(b.node.document.register.value()).toBe("mine");
  });
});

describe("ReplicaDocument: groups from storage resume the clock, groups from peers are bounded", () => {
  it("replays its own long-run state from storage; a replica with nothing recovered still bounds peers from tick 0", () => {
    const a = new ReplicaDocument("a");
    for (let t = 0; t < LONG_RUN; t++) a.clock.tick();
    a.applyLocal({ type: "assign", value: "late" });
    a.applyLocal({ type: "increment", amount: -2 });
    const restarted = new ReplicaDocument("a");
    expect(restarted.applyGroup(a.toGroup(), "storage").ok).toBe(true);
    expect(restarted.counter.value()).toBe(-2);
    expect(compareHlc(restarted.clock.now(), a.register.current()?.stamp ?? [Infinity, 0])).toBeGreaterThan(0);
    const fresh = new ReplicaDocument("b");
    const refused = fresh.applyGroup(a.toGroup());
    expect(refused.ok ? "accepted" : refused.error.message).toMatch(/too far ahead/);
    expect(fresh.counter.value()).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { checkOperations, createKvModel, createRegisterModel, operationsFromHistory, UsageError, type KvOp, type KvResult, type Operation } from "../src/index.js";
import { HistoryBuilder, append, cas, del, get, put, read } from "./history-builder.js";

const kv = createKvModel();
const check = (b: HistoryBuilder) => checkOperations(kv, operationsFromHistory(b.events));

/** Asserts that a returned linearization respects real time and replays legally. */
function expectValidLinearization(order: readonly Operation<KvOp, KvResult>[]): void {
  let state = kv.init();
  for (let i = 0; i < order.length; i++) {
    const op = order[i] as Operation<KvOp, KvResult>;
    for (const later of order.slice(i + 1)) expect(later.ret > op.call, "a later op returned before this one was invoked").toBe(true);
    const stepped = kv.step(state, op.input, op.output);
    expect(stepped.ok).toBe(true);
    if (stepped.ok) state = stepped.state;
  }
}

describe("checkOperations: register semantics", () => {
  it("accepts a sequential history and returns its linearization", () => {
    const b = new HistoryBuilder().run(0, put("x", "1")).run(1, get("x"), read("1")).run(0, put("x", "2")).run(1, get("x"), read("2"));
    const result = check(b);
    expect(result.linearizable).toBe(true);
    const order = result.linearizations?.get("x") ?? [];
    expect(order.map((op) => op.id)).toEqual([0, 1, 2, 3]);
    expectValidLinearization(order);
  });

  it("accepts a read concurrent with a write seeing either value", () => {
    for (const seen of [null, "1"]) {
      const b = new HistoryBuilder();
      const w = b.invoke(0, put("x", "1"));
      const r = b.invoke(1, get("x"));
      b.ok(r, read(seen)).ok(w);
      expect(check(b).linearizable).toBe(true);
    }
  });

  it("rejects a stale read after a write completed, naming the read in the witness", () => {
    const b = new HistoryBuilder().run(0, put("x", "1")).run(0, put("x", "2")).run(1, get("x"), read("1"));
    const result = check(b);
    expect(result.linearizable).toBe(false);
    expect(result.witness?.operation.id).toBe(2);
    expect(result.witness?.prefix.map((s) => s.operation.id)).toEqual([0, 1]);
    expect(result.witness?.text).toContain('get "x" -> "1"');
    expect(result.witness?.text).toContain("Longest linearizable prefix: 2 of 3");
  });

  it("rejects a read of a value nobody wrote", () => {
    const b = new HistoryBuilder().run(0, put("x", "1")).run(1, get("x"), read("7"));
    expect(check(b).linearizable).toBe(false);
  });

  it("rejects two reads that disagree on the order of two writes they both follow", () => {
    const b = new HistoryBuilder();
    const w1 = b.invoke(0, put("x", "1"));
    const w2 = b.invoke(1, put("x", "2"));
    b.ok(w1).ok(w2);
    b.run(2, get("x"), read("1")).run(3, get("x"), read("2"));
    expect(check(b).linearizable).toBe(false);
  });

  it("rejects a read that goes back in time (new value, then old value, both after the write began)", () => {
    const b = new HistoryBuilder();
    const w = b.invoke(0, put("x", "1"));
    b.run(1, get("x"), read("1")).run(2, get("x"), read(null));
    b.ok(w);
    expect(check(b).linearizable).toBe(false);
  });

  it("accepts the empty history", () => {
    const result = check(new HistoryBuilder());
    expect(result).toMatchObject({ linearizable: true, operations: 0, partitions: 0 });
  });
});

describe("checkOperations: unknown outcomes", () => {
  it("lets an unknown write take effect later (read after the timeout sees it)", () => {
    const b = new HistoryBuilder();
    const w = b.invoke(0, put("x", "1"));
    b.unknown(w);
    b.run(1, get("x"), read(null)).run(1, get("x"), read("1"));
    expect(check(b).linearizable).toBe(true);
  });

  it("lets an unknown write never take effect", () => {
    const b = new HistoryBuilder();
    b.unknown(b.invoke(0, put("x", "1")));
    b.run(1, get("x"), read(null)).run(1, put("x", "2")).run(1, get("x"), read("2"));
    expect(check(b).linearizable).toBe(true);
  });

  it("does not let an unknown write take effect twice or be undone", () => {
    const b = new HistoryBuilder();
    b.unknown(b.invoke(0, put("x", "1")));
    b.run(1, get("x"), read("1")).run(1, put("x", "2")).run(1, get("x"), read("1"));
    expect(check(b).linearizable).toBe(false);
  });

  it("treats a never-completed invocation as unknown", () => {
    const b = new HistoryBuilder();
    b.invoke(0, put("x", "1"));
    b.run(1, get("x"), read("1"));
    const ops = operationsFromHistory(b.events);
    expect(ops[0]).toMatchObject({ unknown: true, ret: Infinity, output: undefined });
    expect(check(b).linearizable).toBe(true);
  });

  it("does not let an unknown write take effect before its invocation", () => {
    const b = new HistoryBuilder().run(1, get("x"), read("1"));
    b.unknown(b.invoke(0, put("x", "1")));
    expect(check(b).linearizable).toBe(false);
  });

  it("treats a failed operation as never having happened", () => {
    const b = new HistoryBuilder();
    b.fail(b.invoke(0, put("x", "1")));
    b.run(1, get("x"), read("1"));
    expect(check(b).linearizable).toBe(false);
    const c = new HistoryBuilder();
    c.fail(c.invoke(0, put("x", "1")));
    c.run(1, get("x"), read(null));
    expect(check(c).linearizable).toBe(true);
  });

  it("lets identical unknown writes be used once each (symmetry reduction keeps counting right)", () => {
    // Two timed-out appends of the same text: the value may end with at most two copies.
    const twice = new HistoryBuilder();
    twice.unknown(twice.invoke(0, append("x", "a")));
    twice.unknown(twice.invoke(1, append("x", "a")));
    twice.run(2, get("x"), read("aa"));
    expect(check(twice).linearizable).toBe(true);
    const thrice = new HistoryBuilder();
    thrice.unknown(thrice.invoke(0, append("x", "a")));
    thrice.unknown(thrice.invoke(1, append("x", "a")));
    thrice.run(2, get("x"), read("aaa"));
    expect(check(thrice).linearizable).toBe(false);
  });

  it("lets an unknown cas take effect when its compare holds", () => {
    const b = new HistoryBuilder().run(0, put("x", "1"));
    b.unknown(b.invoke(1, cas("x", "1", "2")));
    b.run(2, get("x"), read("2"));
    expect(check(b).linearizable).toBe(true);
    const c = new HistoryBuilder().run(0, put("x", "3"));
    c.unknown(c.invoke(1, cas("x", "1", "2")));
    c.run(2, get("x"), read("2"));
    expect(check(c).linearizable).toBe(false);
  });
});

describe("checkOperations: compare-and-set, delete, append", () => {
  it("rejects two concurrent cas from the same value that both succeed", () => {
    const b = new HistoryBuilder().run(0, put("x", "0"));
    const a1 = b.invoke(1, cas("x", "0", "1"));
    const a2 = b.invoke(2, cas("x", "0", "2"));
    b.ok(a1, { ok: true }).ok(a2, { ok: true });
    expect(check(b).linearizable).toBe(false);
  });

  it("accepts two concurrent cas from the same value when one fails", () => {
    const b = new HistoryBuilder().run(0, put("x", "0"));
    const a1 = b.invoke(1, cas("x", "0", "1"));
    const a2 = b.invoke(2, cas("x", "0", "2"));
    b.ok(a1, { ok: false }).ok(a2, { ok: true });
    b.run(0, get("x"), read("2"));
    expect(check(b).linearizable).toBe(true);
  });

  it("checks the value a failed cas reports it found", () => {
    const seen = (value: string | null) => {
      const b = new HistoryBuilder().run(0, put("x", "0"));
      b.run(1, cas("x", "5", "6"), { ok: false, value });
      return check(b).linearizable;
    };
    expect(seen("0")).toBe(true);
    expect(seen("7")).toBe(false); // no write of 7 ever happened
    expect(seen(null)).toBe(false); // the key was present
    // Concurrent with a write of 7, either value can be the one found.
    const b = new HistoryBuilder().run(0, put("x", "0"));
    const w = b.invoke(2, put("x", "7"));
    b.run(1, cas("x", "5", "6"), { ok: false, value: "7" });
    b.ok(w);
    expect(check(b).linearizable).toBe(true);
  });

  it("accepts a chain of concurrent cas that only works in one order", () => {
    const b = new HistoryBuilder().run(0, put("x", "0"));
    const ids = [b.invoke(1, cas("x", "2", "3")), b.invoke(2, cas("x", "1", "2")), b.invoke(3, cas("x", "0", "1"))];
    for (const id of ids) b.ok(id, { ok: true });
    b.run(0, get("x"), read("3"));
    expect(check(b).linearizable).toBe(true);
  });

  it("rejects a cas that failed although the value matched all along", () => {
    const b = new HistoryBuilder().run(0, put("x", "0")).run(1, cas("x", "0", "1"), { ok: false });
    expect(check(b).linearizable).toBe(false);
  });

  it("checks delete results against presence", () => {
    expect(check(new HistoryBuilder().run(0, put("x", "1")).run(0, del("x"), { ok: true }).run(0, get("x"), read(null))).linearizable).toBe(true);
    expect(check(new HistoryBuilder().run(0, del("x"), { ok: true })).linearizable).toBe(false);
    expect(check(new HistoryBuilder().run(0, put("x", "1")).run(0, del("x"), { ok: false })).linearizable).toBe(false);
  });

  it("orders concurrent appends as a later read shows", () => {
    const b = new HistoryBuilder();
    const a1 = b.invoke(0, append("x", "a"));
    const a2 = b.invoke(1, append("x", "b"));
    b.ok(a2).ok(a1);
    b.run(2, get("x"), read("ba"));
    expect(check(b).linearizable).toBe(true);
    b.run(2, get("x"), read("ab"));
    expect(check(b).linearizable).toBe(false);
  });

  it("prunes only the branch of a configuration already explored by another path", () => {
    // w1 spans everything; w2 returns before p starts. Only w2, p, w1 works. The search first tries
    // w1, w2 (fails), then from w2 meets {w1, w2} = "1" again: that must not end the search.
    const b = new HistoryBuilder();
    const w1 = b.invoke(0, put("x", "1"));
    b.run(1, put("x", "1"));
    const p = b.invoke(2, put("x", "2"));
    b.ok(p).ok(w1);
    b.run(3, get("x"), read("1"));
    expect(check(b).linearizable).toBe(true);
  });

  it("rejects a put with ok: false (an impossible output: failures are fail events)", () => {
    expect(check(new HistoryBuilder().run(0, put("x", "1"), { ok: false })).linearizable).toBe(false);
  });
});

describe("checkOperations: partitions, models, budget", () => {
  it("checks keys independently and reports the bad key", () => {
    const b = new HistoryBuilder().run(0, put("x", "1")).run(0, put("y", "1")).run(1, get("y"), read("1")).run(1, get("x"), read(null));
    const result = check(b);
    expect(result.partitions).toBe(2);
    expect(result.linearizable).toBe(false);
    expect(result.witness?.partition).toBe("x");
    expect(result.witness?.text).toContain('partition "x"');
  });

  it("treats every key as one register with the register model", () => {
    const b = new HistoryBuilder().run(0, put("x", "1")).run(1, get("y"), read("1"));
    expect(check(b).linearizable).toBe(false);
    const register = checkOperations(createRegisterModel(), operationsFromHistory(b.events));
    expect(register).toMatchObject({ linearizable: true, partitions: 1 });
  });

  it("reads absent keys as absentValue", () => {
    const b = new HistoryBuilder().run(0, get("x"), read("")).run(0, append("x", "a")).run(0, get("x"), read("a"));
    expect(check(b).linearizable).toBe(false);
    expect(checkOperations(createKvModel({ absentValue: "" }), operationsFromHistory(b.events)).linearizable).toBe(true);
  });

  it("answers unknown when the time budget runs out, and names the partition", () => {
    // Many concurrent appends then a read no order explains: the search must try many orders.
    const b = new HistoryBuilder();
    const ids = Array.from({ length: 14 }, (_, i) => b.invoke(i, append("k", String.fromCharCode(97 + i))));
    for (const id of ids) b.ok(id);
    b.run(99, get("k"), read("impossible"));
    let now = 0;
    const clock = () => (now += 1);
    const result = checkOperations(kv, operationsFromHistory(b.events), { timeoutMs: 50, clock });
    expect(result.linearizable).toBe("unknown");
    expect(result.timedOutPartition).toBe("k");
    expect(result.witness).toBeUndefined();
  });

  it("still decides when memoisation is switched off (maxCacheEntries 0)", () => {
    const b = new HistoryBuilder();
    const ids = Array.from({ length: 5 }, (_, i) => b.invoke(i, append("k", String(i))));
    for (const id of ids) b.ok(id);
    b.run(9, get("k"), read("43210"));
    expect(checkOperations(kv, operationsFromHistory(b.events), { maxCacheEntries: 0 }).linearizable).toBe(true);
    b.run(9, get("k"), read("01234"));
    expect(checkOperations(kv, operationsFromHistory(b.events), { maxCacheEntries: 0 }).linearizable).toBe(false);
  });

  it("rejects a bad time budget with a usage error", () => {
    expect(() => checkOperations(kv, [], { timeoutMs: -1 })).toThrow(UsageError);
    expect(() => checkOperations(kv, [], { timeoutMs: Number.NaN })).toThrow(UsageError);
  });
});

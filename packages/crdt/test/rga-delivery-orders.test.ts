import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Rga, type RgaDelta, type RgaDeleteSpan, type RgaInsert } from "../src/index.js";

/**
 * The properties of specs/crdt/RGA.tla, checked on the code after every step of random schedules:
 * three replicas make one-character inserts and deletes, and ops are delivered one at a time to
 * any replica, in any order the code accepts (`validate`: an insert once its origin is known, a
 * delete once its target is). Names as in the spec (specs/crdt/properties.md, "RGA").
 */

/** An id as a string key, `replica:lamport`. */
type Key = string;

interface Op {
  readonly delta: RgaDelta;
  readonly kind: "ins" | "del";
  /** The inserted or deleted id. */
  readonly id: Key;
  /** The insert's origin (`null`: the start); a delete's is its target's id too (readiness). */
  readonly dependsOn: Key | null;
  /** Insert: the ids its replica knew when inserting, tombstones included. */
  readonly saw: ReadonlySet<Key>;
  /** The replica that issued it. */
  readonly by: number;
}

/** How often the checks met the situations they are about (so that none holds vacuously). */
const met = { convergedConcurrent: 0, insertAfterTombstone: 0 };

/** @returns every id of the document in document order, with its tombstone flag */
function idsInOrder(doc: Rga): { key: Key; deleted: boolean }[] {
  const out: { key: Key; deleted: boolean }[] = [];
  for (const [replica, lamport, , content] of doc.toDelta().inserts) {
    const length = typeof content === "number" ? content : content.length;
    for (let i = 0; i < length; i++) out.push({ key: `${replica}:${lamport + i}`, deleted: typeof content === "number" });
  }
  return out;
}

/** One step of a schedule: who acts, what, and a number that picks the position or the op. */
const stepArb = fc.tuple(fc.nat(2), fc.nat(9), fc.nat(1000));

/** Run a schedule and check the spec's properties after every step. @returns how many ops were issued */
function runSchedule(steps: readonly [number, number, number][]): number {
  const names = ["a", "b", "c"];
  const docs = names.map((name) => new Rga(name));
  const applied = names.map(() => new Set<number>());
  const hidden = names.map(() => new Set<Key>());
  const ops: Op[] = [];
  for (const [who, what, pick] of steps) {
    const doc = docs[who] as Rga;
    const mine = applied[who] as Set<number>;
    if (what < 3) {
      const index = pick % (doc.length + 1);
      const before = idsInOrder(doc);
      const visible = before.filter((x) => !x.deleted);
      const delta = doc.insert(index, "x");
      const [replica, lamport] = delta.inserts[0] as RgaInsert;
      ops.push({ delta, kind: "ins", id: `${replica}:${lamport}`, dependsOn: index === 0 ? null : (visible[index - 1] as { key: Key }).key, saw: new Set(before.map((x) => x.key)), by: who });
      mine.add(ops.length - 1);
    } else if (what < 5 && doc.length > 0) {
      const delta = doc.delete(pick % doc.length, 1);
      const [replica, lamport] = delta.deletes[0] as RgaDeleteSpan;
      const id = `${replica}:${lamport}`;
      ops.push({ delta, kind: "del", id, dependsOn: id, saw: new Set(), by: who });
      mine.add(ops.length - 1);
    } else if (ops.length > 0) {
      const i = pick % ops.length;
      const op = ops[i] as Op;
      if (!mine.has(i) && doc.validate(op.delta) === undefined) {
        if (op.kind === "ins" && op.dependsOn !== null && idsInOrder(doc).some((x) => x.deleted && x.key === op.dependsOn)) met.insertAfterTombstone++;
        expect(doc.applyDelta(op.delta).ok).toBe(true);
        mine.add(i);
      }
    }
    checkProperties(docs, applied, hidden, ops);
  }
  return ops.length;
}

function checkProperties(docs: Rga[], applied: Set<number>[], hidden: Set<Key>[], ops: readonly Op[]): void {
  const orders = docs.map(idsInOrder);
  docs.forEach((doc, r) => {
    const order = orders[r] as { key: Key; deleted: boolean }[];
    const mine = applied[r] as Set<number>;
    const visible = new Set(order.filter((x) => !x.deleted).map((x) => x.key));
    const insertsApplied = new Set([...mine].map((i) => ops[i] as Op).filter((op) => op.kind === "ins").map((op) => op.id));
    // DocHoldsApplied: the document holds exactly the applied inserts, tombstones included.
    expect(new Set(order.map((x) => x.key))).toEqual(insertsApplied);
    // StrongConvergence: the same ops applied, the same text (and ids and tombstones: `equals`).
    docs.forEach((other, s) => {
      const theirs = applied[s] as Set<number>;
      if (s > r && mine.size === theirs.size && [...mine].every((i) => theirs.has(i))) {
        expect(doc.toString(), `replicas ${r} and ${s}`).toBe(other.toString());
        expect(doc.equals(other)).toBe(true);
        if (new Set([...mine].map((i) => (ops[i] as Op).by)).size > 1) met.convergedConcurrent++;
      }
    });
    for (const i of mine) {
      const op = ops[i] as Op;
      if (op.kind === "ins") {
        // InsertAfterOrigin: among the ids its inserter knew, the insert follows its origin.
        const seen = order.filter((x) => x.key === op.id || op.saw.has(x.key)).map((x) => x.key);
        expect(seen.indexOf(op.id), `insert ${op.id} at replica ${r}`).toBe(op.dependsOn === null ? 0 : seen.indexOf(op.dependsOn) + 1);
      } else {
        // DeletedInvisible.
        expect(visible.has(op.id), `deleted ${op.id} visible at replica ${r}`).toBe(false);
      }
    }
    // DeletedStaysDeleted: an id once hidden here is never visible again.
    const gone = hidden[r] as Set<Key>;
    for (const key of gone) expect(visible.has(key), `${key} visible again at replica ${r}`).toBe(false);
    for (const x of order) if (x.deleted) gone.add(x.key);
    // ReadyOpsApply: an op whose origin or target was applied here is accepted.
    ops.forEach((op, i) => {
      if (!mine.has(i) && (op.dependsOn === null || insertsApplied.has(op.dependsOn))) {
        expect(doc.validate(op.delta), `op ${i} (${op.kind} ${op.id}) at replica ${r}`).toBeUndefined();
      }
    });
  });
}

describe("RGA under random delivery orders (the properties of specs/crdt/RGA.tla)", () => {
  it("holds StrongConvergence, InsertAfterOrigin, DeletedInvisible, DeletedStaysDeleted and ReadyOpsApply after every step", () => {
    let issued = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 20, maxLength: 120 }), (steps) => {
        issued += runSchedule(steps);
      }),
      { seed: 18_2026, numRuns: 200 },
    );
    expect(issued).toBeGreaterThan(1000);
    expect(met.convergedConcurrent).toBeGreaterThan(100);
    expect(met.insertAfterTombstone).toBeGreaterThan(40);
  });

  it("delivered everywhere, in two different orders, the replicas end equal", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 20, maxLength: 80 }), fc.nat(), (steps, shuffle) => {
        runSchedule(steps);
        const names = ["a", "b", "c"];
        const docs = names.map((name) => new Rga(name));
        const deltas: RgaDelta[] = [];
        // Replay the schedule's local edits on fresh replicas that see nothing of each other,
        // then deliver every op everywhere: forwards to one, in a rotated order to the other.
        for (const [who, what, pick] of steps) {
          const doc = docs[who] as Rga;
          if (what < 3) deltas.push(doc.insert(pick % (doc.length + 1), "y"));
          else if (what < 5 && doc.length > 0) deltas.push(doc.delete(pick % doc.length, 1));
        }
        const p = new Rga("p"), q = new Rga("q");
        const start = deltas.length === 0 ? 0 : shuffle % deltas.length;
        const rotated = [...deltas.slice(start), ...deltas.slice(0, start)];
        for (const [target, order] of [[p, deltas], [q, rotated]] as const) {
          // Deliver in passes: each pass applies every op that is causally ready.
          const pending = [...order];
          while (pending.length > 0) {
            const ready = pending.filter((d) => target.validate(d) === undefined);
            expect(ready.length, "an op is never ready").toBeGreaterThan(0);
            for (const d of ready) expect(target.applyDelta(d).ok).toBe(true);
            for (const d of ready) pending.splice(pending.indexOf(d), 1);
          }
        }
        expect(p.toString()).toBe(q.toString());
        expect(p.equals(q)).toBe(true);
      }),
      { seed: 18_2026, numRuns: 100 },
    );
  });
});

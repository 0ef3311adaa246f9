import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Codec } from "@synod/core";
import {
  causalCounterAddDelta,
  causalCounterKind,
  causalCounterValue,
  GCounter,
  gCounterCodec,
  GSet,
  gSetCodec,
  HybridLogicalClock,
  LWWRegister,
  lwwRegisterCodec,
  MVRegister,
  mvRegisterCodec,
  ORMap,
  orMapCodec,
  orSetAddDelta,
  orSetKind,
  orSetRemoveDelta,
  ORSet,
  orSetCodec,
  PNCounter,
  pnCounterCodec,
  TwoPSet,
  twoPSetCodec,
} from "../src/index.js";

/** Fixed seed for every property here: a failure prints it (and fast-check's path) to reproduce. */
const SEED = 5_2026;
const REPLICAS = ["r1", "r2", "r3"] as const;

/**
 * A CRDT type under test: how to make an empty state, apply a random local mutation at a replica
 * (returning the delta), join, compare and encode.
 */
interface Harness<T> {
  readonly name: string;
  empty(): T;
  /** Apply mutation `choice` at `replica` to `state` (in place) and return its delta. */
  mutate(state: T, replica: string, choice: number, clock: HybridLogicalClock): T;
  join(a: T, b: T): T;
  merge(into: T, other: T): void;
  clone(x: T): T;
  equals(a: T, b: T): boolean;
  codec: Codec<T>;
}

const ELEMENTS = ["x", "y", "z"];

/** Apply a delta made by a replica bound to `r` (over a copy of `state`) to `state` itself. @returns the delta */
function actAs<T extends { merge(delta: T): void }>(state: T, delta: T): T {
  state.merge(delta);
  return delta;
}

const harnesses: Harness<unknown>[] = [
  {
    name: "G-Counter",
    empty: () => new GCounter(),
    mutate: (s: GCounter, r, c) => actAs(s, GCounter.forReplica(r, s).increment(c % 4)),
    join: (a: GCounter, b: GCounter) => a.join(b),
    merge: (a: GCounter, b: GCounter) => a.merge(b),
    clone: (x: GCounter) => x.clone(),
    equals: (a: GCounter, b: GCounter) => a.equals(b),
    codec: gCounterCodec,
  } satisfies Harness<GCounter>,
  {
    name: "PN-Counter",
    empty: () => PNCounter.empty(),
    mutate: (s: PNCounter, r, c) => actAs(s, PNCounter.forReplica(r, s).add((c % 7) - 3)),
    join: (a: PNCounter, b: PNCounter) => a.join(b),
    merge: (a: PNCounter, b: PNCounter) => a.merge(b),
    clone: (x: PNCounter) => x.clone(),
    equals: (a: PNCounter, b: PNCounter) => a.equals(b),
    codec: pnCounterCodec,
  } satisfies Harness<PNCounter>,
  {
    name: "G-Set",
    empty: () => new GSet(),
    mutate: (s: GSet, _r, c) => s.add(ELEMENTS[c % 3] as string),
    join: (a: GSet, b: GSet) => a.join(b),
    merge: (a: GSet, b: GSet) => a.merge(b),
    clone: (x: GSet) => x.clone(),
    equals: (a: GSet, b: GSet) => a.equals(b),
    codec: gSetCodec,
  } satisfies Harness<GSet>,
  {
    name: "2P-Set",
    empty: () => TwoPSet.empty(),
    mutate: (s: TwoPSet, _r, c) => (c % 2 === 0 ? s.add(ELEMENTS[c % 3] as string) : (s.remove(ELEMENTS[c % 3] as string) ?? TwoPSet.empty())),
    join: (a: TwoPSet, b: TwoPSet) => a.join(b),
    merge: (a: TwoPSet, b: TwoPSet) => a.merge(b),
    clone: (x: TwoPSet) => x.clone(),
    equals: (a: TwoPSet, b: TwoPSet) => a.equals(b),
    codec: twoPSetCodec,
  } satisfies Harness<TwoPSet>,
  {
    name: "OR-Set",
    empty: () => new ORSet(),
    mutate: (s: ORSet, r, c) => (c % 3 === 2 ? s.remove(ELEMENTS[c % 3] as string) : actAs(s, ORSet.forReplica(r, s).add(ELEMENTS[c % 3] as string))),
    join: (a: ORSet, b: ORSet) => a.join(b),
    merge: (a: ORSet, b: ORSet) => a.merge(b),
    clone: (x: ORSet) => x.clone(),
    equals: (a: ORSet, b: ORSet) => a.equals(b),
    codec: orSetCodec,
  } satisfies Harness<ORSet>,
  {
    name: "MV-Register",
    empty: () => new MVRegister(),
    mutate: (s: MVRegister, r, c) => actAs(s, MVRegister.forReplica(r, s).assign(c % 5)),
    join: (a: MVRegister, b: MVRegister) => a.join(b),
    merge: (a: MVRegister, b: MVRegister) => a.merge(b),
    clone: (x: MVRegister) => x.clone(),
    equals: (a: MVRegister, b: MVRegister) => a.equals(b),
    codec: mvRegisterCodec,
  } satisfies Harness<MVRegister>,
  {
    name: "LWW-Register",
    empty: () => new LWWRegister(),
    mutate: (s: LWWRegister, r, c, clock) => {
      if (c % 2 === 0) clock.tick();
      return actAs(s, LWWRegister.forReplica(r, s).assign(clock.now(), `v${c % 4}`));
    },
    join: (a: LWWRegister, b: LWWRegister) => a.join(b),
    merge: (a: LWWRegister, b: LWWRegister) => a.merge(b),
    clone: (x: LWWRegister) => x.clone(),
    equals: (a: LWWRegister, b: LWWRegister) => a.equals(b),
    codec: lwwRegisterCodec,
  } satisfies Harness<LWWRegister>,
  (() => {
    // OR-Map of OR-Sets (nested), with the observed-reset removal of keys.
    type M = ORMap<ReturnType<typeof orSetKind.empty>, ReturnType<typeof orSetKind.toWire>>;
    const h: Harness<M> = {
      name: "OR-Map<OR-Set>",
      empty: () => new ORMap(orSetKind),
      mutate: (s, r, c) => {
        const key = ["k1", "k2"][c % 2] as string;
        if (c % 5 === 4) return s.remove(key);
        const element = ELEMENTS[c % 3] as string;
        const replica = ORMap.forReplica(orSetKind, r, s);
        if (c % 5 === 3) return actAs(s, replica.update(key, (store) => orSetRemoveDelta(store, element)));
        return actAs(s, replica.update(key, (store, ctx, id) => orSetAddDelta(store, ctx, id, element)));
      },
      join: (a, b) => a.join(b),
      merge: (a, b) => a.merge(b),
      clone: (x) => x.clone(),
      equals: (a, b) => a.equals(b),
      codec: orMapCodec(orSetKind),
    };
    return h as unknown as Harness<unknown>;
  })(),
  (() => {
    // OR-Map of causal counters.
    type M = ORMap<ReturnType<typeof causalCounterKind.empty>, ReturnType<typeof causalCounterKind.toWire>>;
    const h: Harness<M> = {
      name: "OR-Map<causal counter>",
      empty: () => new ORMap(causalCounterKind),
      mutate: (s, r, c) => {
        const key = ["k1", "k2"][c % 2] as string;
        if (c % 4 === 3) return s.remove(key);
        const replica = ORMap.forReplica(causalCounterKind, r, s);
        return actAs(s, replica.update(key, (store, ctx, id) => causalCounterAddDelta(store, ctx, id, (c % 5) - 2)));
      },
      join: (a, b) => a.join(b),
      merge: (a, b) => a.merge(b),
      clone: (x) => x.clone(),
      equals: (a, b) => a.equals(b),
      codec: orMapCodec(causalCounterKind),
    };
    return h as unknown as Harness<unknown>;
  })(),
];

/** A history: a list of steps, each a local mutation at a replica or a merge from one replica into another. */
const historyArb = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("mutate" as const), at: fc.nat(2), choice: fc.nat(60) }),
    fc.record({ kind: fc.constant("merge" as const), from: fc.nat(2), to: fc.nat(2) }),
  ),
  { maxLength: 25 },
);

type History = fc.Arbitrary<unknown> extends unknown ? ReturnType<typeof historyArb.generate>["value"] : never;

/** Run a history on three replicas; returns the replicas' states and every delta produced. */
function runHistory<T>(h: Harness<T>, history: History): { states: T[]; deltas: { at: number; delta: T; before: T; after: T }[] } {
  const states = REPLICAS.map(() => h.empty());
  const clocks = REPLICAS.map(() => new HybridLogicalClock());
  const deltas: { at: number; delta: T; before: T; after: T }[] = [];
  for (const step of history) {
    if (step.kind === "mutate") {
      const state = states[step.at] as T;
      const before = h.clone(state);
      const delta = h.mutate(state, REPLICAS[step.at] as string, step.choice, clocks[step.at] as HybridLogicalClock);
      deltas.push({ at: step.at, delta, before, after: h.clone(state) });
    } else if (step.from !== step.to) {
      h.merge(states[step.to] as T, states[step.from] as T);
      const stamp = (h.empty() instanceof LWWRegister ? (states[step.from] as unknown as LWWRegister).current()?.stamp : undefined);
      if (stamp) clocks[step.to]?.observe(stamp);
    }
  }
  return { states, deltas };
}

for (const h of harnesses) {
  describe(`${h.name} laws (fast-check seed ${SEED})`, () => {
    it("join is commutative, associative and idempotent over reachable states and deltas", () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { states, deltas } = runHistory(h, history);
          const values = [...states, ...deltas.slice(0, 4).map((d) => d.delta)];
          for (const a of values) {
            expect(h.equals(h.join(a, a), a)).toBe(true);
            for (const b of values) {
              expect(h.equals(h.join(a, b), h.join(b, a))).toBe(true);
              for (const c of values.slice(0, 3)) expect(h.equals(h.join(h.join(a, b), c), h.join(a, h.join(b, c)))).toBe(true);
            }
          }
        }),
        { seed: SEED, numRuns: 60 },
      );
    });

    it("a delta-mutation equals joining the full state it came from, and deltas join into each other", () => {
      fc.assert(
        fc.property(historyArb, fc.nat(2), (history, observer) => {
          const { states, deltas } = runHistory(h, history);
          for (const { delta, before, after } of deltas) {
            // m(X) = X ⊔ mδ(X), seen from the mutating replica…
            expect(h.equals(h.join(before, delta), after)).toBe(true);
            // …and from any replica that already has X: Y ⊔ d = Y ⊔ X'.
            const y = h.join(states[observer] as typeof before, before);
            expect(h.equals(h.join(y, delta), h.join(y, after))).toBe(true);
          }
          // A delta-group (join of consecutive deltas of one replica) has the same effect as the deltas one by one.
          const mine = deltas.filter((d) => d.at === 0);
          if (mine.length >= 2) {
            const first = mine[0] as (typeof mine)[number];
            const group = mine.slice(1).reduce((g, d) => h.join(g, d.delta), first.delta);
            let oneByOne = h.clone(first.before);
            for (const d of mine) oneByOne = h.join(oneByOne, d.delta);
            expect(h.equals(h.join(first.before, group), oneByOne)).toBe(true);
          }
        }),
        { seed: SEED, numRuns: 60 },
      );
    });

    it("states and deltas round-trip through the codec", () => {
      fc.assert(
        fc.property(historyArb, (history) => {
          const { states, deltas } = runHistory(h, history);
          for (const value of [...states, ...deltas.map((d) => d.delta)]) {
            const decoded = h.codec.decode(h.codec.encode(value));
            expect(decoded.ok).toBe(true);
            if (decoded.ok) expect(h.equals(decoded.value, value)).toBe(true);
          }
        }),
        { seed: SEED, numRuns: 40 },
      );
    });

    it("random concurrent histories converge once every replica has merged every other (any order)", () => {
      fc.assert(
        fc.property(historyArb, fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { minLength: 1, maxLength: 12 }), (history, extra) => {
          const { states } = runHistory(h, history);
          // Disconnected replicas reconnect: a random extra exchange, then everybody merges everybody.
          for (const [from, to] of extra) if (from !== to) h.merge(states[to] as never, h.clone(states[from] as never));
          const all = states.reduce((acc, s) => h.join(acc, s), h.empty());
          for (const s of states) h.merge(s as never, all as never);
          for (const s of states) expect(h.equals(s, states[0] as never)).toBe(true);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  });
}

describe("op-based forms: concurrent ops commute under causal delivery", () => {
  it("PN-Counter ops applied in any order give the same state", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...REPLICAS), fc.integer({ min: -5, max: 5 })), { maxLength: 20 }), (ops) => {
        const prepared = ops.map(([r, n]) => PNCounter.forReplica(r).prepareAdd(n));
        const a = PNCounter.empty(), b = PNCounter.empty();
        for (const op of prepared) a.effect(op);
        for (const op of [...prepared].reverse()) b.effect(op);
        expect(a.equals(b)).toBe(true);
        expect(a.value()).toBe(ops.reduce((s, [, n]) => s + n, 0));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("concurrent OR-Set adds and removes commute (add wins) and MV-Register writes commute", () => {
    fc.assert(
      fc.property(fc.nat(2), fc.nat(2), (e1, e2) => {
        const base = new ORSet();
        base.merge(ORSet.forReplica("r1", base).add(ELEMENTS[e1] as string));
        base.merge(ORSet.forReplica("r2", base).add(ELEMENTS[e2] as string));
        // Two replicas at the same state prepare concurrent ops.
        const x = base.clone(), y = base.clone();
        const rm = x.prepareRemove(ELEMENTS[e1] as string);
        const add = ORSet.forReplica("r2", y).prepareAdd(ELEMENTS[e1] as string);
        const add2 = ORSet.forReplica("r3", y).prepareAdd(ELEMENTS[e2] as string);
        const p = base.clone(), q = base.clone();
        for (const op of [rm, add, add2]) p.effect(op);
        for (const op of [add2, add, rm]) q.effect(op);
        expect(p.equals(q)).toBe(true);
        expect(p.has(ELEMENTS[e1] as string)).toBe(true); // the concurrent add wins

        const w1 = MVRegister.forReplica("r1").prepareAssign("a"), w2 = MVRegister.forReplica("r2").prepareAssign("b");
        const m1 = new MVRegister(), m2 = new MVRegister();
        m1.effect(w1); m1.effect(w2);
        m2.effect(w2); m2.effect(w1);
        expect(m1.equals(m2)).toBe(true);
        expect(m1.values().sort()).toEqual(["a", "b"]);
      }),
      { seed: SEED, numRuns: 20 },
    );
  });

  it("LWW-Register: the larger HLC timestamp wins, ties go to the larger replica id", () => {
    const a = new LWWRegister(), b = new LWWRegister();
    a.effect({ stamp: [3, 0], replica: "r1", value: "one" });
    a.effect({ stamp: [3, 0], replica: "r2", value: "two" });
    b.effect({ stamp: [3, 0], replica: "r2", value: "two" });
    b.effect({ stamp: [3, 0], replica: "r1", value: "one" });
    expect(a.value()).toBe("two");
    expect(a.equals(b)).toBe(true);
    const clock = new HybridLogicalClock(10);
    clock.tick();
    expect(clock.now()).toEqual([1, 0]);
    expect(clock.observe([5, 2])).toBe(true);
    expect(clock.now()).toEqual([5, 3]);
    expect(clock.observe([100, 0])).toBe(false); // too far ahead of our ticks: refused
  });

  it("causal counter inside an OR-Map: removal resets, a concurrent increment survives", () => {
    const a = ORMap.forReplica(causalCounterKind, "r1");
    a.update("k", (s, c, replica) => causalCounterAddDelta(s, c, replica, 5));
    const b = ORMap.forReplica(causalCounterKind, "r2", a);
    const rm = a.remove("k");
    const inc = b.update("k", (s, c, replica) => causalCounterAddDelta(s, c, replica, 2));
    a.merge(inc);
    b.merge(rm);
    expect(a.equals(b)).toBe(true);
    expect(causalCounterValue(a.get("k") ?? new Map())).toBe(2); // add-wins, observed state reset
  });
});

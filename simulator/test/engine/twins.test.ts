import { describe, expect, it } from "vitest";
import { createRng } from "@synod/core";
import { raftSimulation, type RaftInvariant } from "@synod/raft/simulation";
import { pbftSimulation } from "@synod/pbft";
import { createKvModel } from "@synod/lincheck";
import { withLinearizability } from "../../src/checks/linearizable.js";
import { runSimulation } from "../../src/engine/run-simulation.js";
import { TWIN_BOTH, TWIN_CUT, Twins } from "../../src/engine/twins.js";
import { checkDeterminism } from "../../src/replay/check-determinism.js";
import { replayTrace } from "../../src/replay/replay-trace.js";
import { RunRecorder } from "../../src/record/run-recorder.js";
import { broadcastSimulation } from "../../src/reference/broadcast/index.js";

const pbft = withLinearizability(pbftSimulation, createKvModel());
const raft = withLinearizability(raftSimulation, createKvModel());
/** A seed of `raft --nodes 3 --twins 1` (5 s, no other fault) where the two honest nodes diverge. */
const HONEST_DIVERGENCE_SEED = 12;

describe("Twins routing", () => {
  // 4 members, n1 (index 0) twinned: its second copy is index 4.
  const members = 4;
  const honest = [1, 2, 3];

  it("honest nodes always reach each other; a send to the twinned id reaches the copy on the sender's side, a copy reaches only its side", () => {
    const twins = new Twins(members, [0], createRng(7).fork("twin-sides"));
    let split = 0;
    let open = 0;
    const sidesSeen = new Set<string>();
    for (let t = 0; t < 20_000; t += 7) {
      for (const h of honest) for (const g of honest) if (h !== g) expect(twins.route(h, g, t)).toBe(g);
      const targets = honest.map((h) => twins.route(h, 0, t));
      if (targets.every((x) => x === TWIN_BOTH)) {
        open++;
        // Both copies reach everyone, and a copy's send to its own id stays with it.
        for (const h of honest) expect([twins.route(0, h, t), twins.route(4, h, t)]).toEqual([h, h]);
        expect([twins.route(0, 0, t), twins.route(4, 0, t)]).toEqual([0, 4]);
        continue;
      }
      split++;
      honest.forEach((h, k) => {
        const copy = targets[k] as number;
        expect([0, 4]).toContain(copy);
        // The copy h sends to is the copy that reaches h; the other copy's sends to h are cut.
        expect(twins.route(copy, h, t)).toBe(h);
        expect(twins.route(copy === 0 ? 4 : 0, h, t)).toBe(TWIN_CUT);
      });
      sidesSeen.add(targets.join(","));
    }
    expect(split).toBeGreaterThan(0);
    expect(open).toBeGreaterThan(0);
    expect(sidesSeen.size).toBeGreaterThan(4); // the sides are re-drawn: many different splits over time
    expect(twins.metrics().twinEpisodes).toBeGreaterThan(10);
  });

  it("two twins: a copy reaches the other twin's copy on its side; after healing every send goes to the first copy", () => {
    // 5 members, n1 and n2 twinned: copies at 5 and 6.
    const twins = new Twins(5, [0, 1], createRng(3).fork("twin-sides"));
    for (let t = 0; t < 5000; t += 11) {
      for (const from of [0, 5]) {
        const to = twins.route(from, 1, t);
        if (to === TWIN_BOTH) continue;
        expect([1, 6]).toContain(to);
        expect(twins.route(to, 0, t)).toBe(from); // symmetric: the copies pair up within a side
      }
    }
    twins.retire();
    expect([twins.route(2, 0, 6000), twins.route(0, 3, 6000), twins.route(5, 3, 6000)]).toEqual([0, 3, 3]);
    expect(twins.isTwinCopy(5)).toBe(false);
  });
});

describe("Twins in the simulator", () => {
  it("a twinned PBFT primary equivocates on its own: its two copies send conflicting pre-prepares for one (view, seq) to different sides, and safety holds", () => {
    // Seed 3 twins n1, the primary of view 0, and its first episode of sides is {n3,n4,n1'} | {n1,n2}
    // (the draw is asserted: a change to it shows here).
    const result = runSimulation(pbft, { seed: 3, nodes: 4, durationMs: 2000, twins: 1, trace: true });
    expect(result.twins).toEqual(["n1"]);
    expect(result.violations).toEqual([]);
    const sent = new Map<string, Map<string, { from: Set<string>; to: Set<string> }>>();
    for (const line of result.trace ?? []) {
      const e = JSON.parse(line) as { e?: string; from?: string; to?: string; msg?: { type: string; view: number; seq: number; digest: { $bytes: string } } };
      if (e.e !== "deliver" || e.msg?.type !== "prePrepare" || (e.from !== "n1" && e.from !== "n1'")) continue;
      const slot = `${e.msg.view}:${e.msg.seq}`;
      let digests = sent.get(slot);
      if (digests === undefined) sent.set(slot, (digests = new Map()));
      let who = digests.get(e.msg.digest.$bytes);
      if (who === undefined) digests.set(e.msg.digest.$bytes, (who = { from: new Set(), to: new Set() }));
      who.from.add(e.from);
      who.to.add(e.to as string);
    }
    const conflicts = [...sent.values()].filter((digests) => digests.size > 1).map((digests) => [...digests.values()]);
    expect(conflicts.length).toBeGreaterThan(0);
    // In every conflicting slot the digests come one from each copy (an honest copy never equivocates alone) …
    for (const conflict of conflicts) expect(conflict.map((who) => [...who.from].join())).toEqual(expect.arrayContaining(["n1", "n1'"]));
    // … and in some, one replica got only the first copy's and another only the second copy's: the
    // network's sides at work, not both copies reaching everyone.
    const onlyOne = (a: { to: Set<string> }, b: { to: Set<string> }): boolean => [...a.to].some((to) => !b.to.has(to));
    const split = conflicts.filter(([a, b]) => a !== undefined && b !== undefined && onlyOne(a, b) && onlyOne(b, a));
    expect(split.length).toBeGreaterThan(0);
    expect(result.metrics.twinCut).toBeGreaterThan(0);
  });

  it("PBFT with one twin of 4 (f = 1): every invariant holds over a sweep with every fault", () => {
    // Twins decide per seed which node is twinned; 3-second runs keep the sweep short.
    for (let seed = 1; seed <= 16; seed++) {
      const result = runSimulation(pbft, { seed, nodes: 4, durationMs: 3000, faults: "all", twins: 1 });
      expect({ seed, violations: result.violations }).toEqual({ seed, violations: [] });
    }
  });

  it("two twins of 4 (f + 1, outside the guarantee): two honest replicas commit different batches at one sequence number", () => {
    // Seed 8 twins n1 and n4; n2 and n3, both honest, are each on one side of the two worlds.
    const result = runSimulation(pbft, { seed: 8, nodes: 4, durationMs: 5000, twins: 2 });
    expect(result.twins).toEqual(["n1", "n4"]);
    expect(result.violations.map((v) => v.invariant)).toEqual(["Agreement"]);
    expect(result.violations[0]?.message).toMatch(/sequence 1: n[23] committed batch \w+ in view 0, n[23] committed/);
  });

  it("the second copy is drawn as n1', Byzantine until healing and down from then on, with the sides as partitions", () => {
    const recorder = new RunRecorder();
    const result = runSimulation(pbft, { seed: 1, nodes: 4, durationMs: 2000, twins: 1, record: recorder });
    const recording = recorder.recording();
    expect(recording.nodes).toEqual(["n1", "n2", "n3", "n4", "n1'"]);
    // Both copies shown as Byzantine until healing; the second copy down from healing on.
    const copyEpisodes = recording.nodeEpisodes.filter((e) => e.node === 4);
    expect(copyEpisodes.map((e) => [e.kind, e.toMs])).toEqual([["byzantine", result.healAtMs], ["down", result.simulatedMs]]);
    expect(recording.networkEpisodes.some((e) => e.label.startsWith("twins {"))).toBe(true);
    // Messages reach the copy before healing and none is delivered to it after.
    const m = recording.messages;
    const toCopy = m.to.map((to, k) => ({ to, k })).filter(({ to }) => to === 4);
    expect(toCopy.length).toBeGreaterThan(0);
    expect(toCopy.every(({ k }) => m.fate[k] !== 0 || (m.endMs[k] as number) <= result.healAtMs)).toBe(true);
  });

  it("runs with twins are deterministic and replay from their trace", () => {
    const report = checkDeterminism(broadcastSimulation, { seed: 4, nodes: 4, durationMs: 1500, faults: "all", twins: 2 });
    expect(report.deterministic).toBe(true);
    const lines = report.result.trace ?? [];
    expect(JSON.parse(lines[0] as string).twins).toHaveLength(2);
    expect(replayTrace(broadcastSimulation, lines).identical).toBe(true);
  });

  it("no twins draws nothing: the run is the one without the option", () => {
    const plain = runSimulation(broadcastSimulation, { seed: 9, nodes: 3, durationMs: 1500, faults: "all" });
    const zero = runSimulation(broadcastSimulation, { seed: 9, nodes: 3, durationMs: 1500, faults: "all", twins: 0 });
    expect(zero.traceHash).toBe(plain.traceHash);
    expect(zero.twins).toBeUndefined();
  });

  it("refuses a twin count outside [0, nodes]", () => {
    expect(() => runSimulation(broadcastSimulation, { seed: 1, nodes: 3, twins: 4 })).toThrow(/twins must be an integer in \[0, 3\]/);
    expect(() => runSimulation(broadcastSimulation, { seed: 1, nodes: 3, twins: 1.5 })).toThrow(/twins must be an integer/);
  });
});

describe("Twins on a protocol that is not Byzantine-tolerant", () => {
  it("Raft with one twin of 3 violates safety within a few seeds", () => {
    const found: string[] = [];
    for (let seed = 1; seed <= 10 && found.length === 0; seed++) {
      const result = runSimulation(raft, { seed, nodes: 3, durationMs: 5000, twins: 1 });
      found.push(...result.violations.filter((v) => SAFETY.includes(v.invariant)).map((v) => `seed ${seed}: ${v.invariant}`));
    }
    expect(found).not.toEqual([]);
  });

  it("Raft's two honest nodes apply different entries at one index: a real divergence of correct replicas, not a check tripping on the twin", () => {
    // Only the honest nodes are checked (the twinned id is in `view.faulty`), so the violation is a
    // divergence of two correct replicas, which a non-Byzantine protocol cannot prevent. In this seed
    // both copies of n1 lead term 1, each elected with the vote of the honest node on its side.
    const honestOnly = { ...raftSimulation, createInvariants: () => [honestStateMachineSafety()] };
    const result = runSimulation(honestOnly, { seed: HONEST_DIVERGENCE_SEED, nodes: 3, durationMs: 5000, twins: 1, checkLiveness: false });
    expect(result.violations.map((v) => v.invariant)).toEqual(["HonestStateMachineSafety"]);
    expect(result.twins).not.toContain(result.violations[0]?.node);
  });
});

/** Raft's safety invariants (a Liveness failure is not what these tests look for). */
const SAFETY = ["ElectionSafety", "LogMatching", "LeaderCompleteness", "StateMachineSafety", "CommittedEntriesDurable", "Linearizable"];

/** StateMachineSafety over the nodes outside `view.faulty`: what one applies at an index, every other applies there too. */
function honestStateMachineSafety(): RaftInvariant {
  const applied = new Map<number, { term: number; id: string }>();
  return {
    name: "HonestStateMachineSafety",
    afterStep(id, step, view) {
      if (view.faulty?.has(id) === true) return undefined;
      for (const o of step.output) {
        if (o.type !== "apply") continue;
        const held = applied.get(o.entry.index);
        if (held === undefined) applied.set(o.entry.index, { term: o.entry.term, id });
        else if (held.term !== o.entry.term) return `${id} applied ${o.entry.index}:${o.entry.term}, ${held.id} applied ${o.entry.index}:${held.term}`;
      }
      return undefined;
    },
  };
}

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StepBuilder, createCodec, s, type NodeId, type ProtocolNode, type SimulationTarget, type Step } from "@synod/core";
import { broadcastSimulation, checkDeterminism, firstDivergence, replayTrace, runSimulation } from "@synod/simulator";

describe("determinism and replay", () => {
  it("same seed and options give the same trace hash, events and history; another seed does not", () => {
    const a = runSimulation(broadcastSimulation, { seed: 77, nodes: 4, durationMs: 3000, faults: "all" });
    const b = runSimulation(broadcastSimulation, { seed: 77, nodes: 4, durationMs: 3000, faults: "all" });
    const c = runSimulation(broadcastSimulation, { seed: 78, nodes: 4, durationMs: 3000, faults: "all" });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.events).toBe(a.events);
    expect(b.history).toEqual(a.history);
    expect(b.metrics).toEqual(a.metrics);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it("a trace written to a file is reproduced exactly by replaying its seed", () => {
    const dir = mkdtempSync(join(tmpdir(), "synod-trace-"));
    const file = join(dir, "run.ndjson");
    const lines: string[] = [];
    const first = runSimulation(broadcastSimulation, { seed: 4242, nodes: 3, durationMs: 2000, faults: ["loss", "crash", "partition"], trace: (line) => lines.push(line) });
    writeFileSync(file, lines.join("\n") + "\n");
    const header = JSON.parse(lines[0] as string) as { seed: number; nodes: number; durationMs: number };
    const replay = runSimulation(broadcastSimulation, { seed: header.seed, nodes: header.nodes, durationMs: header.durationMs, faults: ["loss", "crash", "partition"], trace: true });
    const stored = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(firstDivergence(stored, replay.trace ?? [])).toBeUndefined();
    expect(replay.traceHash).toBe(first.traceHash);
    expect(stored.length).toBe(first.events + 2); // header + one line per event + end line
  });

  it("replayTrace re-runs a trace from its header alone (swarm faults, custom workload) and finds a tampered event", () => {
    const recorded = runSimulation(broadcastSimulation, { seed: 99, nodes: 4, durationMs: 2500, faults: "all", workload: { clients: 2, thinkMaxMs: 30 }, network: { maxLatencyMs: 20 }, trace: true });
    const lines = recorded.trace ?? [];
    const replay = replayTrace(broadcastSimulation, lines);
    expect(replay.identical).toBe(true);
    expect(replay.result.traceHash).toBe(recorded.traceHash);
    const tampered = [...lines];
    const k = Math.floor(lines.length / 2);
    tampered[k] = (tampered[k] as string).replace(/"t":[0-9.]+/, '"t":-1');
    const report = replayTrace(broadcastSimulation, tampered);
    expect(report.identical).toBe(false);
    expect(report.divergence?.line).toBe(k);
    expect(report.divergence?.event).toBe(k - 1);
    expect(() => replayTrace({ ...broadcastSimulation, name: "other" }, lines)).toThrow(/recorded with protocol broadcast/);
  });

  it("tracing does not change the run", () => {
    const plain = runSimulation(broadcastSimulation, { seed: 5, nodes: 3, durationMs: 2000, faults: "all" });
    const traced = runSimulation(broadcastSimulation, { seed: 5, nodes: 3, durationMs: 2000, faults: "all", trace: true });
    expect(traced.traceHash).toBe(plain.traceHash);
  });

  it("checkDeterminism passes a deterministic protocol", () => {
    const report = checkDeterminism(broadcastSimulation, { seed: 3, nodes: 3, durationMs: 1500, faults: "all" });
    expect(report.deterministic).toBe(true);
    expect(report.divergence).toBeUndefined();
  });

  it("checkDeterminism reports the first diverging event of a protocol with state leaking between runs", () => {
    const target = leakyTarget();
    const report = checkDeterminism(target, { seed: 1, nodes: 2, durationMs: 500, checkLiveness: false });
    expect(report.deterministic).toBe(false);
    const divergence = report.divergence;
    expect(divergence).toBeDefined();
    if (divergence === undefined) return;
    expect(divergence.event).toBeGreaterThanOrEqual(0);
    expect(divergence.first).not.toBe(divergence.second);
    // before the divergence the two runs agree: re-run twice more and compare the prefix
    const third = runSimulation(target, { seed: 1, nodes: 2, durationMs: 500, checkLiveness: false, trace: true }).trace ?? [];
    const fourth = runSimulation(target, { seed: 1, nodes: 2, durationMs: 500, checkLiveness: false, trace: true }).trace ?? [];
    const d2 = firstDivergence(third, fourth);
    expect(d2).toBeDefined();
    expect(third.slice(0, d2?.line)).toEqual(fourth.slice(0, d2?.line));
  });
});

/** A deliberately nondeterministic toy: a module-level counter leaks state from one run into the next. */
let leaked = 0;
function leakyTarget(): SimulationTarget<LeakyNode, number, number, never, never> {
  const codec = createCodec(s.uint());
  return {
    name: "leaky",
    description: "nondeterministic on purpose",
    defaultNodes: 2,
    minNodes: 1,
    tickMs: 10,
    createNode: (ctx) => new LeakyNode(ctx.id, ctx.members),
    messageCodec: codec,
    recordCodec: createCodec(s.literal(0) as never),
    createInvariants: () => [],
  };
}

class LeakyNode implements ProtocolNode<number, number, never, never> {
  private readonly out = new StepBuilder<number, never, never>();
  constructor(
    readonly id: NodeId,
    private readonly members: readonly NodeId[],
  ) {}
  tick(): Step<number, never, never> {
    leaked++;
    if (leaked % 7 === 0) for (const to of this.members) if (to !== this.id) this.out.send({ from: this.id, to, message: leaked });
    return this.out.finish();
  }
  receive(): Step<number, never, never> {
    return this.out.finish();
  }
  receiveBytes(): Step<number, never, never> {
    return this.out.finish();
  }
  request(): Step<number, never, never> {
    return this.out.finish();
  }
}

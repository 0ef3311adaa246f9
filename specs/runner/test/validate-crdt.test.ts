import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CrdtSpecTraceError, CrdtSpecTraceRecorder, crdtSpecTraceClientModel, crdtSpecTraceTarget, type CrdtSpecTraceEvent } from "../../../packages/crdt/src/index.js";
import { crdtTraceNdjson, crdtValidatedFaults, recordCrdtRun } from "../validate/record-crdt-trace.js";
import { runValidate } from "../validate/run-validate.js";
import { readTraceVerdict } from "../validate/tlc-trace-check.js";
import { crdtTraceDataModule } from "../validate/trace-module.js";
import { parseValidateArgs } from "../validate/validate-args.js";

const specsRoot = fileURLToPath(new URL("../..", import.meta.url));
const NODES = ["n1", "n2", "n3"];

describe("the CRDT spec-trace recorder (no TLC)", () => {
  const clean = { seed: 1, nodes: 3, durationMs: 300, faults: "none" };
  const faulty = { seed: 1, nodes: 3, durationMs: 400, faults: "all" };

  it("records the same trace for the same seed", () => {
    expect(crdtTraceNdjson(recordCrdtRun(clean))).toBe(crdtTraceNdjson(recordCrdtRun(clean)));
  });

  it("turns local updates, intervals, full states, merges and acks into the spec's events, with the replica's state after each step", () => {
    const run = recordCrdtRun(faulty);
    const names = new Set(run.events.map((e) => e.e));
    for (const name of ["Increment", "Add", "Remove", "SendDelta", "SendFull", "ReceiveDelta", "ReceiveAck", "ReceiveAckCovering"]) expect(names, name).toContain(name);
    expect(names).not.toContain("Noop");
    expect(run.header).toMatchObject({ specTrace: "crdt", nodes: NODES, elements: ["a", "b"] });
    expect(run.header.maxOps).toBe(Math.max(...run.events.map((e) => e.post?.nops ?? 0)));
    // Duplication: some delivered message stays in the spec's network for a later copy.
    expect(run.events.some((e) => e.keep === true)).toBe(true);
    run.events.forEach((e, k) => {
      expect(NODES).toContain(e.i);
      if (e.j !== undefined) expect(e.j).not.toBe(e.i);
      if (e.e.startsWith("Receive")) expect(typeof e.keep).toBe("boolean");
      // The state after the step is on its last line: a checkpoint the step wrote comes after its update or merge.
      const stepEnd = run.events[k + 1]?.e === "Compact" ? run.events[k + 1] : e;
      if (["Increment", "Add", "Remove", "ReceiveDelta", "ReceiveAck", "ReceiveAckCovering"].includes(e.e)) expect(stepEnd?.post, e.e).toBeDefined();
    });
    // A local update adds the replica's next dot to what it delivered.
    const add = run.events.find((e) => e.e === "Add") as CrdtSpecTraceEvent;
    expect(add.post?.store.some(([elem, dot]) => elem === add.elem && dot[0] === add.i && dot[1] === add.post?.nops)).toBe(true);
    // A delta sent carries the sender's buffer length as its seq.
    const sent = run.events.find((e) => e.e === "SendDelta") as CrdtSpecTraceEvent;
    const sender = run.events.slice(0, run.events.indexOf(sent) + 1).filter((e) => e.i === sent.i && e.post !== undefined).pop();
    expect(sent.m?.seq).toBe(sender?.post?.buf);
  });

  it("fails the recording (not a shorter trace) on a step the spec has no action for", () => {
    const decrements = { ...crdtSpecTraceTarget(), client: { ...crdtSpecTraceClientModel, nextOperation: () => ({ type: "increment" as const, amount: -1 }) } };
    expect(() => recordCrdtRun(clean, decrements)).toThrow(CrdtSpecTraceError);
    expect(() => recordCrdtRun(clean, decrements)).toThrow(/incremented by -1 .*adds one/);
  });

  it("refuses faults the spec cannot explain, saying why", () => {
    expect(() => crdtValidatedFaults("loss,leader-crash")).toThrow(/no leader/);
    expect(() => crdtValidatedFaults("pause")).toThrow(/one simulator event/);
    expect(crdtValidatedFaults("all")).toEqual(["loss", "duplicate", "reorder", "delay", "partition", "slow", "skew", "crash", "torn", "corrupt"]);
  });

  it("maps a corrupted restart, its nacks and the compactions to the spec's actions", () => {
    // Seed 1 with crashes: n2 restarts from corrupted records, turns read-only and nacks its peers.
    const run = recordCrdtRun({ seed: 1, nodes: 3, durationMs: 1000, faults: "corrupt,crash,torn,loss,duplicate,reorder" });
    const counts = CrdtSpecTraceRecorder.counts(run.events);
    expect(counts).toMatchObject({ Restart: 1, SendNack: 2, ReceiveNack: 2, Compact: expect.any(Number) });
    const restart = run.events.find((e) => e.e === "Restart") as CrdtSpecTraceEvent;
    expect(restart).toMatchObject({ corrupted: true, post: { sess: 1, ro: true, alarm: true } });
    expect(restart.post?.needsFull).toEqual(NODES.filter((n) => n !== restart.i));
    // After the restart its messages carry its second incarnation; no local update of it follows (read-only).
    const after = run.events.slice(run.events.indexOf(restart) + 1).filter((e) => e.i === restart.i);
    expect(after.filter((e) => e.m !== undefined && e.e.startsWith("Send")).every((e) => e.m?.sess === 1)).toBe(true);
    expect(after.some((e) => ["Increment", "Add", "Remove"].includes(e.e))).toBe(false);
    // The alarm's nacks leave at its first tick after the restart, one per peer.
    expect(after.filter((e) => e.e === "SendNack").map((e) => e.j).sort()).toEqual(restart.post?.needsFull);
  });

  it("parses its command line", () => {
    expect(parseValidateArgs(["crdt"])).toMatchObject({ protocol: "crdt", seed: 1, seeds: 1, nodes: 3, durationMs: 1000, faults: "none" });
    // --strict is the only mode now (ReceiveAckCovering is an action of DeltaAntiEntropy.tla); the flag is still accepted.
    expect(parseValidateArgs(["crdt", "--seed", "4", "--faults=loss", "--strict"])).toMatchObject({ seed: 4, faults: "loss" });
    expect(parseValidateArgs(["raft"])).toMatchObject({ protocol: "raft", durationMs: 2000 });
    expect(() => parseValidateArgs(["crdt", "--no-pre-vote"])).toThrow(/Raft option/);
  });

  it("writes the trace module TLC reads", () => {
    const run = recordCrdtRun(clean);
    const text = crdtTraceDataModule(run.header, run.events.slice(0, 3));
    expect(text).toContain('TraceReplica == {"n1", "n2", "n3"}');
    expect(text).toContain('TraceElem == {"a", "b"}');
    expect(text).toContain(`TraceMaxOps == ${run.header.maxOps}`);
    expect(text.split("\n").filter((l) => l.startsWith("    [e |->"))).toHaveLength(3);
  });

  it("reads TLC's verdict on CrdtTrace.tla: the first line not matched", () => {
    const out = "Error: Assumption line 96, col 18 to line 96, col 61 of module CrdtTrace is false.\n12 states generated, 12 distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is 12.\n";
    expect(readTraceVerdict(out, 10, 1)).toMatchObject({ result: "rejected", line: 12 });
  });
});

const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const missing = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping CRDT trace validation with the real TLC`;
if (missing) console.warn(missing);

interface SeedLine {
  readonly seed: number;
  readonly lines: number;
  readonly counts: Record<string, number>;
  readonly verdict: { readonly result: string; readonly line?: number };
}

/** Run `pnpm specs validate crdt ARGS --json`, optionally with a planted change to the trace. */
async function validate(argv: readonly string[], mutate?: (events: CrdtSpecTraceEvent[]) => CrdtSpecTraceEvent[]): Promise<{ code: number; seeds: SeedLine[] }> {
  const out: string[] = [];
  const code = await runValidate({
    argv: ["crdt", ...argv, "--json"],
    env: { ...process.env, TLA2TOOLS_JAR: jar, SYNOD_TLC_NO_DOWNLOAD: "1" },
    specsRoot,
    out: (l) => out.push(l),
    err: () => undefined,
    ...(mutate ? { mutateCrdt: mutate } : {}),
  });
  const rows = out.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, seeds: rows.filter((r) => r.summary === undefined) as unknown as SeedLine[] };
}

describe.skipIf(missing !== undefined)("pnpm specs validate crdt, with the real TLC", () => {
  it("validates fixed seeds without faults and with loss, duplication, reordering and partitions", async () => {
    const clean = await validate(["--seed", "1", "--duration", "300"]);
    const faulty = await validate(["--seed", "1", "--duration", "400", "--faults", "all"]);
    expect(clean.seeds.map((s) => s.verdict.result)).toEqual(["validated"]);
    expect(faulty.seeds.map((s) => s.verdict.result)).toEqual(["validated"]);
    expect(faulty.seeds[0]?.counts).toMatchObject({ SendFull: expect.any(Number), ReceiveAckCovering: expect.any(Number) });
    expect(clean.code + faulty.code).toBe(0);
  }, 120_000);

  it("validates a run with a corrupted restart, its nacks and checkpoints; rejects the restart reported without the wait, at that line", async () => {
    const argv = ["--seed", "1", "--duration", "1000", "--faults", "corrupt,crash,torn,loss,duplicate,reorder"];
    const run = await validate(argv);
    expect(run.seeds.map((s) => s.verdict.result)).toEqual(["validated"]);
    expect(run.seeds[0]?.counts).toMatchObject({ Restart: 1, SendNack: 2, ReceiveNack: 2, Compact: expect.any(Number) });
    let planted = -1;
    const wrong = await validate(argv, (events) => {
      // The replica that recovered read-only reported as waiting for no peer's full state (the wait's nacks never sent).
      planted = events.findIndex((e) => e.e === "Restart" && e.corrupted === true);
      const e = events[planted] as CrdtSpecTraceEvent;
      if (e.post !== undefined) e.post = { ...e.post, needsFull: [] };
      return events;
    });
    expect(planted).toBeGreaterThan(0);
    expect(wrong.seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(run.code).toBe(0);
    expect(wrong.code).toBe(1);
  }, 240_000);

  it("rejects a merge that drops a dot, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1", "--duration", "300"], (events) => {
      // The first merge that brought a remote OR-Set add: the replica reports it without that dot.
      planted = events.findIndex((e) => e.e === "ReceiveDelta" && e.post !== undefined && e.post.store.some(([, dot]) => dot[0] !== e.i));
      const e = events[planted] as CrdtSpecTraceEvent;
      if (e.post !== undefined) e.post = { ...e.post, store: e.post.store.filter(([, dot]) => dot[0] === e.i) };
      return events;
    });
    expect(planted).toBeGreaterThan(0);
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 120_000);

  it("rejects an ack that acknowledges the whole buffer with a vector not covering the receiver, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1", "--duration", "300", "--strict"], (events) => {
      // The first covering ack claims an empty vector: the receiver has delivered updates it does not name.
      planted = events.findIndex((e) => e.e === "ReceiveAckCovering");
      events[planted] = { ...(events[planted] as CrdtSpecTraceEvent), seen: { vv: [], cloud: [] } };
      return events;
    });
    expect(planted).toBeGreaterThan(0);
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 120_000);
});

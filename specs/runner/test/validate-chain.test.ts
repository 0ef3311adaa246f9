import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { chainKvClientModel, chainSpecTraceTarget, type ChainSimulationTarget, type ChainSpecTraceEvent } from "../../../packages/chain/src/simulation/index.js";
import { chainTraceNdjson, chainValidatedFaults, recordChainRun } from "../validate/record-chain-trace.js";
import { runValidate } from "../validate/run-validate.js";
import { chainTraceDataModule } from "../validate/trace-module.js";
import { parseValidateArgs } from "../validate/validate-args.js";

const specsRoot = fileURLToPath(new URL("../..", import.meta.url));
/**
 * The runs CI validates (specs/chain/verification_summary.md): 2 s at 3 nodes, without faults, and
 * with every fault a validated run allows (seed 3: the head is removed, restarts and joins again at the tail).
 */
const CI_RUNS = [
  { seed: 1, faults: "none" },
  { seed: 3, faults: "all" },
] as const;

/** The KV workload with every operation on key `a` (a run whose reads are often dirty). */
const oneKeyClient: ChainSimulationTarget["client"] = {
  ...chainKvClientModel,
  nextOperation: (rng, client) => ({ ...chainKvClientModel.nextOperation(rng, client), key: "a" }),
};

describe("the chain spec-trace recorder (no TLC)", () => {
  const clean = { seed: 1, nodes: 3, durationMs: 1000, faults: "none" };
  /** The delivery and clock faults (no removal in this run: the trace covers all 2 s). */
  const faulty = { seed: 1, nodes: 3, durationMs: 2000, faults: "loss,duplicate,reorder,delay,slow,skew" };

  it("records the same trace for the same seed", () => {
    expect(chainTraceNdjson(recordChainRun(clean))).toBe(chainTraceNdjson(recordChainRun(clean)));
  });

  it("turns writes, sends, appends, acks and strong reads into Chain.tla's actions, with the member's state after each step", () => {
    const run = recordChainRun(faulty);
    const names = new Set(run.events.map((e) => e.e));
    for (const name of ["Write", "Send", "Receive", "Ack", "Read"]) expect(names, name).toContain(name);
    expect(names).not.toContain("Noop");
    expect(run.header).toMatchObject({ specTrace: "chain", nodes: ["n1", "n2", "n3"], formedEpoch: 3, maxRemovals: 0 });
    expect(run.header.maxWrites).toBe(run.events.filter((e) => e.e === "Write").length);
    // Several keys: the KV workload's, each Write and Read line naming its key (the spec's Keys).
    expect(run.header.keys).toEqual(["a", "b", "c", "d"]);
    expect(run.events.filter((e) => e.e === "Write" || e.e === "Read").every((e) => run.header.keys.includes(e.k as string))).toBe(true);
    // A read of a key answers that key's version, older than the tail's newest write of another key.
    const reads = run.events.filter((e) => e.e === "Read" && (e.version as number) > 0);
    expect(reads.some((e) => (e.version as number) < run.events.slice(0, run.events.indexOf(e)).filter((x) => x.e === "Write").length)).toBe(true);
    expect(run.violations).toEqual([]);
    // The Raft group, heartbeats and writes sent again are counted, not written as lines.
    expect(run.abstracted["sent (raft)"]).toBeGreaterThan(0);
    expect(run.abstracted["sent (heartbeat)"]).toBeGreaterThan(0);
    expect(run.abstracted["sent again (write)"]).toBeGreaterThan(0);
    // A dirty read answered with the member's newer commit point moves to where the tail held it
    // (rare with four keys: the same run with one key has one).
    const oneKey = recordChainRun(faulty, { ...chainSpecTraceTarget(), client: oneKeyClient });
    expect(oneKey.header.keys).toEqual(["a"]);
    expect(oneKey.abstracted["dirty read answered newer than the tail named (Read moved)"]).toBe(1);
    // Writes are numbered in the order the head ordered them, and each member receives them in that order.
    for (const member of ["n2", "n3"]) {
      const got = run.events.filter((e) => e.e === "Receive" && e.i === member).map((e) => e.w);
      expect(got).toEqual(got.map((_, k) => k + 1));
    }
    // Every Ack raises the member's commit point to what it names.
    for (const e of run.events.filter((x) => x.e === "Ack")) if (e.post !== undefined) expect(e.post.commit).toBe(e.commit);
  });

  it("starts the trace at the formed chain: client requests before it are refused by the recorder", () => {
    const run = recordChainRun(clean);
    expect(run.abstracted["client request before the chain formed (refused)"]).toBeGreaterThan(0);
    expect(run.events[0]?.e === "Write" || run.events[0]?.e === "Read").toBe(true);
  });

  it("writes the trace's constants into the data module", () => {
    const run = recordChainRun(clean);
    const text = chainTraceDataModule(run.header, run.events);
    expect(text).toContain('TraceNodes == <<"n1", "n2", "n3">>');
    expect(text).toContain('TraceKeys == {"a", "b", "c", "d"}');
    expect(text).toContain(`TraceMaxWrites == ${run.header.maxWrites}`);
    expect(text).toContain("TraceMaxRemovals == 0");
  });

  it("records a removal as Reconfigure and a restarted node's return as Join, where the last member adopted each", () => {
    // Seed 3 (2 s, every fault a validated run allows): the master removes the head n1, n2 heads the chain;
    // n1 restarts and the master appends it as the tail; it catches up from n3's committed state.
    const run = recordChainRun({ seed: 3, nodes: 3, durationMs: 2000, faults: "all" });
    const k = run.events.findIndex((e) => e.e === "Reconfigure");
    const j = run.events.findIndex((e) => e.e === "Join");
    expect(run.events[k]).toMatchObject({ e: "Reconfigure", i: "n1" });
    expect(run.events[j]).toMatchObject({ e: "Join", i: "n1" });
    expect(j).toBeGreaterThan(k);
    expect(run.header).toMatchObject({ maxRemovals: 1, maxJoins: 1 });
    expect(run.events.slice(k).filter((e) => e.e === "Write").every((e) => e.i === "n2")).toBe(true);
    expect(run.events.slice(k).some((e) => e.e === "Write")).toBe(true);
    // The restart is a crash of the old incarnation and a node outside the chain until it joins;
    // until its copy arrives the joiner's steps are not lines, then it receives as the tail.
    expect(run.abstracted.restart).toBe(1);
    expect(run.abstracted["a joiner's step before its copy arrived"]).toBeGreaterThan(0);
    expect(run.abstracted["a joiner caught up"]).toBe(1);
    expect(run.events.slice(j).some((e) => e.e === "Receive" && e.i === "n1" && e.p === "n3")).toBe(true);
    expect(Object.keys(run.abstracted).some((key) => key.startsWith("the trace ends"))).toBe(false);
  });


  it("refuses faults and cluster sizes the spec cannot explain, saying why", () => {
    expect(() => chainValidatedFaults("loss,torn")).toThrow(/no crash recovery/);
    expect(() => chainValidatedFaults("corrupt")).toThrow(/halts/);
    expect(chainValidatedFaults("all")).toContain("crash");
    expect(chainValidatedFaults("all")).not.toContain("buggify");
    expect(parseValidateArgs(["chain"])).toMatchObject({ protocol: "chain", nodes: 3, durationMs: 2000, faults: "none" });
    expect(() => parseValidateArgs(["chain", "--nodes", "1"])).toThrow(/--nodes must be an integer in 2..7/);
    expect(() => parseValidateArgs(["chain", "--no-pre-vote"])).toThrow(/Raft option/);
  });

  it("exits 2 on bad usage, before any run", async () => {
    const err: string[] = [];
    for (const argv of [["chain", "--seeds", "0"], ["chain", "--nodes", "9"], ["chain", "--bogus"]]) {
      const code = await runValidate({ argv, env: {}, specsRoot, out: () => undefined, err: (l) => err.push(l) });
      expect(code, argv.join(" ")).toBe(2);
    }
    const code = await runValidate({
      argv: ["chain", "--faults", "torn"],
      env: {},
      specsRoot,
      out: () => undefined,
      err: (l) => err.push(l),
      locate: async () => ({ found: true, java: "java", jar: "tla2tools.jar" }) as never,
    });
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/cannot be trace-validated against Chain.tla/);
  });
});

const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const missing = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping chain trace validation with the real TLC`;
if (missing) console.warn(missing);

interface SeedLine {
  readonly seed: number;
  readonly lines: number;
  readonly counts: Record<string, number>;
  readonly verdict: { readonly result: string; readonly line?: number; readonly seconds: number };
}

/** Run `pnpm specs validate chain ARGS --json`, optionally with a planted change to the trace. */
async function validate(argv: readonly string[], mutate?: (events: ChainSpecTraceEvent[]) => ChainSpecTraceEvent[]): Promise<{ code: number; seeds: SeedLine[] }> {
  const out: string[] = [];
  const code = await runValidate({
    argv: ["chain", ...argv, "--json"],
    env: { ...process.env, TLA2TOOLS_JAR: jar, SYNOD_TLC_NO_DOWNLOAD: "1" },
    specsRoot,
    out: (l) => out.push(l),
    err: () => undefined,
    ...(mutate ? { mutateChain: mutate } : {}),
  });
  const seeds = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.summary === undefined) as unknown as SeedLine[];
  return { code, seeds };
}

describe.skipIf(missing !== undefined)("pnpm specs validate chain, with the real TLC", () => {
  it.each(CI_RUNS)("validates CI's seed $seed (faults $faults) against Chain.tla", async ({ seed, faults }) => {
    const { code, seeds } = await validate(["--seed", String(seed), "--faults", faults]);
    for (const s of seeds) console.log(`chain trace validation: seed ${s.seed}, faults ${faults}, ${s.lines} lines, ${s.verdict.result} in ${s.verdict.seconds.toFixed(1)} s of TLC`);
    expect(seeds.map((s) => s.verdict.result)).toEqual(["validated"]);
    expect(seeds[0]?.counts).toMatchObject({ Write: expect.any(Number), Ack: expect.any(Number), Read: expect.any(Number) });
    if (faults === "all") expect(seeds[0]?.counts).toMatchObject({ Reconfigure: 1, Join: 1 });
    expect(code).toBe(0);
  }, 600_000);

  it("rejects a member that learns a commit point its successor has not reached, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "3", "--faults", "all"], (events) => {
      planted = events.findIndex((e) => e.e === "Ack" && e.i === "n1");
      const e = events[planted] as ChainSpecTraceEvent;
      events[planted] = { ...e, commit: (e.commit as number) + 1, post: { log: e.post?.log as number, commit: (e.commit as number) + 1 } };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a strong read answering a version beyond the one the spec allows (a write the tail has not committed), at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "3", "--faults", "all"], (events) => {
      planted = events.findIndex((e, k) => e.e === "Read" && k > 0 && events.slice(0, k).some((x) => x.e === "Write"));
      const e = events[planted] as ChainSpecTraceEvent;
      events[planted] = { ...e, version: (e.version as number) + 1 };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a read that answers another key's version (a key not written yet), at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "3", "--faults", "all"], (events) => {
      const keys = [...new Set(events.flatMap((e) => (e.k === undefined ? [] : [e.k])))];
      let unwritten: string | undefined;
      planted = events.findIndex((e, k) => {
        const written = new Set(events.slice(0, k).filter((x) => x.e === "Write").map((x) => x.k));
        unwritten = keys.find((key) => !written.has(key));
        return e.e === "Read" && (e.version as number) > 0 && unwritten !== undefined;
      });
      events[planted] = { ...(events[planted] as ChainSpecTraceEvent), k: unwritten as string };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a joiner that holds only what it received since the join (the tail before it caught up), at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "3", "--faults", "all"], (events) => {
      const joined = events.findIndex((e) => e.e === "Join");
      planted = events.findIndex((e, k) => k > joined && e.e === "Receive" && e.i === "n1");
      events[planted] = { ...(events[planted] as ChainSpecTraceEvent), post: { log: 1, commit: 1 } };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a write ordered by the removed head after the reconfiguration, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "3", "--faults", "all"], (events) => {
      const reconfigured = events.findIndex((e) => e.e === "Reconfigure");
      planted = events.findIndex((e, k) => k > reconfigured && e.e === "Write");
      events[planted] = { ...(events[planted] as ChainSpecTraceEvent), i: "n1" };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);
});

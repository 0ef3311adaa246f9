import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GossipSpecTraceError, gossipSpecTraceTarget, type GossipTarget, type SwimSpecTraceEvent } from "../../../packages/gossip/src/index.js";
import { gossipTraceNdjson, gossipValidatedFaults, recordGossipRun } from "../validate/record-gossip-trace.js";
import { runValidate } from "../validate/run-validate.js";
import { swimTraceDataModule } from "../validate/trace-module.js";
import { parseValidateArgs } from "../validate/validate-args.js";

const specsRoot = fileURLToPath(new URL("../..", import.meta.url));
const NODES = ["n1", "n2", "n3", "n4"];
/** The seeds CI validates (specs/gossip/verification_summary.md): 4 members, 20 s, every fault a validated run allows. */
const CI_SEEDS = { seed: 1, seeds: 2, durationMs: 20_000, faults: "all" };
const faulty = { seed: 1, nodes: 4, durationMs: 20_000, faults: "all" };

describe("the SWIM spec-trace recorder (no TLC)", () => {
  it("records the same trace for the same seed", () => {
    expect(gossipTraceNdjson(recordGossipRun(faulty))).toBe(gossipTraceNdjson(recordGossipRun(faulty)));
  });

  it("turns probes, suspicions, deaths, refutations and restarts into Swim.tla's actions, with the member's state after each step", () => {
    const run = recordGossipRun(faulty);
    const names = new Set(run.events.map((e) => e.e));
    for (const name of ["Suspect", "Timeout", "Hear", "Refute", "Crash", "Restart"]) expect(names, name).toContain(name);
    expect(names).not.toContain("Noop");
    expect(run.violations).toEqual([]);
    expect(run.header).toMatchObject({ specTrace: "gossip", nodes: NODES });
    // Probes, acks and the key-value exchanges are counted, not written as lines.
    expect(run.abstracted["message sent (ping)"]).toBeGreaterThan(0);
    expect(run.abstracted["message sent (kvDigest)"]).toBeGreaterThan(0);
    for (const e of run.events) expect(NODES).toContain(e.i);
    // A restart is written as Crash then Restart, one incarnation above the last one the spec saw, with a fresh view.
    const restart = run.events.findIndex((e) => e.e === "Restart");
    expect(run.events[restart - 1]).toMatchObject({ e: "Crash", i: run.events[restart]?.i });
    expect(Object.values(run.events[restart]?.post?.view ?? {})).toEqual([{ st: "alive", inc: 0 }, { st: "alive", inc: 0 }, { st: "alive", inc: 0 }]);
    // A refutation's line names the new incarnation, which its post carries.
    const refute = run.events.find((e) => e.e === "Refute" && e.post !== undefined) as SwimSpecTraceEvent;
    expect(refute.post?.inc).toBe(refute.inc);
    expect(run.header.maxInc).toBe(Math.max(...run.events.map((e) => e.inc ?? 0)));
  });

  it("writes the trace's constants into the data module", () => {
    const run = recordGossipRun(faulty);
    const text = swimTraceDataModule(run.header, run.events);
    expect(text).toContain('TraceMembers == {"n1", "n2", "n3", "n4"}');
    expect(text).toContain(`TraceMaxInc == ${run.header.maxInc}`);
    expect(text.split("\n").filter((l) => l.startsWith("    [e |-> ")).length).toBe(run.events.length);
  });

  it("without faults no member is suspected: an empty trace", () => {
    expect(recordGossipRun({ ...faulty, faults: "none", durationMs: 5000 }).events).toEqual([]);
  });

  it("fails the recording (not a shorter trace) on a step the spec does not have: a graceful leave", () => {
    const base = gossipSpecTraceTarget();
    const leaving: GossipTarget = {
      ...base,
      createNode: (ctx) => {
        const node = base.createNode(ctx);
        if (ctx.id !== "n4") return node;
        const tick = node.tick.bind(node);
        node.tick = () => (node.ticks === 30 ? node.request({ type: "leave" }) : tick());
        return node;
      },
    };
    expect(() => recordGossipRun({ ...faulty, faults: "none", durationMs: 5000 }, leaving)).toThrow(GossipSpecTraceError);
    expect(() => recordGossipRun({ ...faulty, faults: "none", durationMs: 5000 }, leaving)).toThrow(/left/);
  });

  it("refuses faults the spec cannot explain, saying why, and bad usage with exit 2", async () => {
    expect(() => gossipValidatedFaults("loss,corrupt")).toThrow(/below an incarnation it announced/);
    expect(() => gossipValidatedFaults("byzantine")).toThrow(/honest/);
    expect(gossipValidatedFaults("all")).toEqual(["loss", "duplicate", "reorder", "delay", "partition", "crash", "torn", "pause", "slow", "skew"]);
    expect(parseValidateArgs(["gossip"])).toMatchObject({ protocol: "gossip", nodes: 4, durationMs: 20_000, faults: "all", seed: 1, seeds: 1 });
    expect(parseValidateArgs(["gossip", "--faults", "none", "--nodes", "5", "--seeds", "3"])).toMatchObject({ faults: "none", nodes: 5, seeds: 3 });
    expect(parseValidateArgs(["raft"])).toMatchObject({ faults: "none", nodes: 3 });
    expect(() => parseValidateArgs(["gossip", "--no-check-quorum"])).toThrow(/Raft option/);
    expect(() => parseValidateArgs(["gossip", "--nodes", "9"])).toThrow(/--nodes must be an integer in 2..7/);
    const err: string[] = [];
    const io = { env: {}, specsRoot, out: () => undefined, err: (l: string) => err.push(l) };
    expect(await runValidate({ ...io, argv: ["gossip", "--seeds", "x"] })).toBe(2);
    expect(await runValidate({ ...io, argv: ["gossip", "--bogus"] })).toBe(2);
    expect(err.join("\n")).toContain("pnpm specs validate gossip");
  });
});

const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const missing = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping SWIM trace validation with the real TLC`;
if (missing) console.warn(missing);

interface SeedLine {
  readonly seed: number;
  readonly lines: number;
  readonly counts: Record<string, number>;
  readonly verdict: { readonly result: string; readonly line?: number; readonly property?: string; readonly seconds: number };
}

/** Run `pnpm specs validate gossip ARGS --json`, optionally with a planted change to the trace. */
async function validate(argv: readonly string[], mutate?: (events: SwimSpecTraceEvent[]) => SwimSpecTraceEvent[]): Promise<{ code: number; seeds: SeedLine[] }> {
  const out: string[] = [];
  const code = await runValidate({
    argv: ["gossip", ...argv, "--json"],
    env: { ...process.env, TLA2TOOLS_JAR: jar, SYNOD_TLC_NO_DOWNLOAD: "1" },
    specsRoot,
    out: (l) => out.push(l),
    err: () => undefined,
    ...(mutate ? { mutateGossip: mutate } : {}),
  });
  const seeds = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.summary === undefined) as unknown as SeedLine[];
  return { code, seeds };
}

describe.skipIf(missing !== undefined)("pnpm specs validate gossip, with the real TLC", () => {
  it("validates CI's seeds (suspicions, deaths, refutations, crashes and restarts) against Swim.tla", async () => {
    const { code, seeds } = await validate(["--seed", String(CI_SEEDS.seed), "--seeds", String(CI_SEEDS.seeds), "--duration", String(CI_SEEDS.durationMs), "--faults", CI_SEEDS.faults]);
    for (const s of seeds) console.log(`gossip trace validation: seed ${s.seed}, ${s.lines} lines, ${s.verdict.result} in ${s.verdict.seconds.toFixed(1)} s of TLC`);
    expect(seeds.map((s) => s.verdict.result)).toEqual(["validated", "validated"]);
    expect(seeds[0]?.counts).toMatchObject({ Suspect: expect.any(Number), Timeout: expect.any(Number), Refute: expect.any(Number), Restart: expect.any(Number) });
    expect(code).toBe(0);
  }, 600_000);

  it("rejects a refutation that does not bump the incarnation, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1"], (events) => {
      planted = events.findIndex((e) => e.e === "Refute");
      const e = events[planted] as SwimSpecTraceEvent;
      const inc = (e.inc as number) - 1;
      events[planted] = { ...e, inc, ...(e.post === undefined ? {} : { post: { ...e.post, inc } }) };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a suspicion heard that nobody ever made (a forged incarnation), at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1"], (events) => {
      planted = events.findIndex((e) => e.e === "Hear" && e.st === "suspect");
      const e = events[planted] as SwimSpecTraceEvent;
      const m = e.m as string;
      const inc = (e.inc as number) + 1;
      events[planted] = { ...e, inc, ...(e.post === undefined ? {} : { post: { ...e.post, view: { ...e.post.view, [m]: { st: "suspect", inc } } } }) };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);
});

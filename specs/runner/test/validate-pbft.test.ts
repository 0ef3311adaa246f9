import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createPbftSimulation, PbftSpecTraceError, PbftSpecTraceRecorder, pbftSpecTraceTarget, type PbftSpecPost, type PbftSpecTraceEvent } from "../../../packages/pbft/src/index.js";
import { pbftTraceNdjson, pbftValidatedFaults, recordPbftRun } from "../validate/record-pbft-trace.js";
import { explainPbftRejection, runValidate } from "../validate/run-validate.js";
import { pbftTraceDataModule } from "../validate/trace-module.js";
import { parseValidateArgs } from "../validate/validate-args.js";

const specsRoot = fileURLToPath(new URL("../..", import.meta.url));
const NODES = ["n1", "n2", "n3", "n4"];
/** The seeds CI validates (specs/README.md): 1.5 s with every fault a validated run allows; seed 6 changes views twice. */
const CI_SEEDS = { seed: 5, seeds: 2, durationMs: 1500, faults: "all" };

describe("the PBFT spec-trace recorder (no TLC)", () => {
  const clean = { seed: 1, nodes: 4, durationMs: 300, faults: "none" };
  const viewChanges = { seed: 6, nodes: 4, durationMs: 1500, faults: "all" };

  it("records the same trace for the same seed", () => {
    expect(pbftTraceNdjson(recordPbftRun(clean))).toBe(pbftTraceNdjson(recordPbftRun(clean)));
  });

  it("turns the normal case and view changes into PBFT.tla's actions, with the replica's state after each step", () => {
    const run = recordPbftRun(viewChanges);
    const names = new Set(run.events.map((e) => e.e));
    for (const name of ["SendPrePrepare", "SendPrepare", "SendCommit", "Commit", "StartViewChange", "SendNewView", "EnterNewView"]) expect(names, name).toContain(name);
    expect(names).not.toContain("Noop");
    expect(run.header).toMatchObject({ specTrace: "pbft", nodes: NODES, f: 1, maxView: 2 });
    expect(run.violations).toEqual([]);
    // Messages sent again and the client protocol are counted, not written as lines.
    expect(run.abstracted["sent again (commit)"]).toBeGreaterThan(0);
    expect(run.abstracted["client protocol (request)"]).toBeGreaterThan(0);
    for (const e of run.events) expect(NODES).toContain(e.i);
    // A commit line follows the replica's own commit for it, and the executed count grows by one per Commit.
    const commit = run.events.find((e) => e.e === "Commit") as PbftSpecTraceEvent;
    const own = run.events.findIndex((e) => e.e === "SendCommit" && e.i === commit.i && e.s === commit.s && e.v === commit.v);
    expect(own).toBeGreaterThanOrEqual(0);
    expect(own).toBeLessThan(run.events.indexOf(commit));
    // The new-view names a quorum of view-change senders and assigns sequence numbers min-s+1..max-s.
    const nv = run.events.find((e) => e.e === "SendNewView") as PbftSpecTraceEvent;
    expect(nv.vcs).toHaveLength(3);
    const named = run.events.filter((e) => e.e === "StartViewChange" && e.v === nv.v && nv.vcs?.includes(e.i));
    const minS = Math.max(0, ...named.map((e) => e.stable ?? 0));
    const maxS = Math.max(minS, ...named.flatMap((e) => (e.prep ?? []).map((c) => c.s)));
    expect(nv.min).toBe(minS);
    expect(nv.o).toHaveLength(maxS - minS);
  });

  it("writes the trace's constants into the data module", () => {
    const run = recordPbftRun(clean);
    const text = pbftTraceDataModule(run.header, run.events);
    expect(text).toContain('TraceReplicas == <<"n1", "n2", "n3", "n4">>');
    expect(text).toContain(`TraceMaxSeq == ${run.header.maxSeq}`);
    expect(text).toContain("TraceMaxView == 0");
    expect(run.header.requests.length).toBeGreaterThan(0);
    expect(run.header.requests.every((r) => /^d[0-9a-f]{16}$/.test(r))).toBe(true);
  });

  it("records checkpoints: stable on a quorum of checkpoints (after their Commit lines), view-changes from the stable one, state transfer", () => {
    const run = recordPbftRun({ seed: 1, nodes: 4, durationMs: 1500, faults: "all" }); // seed 1: two state transfers
    expect(run.header).toMatchObject({ checkpointInterval: 8, windowSize: 32 });
    const counts = PbftSpecTraceRecorder.counts(run.events);
    expect(counts.Stabilize).toBeGreaterThan(4);
    expect(counts.FetchState).toBeGreaterThan(0);
    run.events.forEach((e, k) => {
      if (e.e !== "Stabilize") return;
      // A replica's checkpoint is sent by the Commit line that executes its sequence number: a quorum of them came first.
      expect((e.s ?? 0) % 8).toBe(0);
      const checkpointed = new Set(run.events.slice(0, k).filter((x) => x.e === "Commit" && x.s === e.s).map((x) => x.i));
      expect(checkpointed.size, `line ${k + 1}`).toBeGreaterThanOrEqual(3);
      const after = run.events.slice(k).find((x) => x.i === e.i && x.post !== undefined)?.post as PbftSpecPost; // the step's last line
      expect(after.stable).toBeGreaterThanOrEqual(e.s ?? 0);
    });
    // A replica fetches the state of its stable checkpoint when it executed less.
    for (const [k, e] of run.events.entries()) {
      if (e.e !== "FetchState") continue;
      const before = run.events.slice(0, k).filter((x) => x.i === e.i && x.post !== undefined).at(-1)?.post as PbftSpecPost;
      expect(before.executed).toBeLessThan(before.stable);
    }
    // Seed 3: view-changes name their stable checkpoint and a new view starts from it (min-s > 0).
    const later = recordPbftRun({ seed: 3, nodes: 4, durationMs: 1500, faults: "all" }).events;
    expect(later.some((e) => e.e === "StartViewChange" && (e.stable ?? 0) > 0)).toBe(true);
    expect(later.some((e) => e.e === "SendNewView" && (e.min ?? 0) > 0)).toBe(true);
    expect(run.abstracted["sent again (checkpoint)"]).toBeGreaterThan(0);
  });

  it("fails the recording (not a shorter trace) on a step the spec does not have: a checkpoint sent without executing its sequence number", () => {
    const target = createPbftSimulation();
    const broken = { ...target, createNode: (ctx: Parameters<typeof target.createNode>[0]) => {
      const node = target.createNode(ctx);
      const tick = node.tick.bind(node);
      // Every tick re-signs nothing new but claims a checkpoint at the next multiple of 8 above what it executed.
      node.tick = () => {
        const step = tick();
        const seq = (Math.floor(node.lastExecuted / 8) + 1) * 8;
        const stateDigest = new Uint8Array(32);
        return { ...step, send: [...step.send, { from: node.id, to: node.id, message: { type: "checkpoint" as const, seq, stateDigest, replica: node.id, sig: new Uint8Array(64) } }] };
      };
      return node;
    } };
    expect(() => recordPbftRun({ ...clean, durationMs: 300 }, broken)).toThrow(PbftSpecTraceError);
    expect(() => recordPbftRun({ ...clean, durationMs: 300 }, broken)).toThrow(/did not execute/);
    expect(() => recordPbftRun({ ...clean, durationMs: 300 }, pbftSpecTraceTarget())).not.toThrow();
  });

  it("refuses faults and cluster sizes the spec cannot explain, saying why", () => {
    expect(() => pbftValidatedFaults("loss,corrupt")).toThrow(/corrupted storage/);
    expect(pbftValidatedFaults(RESTART_SEED.faults)).toEqual(RESTART_SEED.faults.split(","));
    expect(() => pbftValidatedFaults("byzantine")).toThrow(/--byzantine K/);
    expect(pbftValidatedFaults("all")).toEqual(["loss", "duplicate", "reorder", "delay", "partition", "slow", "skew", "leader-stall"]);
    expect(parseValidateArgs(["pbft"])).toMatchObject({ protocol: "pbft", nodes: 4, durationMs: 1500, faults: "none" });
    expect(() => parseValidateArgs(["pbft", "--nodes", "3"])).toThrow(/at least 4 replicas/);
    expect(parseValidateArgs(["pbft", "--nodes", "6"])).toMatchObject({ nodes: 6 });
    expect(() => parseValidateArgs(["pbft", "--no-pre-vote"])).toThrow(/Raft option/);
  });

  it("explains a rejected line with the replica's state before (as matched) and after (as reported)", () => {
    const events = recordPbftRun(clean).events;
    const k = events.findIndex((e, n) => n > 0 && e.e === "Commit");
    const text = explainPbftRejection(events, k + 1).join("\n");
    expect(text).toContain(`line ${k + 1} of the trace (NDJSON line ${k + 2}`);
    expect(text).toContain(JSON.stringify(events[k]));
    expect(text).toMatch(/before it, as matched by the spec \(line \d+\): \{"view":0,"active":true,"executed":\d+,"ran":\d+,"stable":0\}/);
    expect(text).toContain(`after it, as the implementation reports: ${JSON.stringify(events[k]?.post)}`);
  });
});

/** Runs with crashes and restarts of correct replicas: every fault of `all`, and crash, leader-crash and torn. */
const RESTART_SEED = { seed: 5, nodes: 4, durationMs: 1500, faults: "loss,duplicate,reorder,delay,partition,slow,skew,leader-stall,crash,leader-crash,torn" };

/** A run with one Byzantine replica (n3, `equivocate`, the primary of view 2): correct replicas enter its new-views and build one from its view-change. */
const BYZANTINE_SEED = { seed: 11, nodes: 4, durationMs: 1500, faults: "all", byzantine: 1 };

describe("Byzantine runs: the recorder (no TLC)", () => {
  it("records the correct replicas' steps only, with what they accepted from the Byzantine replica", () => {
    const run = recordPbftRun(BYZANTINE_SEED);
    expect(run.header.byzantine).toEqual({ n3: "equivocate" });
    expect(run.events.filter((e) => e.i === "n3")).toEqual([]);
    expect(run.violations).toEqual([]);
    // A correct replica entering the Byzantine primary's view records the new-view it accepted.
    const entered = run.events.filter((e) => e.nv !== undefined);
    expect(entered.length).toBeGreaterThan(0);
    for (const e of entered) {
      expect(e).toMatchObject({ e: "EnterNewView", v: 2, nv: { from: "n3" } });
      expect(e.nv?.vcs).toHaveLength(3);
    }
    // A correct new primary's new-view naming the Byzantine view-change carries its certificates.
    const built = run.events.find((e) => e.byz !== undefined) as PbftSpecTraceEvent;
    expect(built.e).toBe("SendNewView");
    expect(built.vcs).toContain("n3");
    expect(built.byz?.map((c) => c.i)).toEqual(["n3"]);
    expect(run.abstracted["misbehaviour evidence (dispute)"]).toBeGreaterThan(0);
    expect(pbftTraceDataModule(run.header, run.events)).toContain('TraceByz == {"n3"}');
    expect(pbftTraceDataModule(recordPbftRun({ ...BYZANTINE_SEED, byzantine: 0, durationMs: 300 }).header, [])).toContain("TraceByz == {}");
  });

  it("refuses more Byzantine replicas than f, and the Byzantine flags outside PBFT", () => {
    expect(() => recordPbftRun({ ...BYZANTINE_SEED, byzantine: 2 })).toThrow(/at most f = 1/);
    expect(parseValidateArgs(["pbft", "--byzantine", "1", "--strategy", "primary-prepares"])).toMatchObject({ byzantine: 1, strategy: "primary-prepares" });
    expect(parseValidateArgs(["pbft"])).toMatchObject({ byzantine: 0, strategy: undefined });
    expect(() => parseValidateArgs(["raft", "--byzantine", "1"])).toThrow(/a PBFT option/);
    expect(() => parseValidateArgs(["pbft", "--strategy", "equivocate"])).toThrow(/needs --byzantine/);
  });
});

describe("restarts of correct replicas: the recorder (no TLC)", () => {
  it("writes a restart as a Restart line whose recovered state is the replica's state before the crash, and drops steps a crash lost", () => {
    let restarts = 0;
    let lost = 0;
    for (const seed of [3, 12]) {
      const run = recordPbftRun({ ...RESTART_SEED, seed });
      lost += run.abstracted["step lost in a crash before its sync"] ?? 0;
      const last = new Map<string, PbftSpecPost | undefined>();
      for (const e of run.events) {
        if (e.e === "Restart") {
          restarts++;
          expect(e.post, `seed ${seed}: ${e.i} restarted`).toEqual(last.get(e.i));
        }
        if (e.post !== undefined) last.set(e.i, e.post);
      }
    }
    expect(restarts).toBeGreaterThanOrEqual(3);
    expect(lost).toBeGreaterThan(0);
  });
});

const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const missing = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping PBFT trace validation with the real TLC`;
if (missing) console.warn(missing);

interface SeedLine {
  readonly seed: number;
  readonly byzantine?: Readonly<Record<string, string>>;
  readonly lines: number;
  readonly counts: Record<string, number>;
  readonly verdict: { readonly result: string; readonly line?: number; readonly seconds: number };
}

/** Run `pnpm specs validate pbft ARGS`, optionally with a planted change to the trace. */
async function validate(argv: readonly string[], json: boolean, mutate?: (events: PbftSpecTraceEvent[]) => PbftSpecTraceEvent[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runValidate({
    argv: ["pbft", ...argv, ...(json ? ["--json"] : [])],
    env: { ...process.env, TLA2TOOLS_JAR: jar, SYNOD_TLC_NO_DOWNLOAD: "1" },
    specsRoot,
    out: (l) => out.push(l),
    err: () => undefined,
    ...(mutate ? { mutatePbft: mutate } : {}),
  });
  return { code, out };
}

const seedLines = (out: readonly string[]): SeedLine[] =>
  out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.summary === undefined) as unknown as SeedLine[];

describe.skipIf(missing !== undefined)("pnpm specs validate pbft, with the real TLC", () => {
  it("validates CI's seeds (view changes included) against PBFT.tla", async () => {
    const { code, out } = await validate(["--seed", String(CI_SEEDS.seed), "--seeds", String(CI_SEEDS.seeds), "--duration", String(CI_SEEDS.durationMs), "--faults", CI_SEEDS.faults], true);
    const seeds = seedLines(out);
    for (const s of seeds) console.log(`pbft trace validation: seed ${s.seed}, ${s.lines} lines, ${s.verdict.result} in ${s.verdict.seconds.toFixed(1)} s of TLC`);
    expect(seeds.map((s) => s.verdict.result)).toEqual(["validated", "validated"]);
    expect(seeds[1]?.counts).toMatchObject({ StartViewChange: expect.any(Number), SendNewView: 2, EnterNewView: expect.any(Number) });
    expect(code).toBe(0);
  }, 600_000);

  it("rejects a replica that commits a value it sent no commit for, at that line, and reports both states", async () => {
    let planted = -1;
    const { code, out } = await validate(["--seed", "1", "--duration", "300"], false, (events) => {
      planted = events.findIndex((e) => e.e === "Commit");
      const e = events[planted] as PbftSpecTraceEvent;
      const other = events.find((x) => x.e === "SendPrePrepare" && x.val !== e.val) as PbftSpecTraceEvent;
      events[planted] = { ...e, val: other.val as string };
      return events;
    });
    const text = out.join("\n");
    expect(text).toContain("NOT a behaviour of PBFT.tla");
    expect(text).toContain(`the first line no step of PBFT.tla explains: line ${planted + 1} of the trace`);
    expect(text).toMatch(/before it, as matched by the spec/);
    expect(text).toMatch(/after it, as the implementation reports/);
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a replica that skips, as executed already, a request it never executed (Integrity's execution record), at that line", async () => {
    let planted = -1;
    const { code, out } = await validate(["--seed", "1", "--duration", "300"], true, (events) => {
      planted = events.findIndex((e) => e.e === "Commit" && e.val !== "null" && (e.post?.ran ?? 0) > 0);
      const e = events[planted] as PbftSpecTraceEvent;
      const post = e.post as PbftSpecPost;
      events[planted] = { ...e, post: { ...post, ran: post.ran - 1 } };
      return events;
    });
    expect(planted).toBeGreaterThanOrEqual(0);
    expect(seedLines(out)[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  const byzantineArgs = ["--seed", String(BYZANTINE_SEED.seed), "--duration", String(BYZANTINE_SEED.durationMs), "--faults", "all", "--byzantine", "1"];

  it("validates a run with a Byzantine replica: the correct replicas' steps are PBFT.tla's actions, its messages the spec's Byzantine sends", async () => {
    const { code, out } = await validate(byzantineArgs, true);
    const [seed] = seedLines(out);
    console.log(`pbft trace validation (Byzantine n3): seed ${seed?.seed}, ${seed?.lines} lines, ${seed?.verdict.result} in ${seed?.verdict.seconds.toFixed(1)} s of TLC`);
    expect(seed?.verdict.result).toBe("validated");
    expect(seed).toMatchObject({ byzantine: { n3: "equivocate" }, counts: { EnterNewView: expect.any(Number), SendNewView: expect.any(Number) } });
    expect(code).toBe(0);
  }, 600_000);

  it("rejects a correct replica that enters a Byzantine primary's new-view whose O set the view-changes do not give, at that line", async () => {
    let planted = -1;
    const { code, out } = await validate(byzantineArgs, true, (events) => {
      planted = events.findIndex((e) => e.nv !== undefined);
      const e = events[planted] as PbftSpecTraceEvent;
      const nv = e.nv as NonNullable<PbftSpecTraceEvent["nv"]>;
      // The null request where the view-changes certify a batch (or one more sequence number than they give).
      const o = nv.o.some((v) => v !== "null") ? nv.o.map((v) => (v === "null" ? v : "null")) : [...nv.o, "null"];
      events[planted] = { ...e, nv: { ...nv, o } };
      return events;
    });
    expect(planted).toBeGreaterThanOrEqual(0);
    expect(seedLines(out)[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("validates a run with a restart, and rejects a restart that recovers less than the replica had executed, at that line", async () => {
    const args = ["--seed", String(RESTART_SEED.seed), "--duration", String(RESTART_SEED.durationMs), "--faults", RESTART_SEED.faults];
    const valid = await validate(args, true);
    const [seed] = seedLines(valid.out);
    expect(seed?.counts.Restart).toBeGreaterThan(0);
    expect(seed?.verdict.result).toBe("validated");
    let planted = -1;
    const { code, out } = await validate(args, true, (events) => {
      planted = events.findIndex((e) => e.e === "Restart" && (e.post?.executed ?? 0) > 0);
      const e = events[planted] as PbftSpecTraceEvent;
      const post = e.post as PbftSpecPost;
      events[planted] = { ...e, post: { ...post, executed: post.executed - 1 } };
      return events;
    });
    expect(seedLines(out)[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a replica that declares a checkpoint stable before a quorum of checkpoints was sent, at that line", async () => {
    let planted = -1;
    const { code, out } = await validate(["--seed", "1", "--duration", "300"], true, (events) => {
      const k = events.findIndex((e) => e.e === "Stabilize");
      const { post: _post, ...early } = events[k] as PbftSpecTraceEvent;
      // Moved to just after the first Commit of its sequence number: one checkpoint there was sent, not a quorum.
      planted = events.findIndex((e) => e.e === "Commit" && e.s === early.s) + 1;
      events.splice(k, 1);
      events.splice(planted, 0, early);
      return events;
    });
    expect(planted).toBeGreaterThan(0);
    expect(seedLines(out)[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a view-change that leaves out a certificate its sender holds, at that line", async () => {
    let planted = -1;
    const { code, out } = await validate(["--seed", "6", "--duration", "1500", "--faults", "all"], true, (events) => {
      planted = events.findIndex((e) => e.e === "StartViewChange" && (e.prep?.length ?? 0) > 0);
      const e = events[planted] as PbftSpecTraceEvent;
      events[planted] = { ...e, prep: e.prep?.slice(1) };
      return events;
    });
    expect(seedLines(out)[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);
});

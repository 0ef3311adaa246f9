import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SpecTraceEvent } from "../../../packages/raft/src/simulation/index.js";
import { recordRaftRun, traceNdjson, raftValidatedFaults } from "../validate/record-raft-trace.js";
import { runValidate } from "../validate/run-validate.js";
import { readTraceVerdict } from "../validate/tlc-trace-check.js";
import { tlaValue } from "../validate/trace-module.js";
import { parseValidateArgs } from "../validate/validate-args.js";

const specsRoot = fileURLToPath(new URL("../..", import.meta.url));

describe("the spec-trace recorder (no TLC)", () => {
  const options = { seed: 3, nodes: 3, durationMs: 600, faults: "none", preVote: true, checkQuorum: true };

  it("records the same trace for the same seed", () => {
    expect(traceNdjson(recordRaftRun(options))).toBe(traceNdjson(recordRaftRun(options)));
  });

  it("turns an election, proposals and replication into the spec's events, with the node state after each step", () => {
    const run = recordRaftRun(options);
    const names = new Set(run.events.map((e) => e.e));
    for (const name of ["Timeout", "RequestPreVote", "RequestVote", "Receive", "ClientRequest", "AppendEntries", "Heartbeat"]) expect(names, name).toContain(name);
    expect(run.header).toMatchObject({ nodes: ["n1", "n2", "n3"], preVote: true });
    expect(run.header.values).toContain("noop");
    const leader = run.events.find((e) => e.post?.role === "Leader");
    expect(leader?.post).toMatchObject({ term: 1, vote: leader?.i });
    // A node receives what was addressed to it by the peer named; it sends from itself.
    for (const e of run.events) {
      expect(run.header.nodes).toContain(e.i);
      if (e.m === undefined) continue;
      const received = e.e !== "RequestVote" && e.e !== "RequestPreVote" && e.e !== "AppendEntries" && e.e !== "Heartbeat";
      expect(received ? [e.m.mdest, e.m.msource] : [e.m.msource, e.m.mdest]).toEqual([e.i, e.j]);
    }
  });

  it("refuses faults the spec cannot explain, saying why", () => {
    expect(() => raftValidatedFaults("crash,pause")).toThrow(/pause.*held/);
    expect(() => raftValidatedFaults("corrupt")).toThrow(/halts/);
    expect(raftValidatedFaults("all")).toContain("crash");
    expect(raftValidatedFaults("all")).not.toContain("pause");
  });

  it("parses its command line", () => {
    expect(parseValidateArgs(["raft"])).toMatchObject({ seed: 1, seeds: 1, nodes: 3, durationMs: 2000, faults: "none", preVote: true, checkQuorum: true });
    // --strict is the only mode now (the implementation steps are actions of Raft.tla); the flag is still accepted.
    expect(parseValidateArgs(["raft", "--seed", "7", "--faults=loss,crash", "--no-pre-vote", "--strict"])).toMatchObject({ seed: 7, faults: "loss,crash", preVote: false });
    expect(() => parseValidateArgs(["quorum"])).toThrow(/trace validation exists for .* only, not "quorum"/);
    expect(() => parseValidateArgs(["raft", "--nodes", "1"])).toThrow(/2\.\.7/);
  });

  it("writes trace values as TLA+", () => {
    expect(tlaValue({ e: "Receive", m: { mentries: [], ok: true }, n: [1, "a\"b"] })).toBe('[e |-> "Receive", m |-> [mentries |-> <<>>, ok |-> TRUE], n |-> <<1, "a\\"b">>]');
    expect(() => tlaValue(-1)).toThrow(/natural/);
  });

  it("reads TLC's verdicts: accepted, the first line not matched, a property violated", () => {
    const tail = (depth: number): string => `Progress(5) at x: 5 states generated, 5 distinct states found, 0 states left on queue.\n${depth} states generated, ${depth} distinct states found, 0 states left on queue.\nThe depth of the complete state graph search is ${depth}.\n`;
    expect(readTraceVerdict(`Model checking completed. No error has been found.\n${tail(2433)}`, 0, 1)).toMatchObject({ result: "validated", states: 2433 });
    expect(readTraceVerdict(`Error: Assumption line 155, col 18 to line 155, col 61 of module RaftTrace is false.\n${tail(116)}`, 10, 1)).toMatchObject({ result: "rejected", line: 116 });
    expect(readTraceVerdict("Error: Invariant ElectionSafety is violated.\n/\\ l = 40\n", 12, 1)).toMatchObject({ result: "violation", property: "ElectionSafety", line: 39 });
    expect(readTraceVerdict("Error: something else", 75, 1)).toMatchObject({ result: "error" });
  });
});

const jar = process.env.TLA2TOOLS_JAR || join(homedir(), ".cache", "tla", "tla2tools.jar");
const missing = existsSync(jar) ? undefined : `TLC jar not found at ${jar} (set TLA2TOOLS_JAR); skipping trace validation with the real TLC`;
if (missing) console.warn(missing);

interface SeedLine {
  readonly seed: number;
  readonly lines: number;
  readonly counts: Record<string, number>;
  readonly verdict: { readonly result: string; readonly line?: number };
}

/** Run `pnpm specs validate raft ARGS --json`, optionally with a planted change to the trace. */
async function validate(argv: readonly string[], mutate?: (events: SpecTraceEvent[]) => SpecTraceEvent[]): Promise<{ code: number; seeds: SeedLine[] }> {
  const out: string[] = [];
  const code = await runValidate({
    argv: ["raft", ...argv, "--json"],
    env: { ...process.env, TLA2TOOLS_JAR: jar, SYNOD_TLC_NO_DOWNLOAD: "1" },
    specsRoot,
    out: (l) => out.push(l),
    err: () => undefined,
    ...(mutate ? { mutate } : {}),
  });
  const rows = out.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, seeds: rows.filter((r) => r.summary === undefined) as unknown as SeedLine[] };
}

/** @returns the index of the first event matching `pick` (a test that cannot plant its change fails) */
function first(events: readonly SpecTraceEvent[], pick: (e: SpecTraceEvent, k: number) => boolean, what: string): number {
  const k = events.findIndex(pick);
  if (k < 0) throw new Error(`the trace has no ${what} to change`);
  return k;
}

describe.skipIf(missing !== undefined)("pnpm specs validate raft, with the real TLC", () => {
  it("validates fixed seeds without faults and with loss, duplication, crashes and a step-down", async () => {
    const clean = await validate(["--seed", "1", "--seeds", "2", "--duration", "700"]);
    // Seed 7 of this fault mix crashes a leader, restarts it and duplicates messages within 1.2 s.
    const faulty = await validate(["--seed", "7", "--duration", "1200", "--faults", "loss,duplicate,leader-crash,crash"]);
    expect(clean.seeds.map((s) => s.verdict.result)).toEqual(["validated", "validated"]);
    expect(faulty.seeds.map((s) => s.verdict.result)).toEqual(["validated"]);
    expect(faulty.seeds[0]?.counts).toMatchObject({ Restart: expect.any(Number), StepDown: expect.any(Number), Duplicate: expect.any(Number) });
    // Heartbeats are Raft.tla's Heartbeat action now, not an extension the check tolerates.
    expect(clean.seeds[0]?.counts).toMatchObject({ Heartbeat: expect.any(Number) });
    expect(Object.keys(clean.seeds[0]?.counts ?? {}).filter((k) => k.includes("extension"))).toEqual([]);
    expect(clean.code + faulty.code).toBe(0);
  }, 600_000);

  it("rejects a leader that commits its entries without a quorum, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1", "--duration", "700"], (events) => {
      const loglen = (e: SpecTraceEvent): number => e.post?.loglen ?? -1;
      planted = first(events, (e) => e.post?.role === "Leader" && e.post.commit < loglen(e), "leader with uncommitted entries");
      const e = events[planted] as SpecTraceEvent;
      if (e.post !== undefined) e.post = { ...e.post, commit: loglen(e) };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a node that votes twice in a term, at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1", "--duration", "700"], (events) => {
      // A granted vote, then the same voter's next reported state in that term names another candidate.
      const vote = first(events, (e) => e.m?.mtype === "RequestVoteRequest" && e.e === "Receive" && e.reply?.mtype === "RequestVoteResponse" && e.reply.mvoteGranted, "granted vote");
      const voter = events[vote] as SpecTraceEvent;
      planted = first(events, (e, k) => k > vote && e.i === voter.i && e.post?.term === voter.post?.term, "later state of the voter");
      const e = events[planted] as SpecTraceEvent;
      const other = ["n1", "n2", "n3"].find((n) => n !== voter.i && n !== voter.j) as string;
      if (e.post !== undefined) e.post = { ...e.post, vote: other };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);

  it("rejects a heartbeat whose commit index is above min(match, commit), at that line", async () => {
    let planted = -1;
    const { code, seeds } = await validate(["--seed", "1", "--duration", "700", "--strict"], (events) => {
      planted = first(events, (e) => e.e === "Heartbeat" && e.m !== undefined, "heartbeat");
      const e = events[planted] as SpecTraceEvent;
      if (e.m?.mtype === "AppendEntriesRequest") events[planted] = { ...e, m: { ...e.m, mcommitIndex: e.m.mcommitIndex + 1 } };
      return events;
    });
    expect(seeds[0]?.verdict).toMatchObject({ result: "rejected", line: planted + 1 });
    expect(code).toBe(1);
  }, 600_000);
});

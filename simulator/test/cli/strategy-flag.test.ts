import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeIds } from "@synod/core";
import { describe, expect, it } from "vitest";
import { chooseByzantine } from "../../src/byzantine/choose-byzantine.js";
import { byzantineStrategies, strategyNameProblem } from "../../src/byzantine/strategy-names.js";
import { parseArgs } from "../../src/cli/args.js";
import { replayCommand } from "../../src/cli/report.js";
import { parseTraceHeader } from "../../src/trace/trace-header.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "simulator/src/cli/main.ts");

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synod --strategy NAME", () => {
  it("parses with --byzantine, and refuses it without (or with --byzantine 0)", () => {
    expect(parseArgs(["pbft", "--byzantine", "1"])).toMatchObject({ kind: "run", byzantine: 1, strategy: undefined });
    expect(parseArgs(["pbft", "--byzantine", "1", "--strategy", "split-write"])).toMatchObject({ kind: "run", byzantine: 1, strategy: "split-write" });
    expect(parseArgs(["pbft", "--byzantine=2", "--strategy=silent"])).toMatchObject({ byzantine: 2, strategy: "silent" });
    expect(() => parseArgs(["pbft", "--strategy", "silent"])).toThrow(/give --byzantine K too/);
    expect(() => parseArgs(["pbft", "--byzantine", "0", "--strategy", "silent"])).toThrow(/give --byzantine K too/);
    expect(() => parseArgs(["pbft", "--byzantine", "1", "--strategy"])).toThrow(/--strategy needs a value/);
  });

  it("a name is valid for its protocol only, and a refusal names the valid ones", () => {
    expect(strategyNameProblem("pbft-ro", "split-write")).toBeUndefined();
    expect(strategyNameProblem("pbft", "equivocate")).toBeUndefined();
    expect(strategyNameProblem("pbft-mac", "claim-liar")).toBeUndefined();
    expect(strategyNameProblem("pbft", "claim-liar")).toMatch(/unknown Byzantine strategy "claim-liar" for pbft \(drawn: silent, .*; aimed, never drawn: split-write, hide-votes, framer, equivocate-claim, split-view-change, recant-checkpoint\)/);
    expect(strategyNameProblem("pbft-threshold", "bad-share")).toBeUndefined();
    expect(strategyNameProblem("dkg", "bad-share")).toBeUndefined();
    expect(strategyNameProblem("raft", "split-write")).toMatch(/for raft \(drawn: drop, delay, duplicate, replay, equivocate, forge\)$/);
    expect(byzantineStrategies("pbft").drawn).not.toContain("split-write");
  });

  it("the forced strategy replaces the drawn one; the faulty nodes are still the seed's", () => {
    const drawn = chooseByzantine("pbft", nodeIds(4), 1, 7);
    const forced = chooseByzantine("pbft", nodeIds(4), 1, 7, "silent");
    expect(Object.keys(forced.strategies)).toEqual(Object.keys(drawn.strategies));
    expect(Object.values(forced.strategies)).toEqual(["silent"]);
    expect(Object.values(chooseByzantine("raft", nodeIds(5), 2, 7, "delay").strategies)).toEqual(["delay", "delay"]);
    expect(() => chooseByzantine("raft", nodeIds(5), 1, 7, "silent")).toThrow(/unknown Byzantine strategy "silent" for raft/);
  });

  it("the replay command of a forced run carries --strategy", () => {
    const spec = { protocol: "pbft-ro", nodes: 4, seed: 3, durationMs: 3000, faultsText: "none", byzantine: 1, strategy: "split-write" };
    expect(replayCommand(spec)).toBe("pnpm sim pbft-ro --nodes 4 --seed 3 --duration 3000 --faults none --byzantine 1 --strategy split-write --trace pbft-ro-3.ndjson");
    expect(replayCommand({ ...spec, strategy: undefined })).not.toMatch(/--strategy/);
  });

  it("bad names exit 2 naming the valid ones; a forced run shows the strategy in its output and its trace", () => {
    const unknown = sim(["pbft", "--byzantine", "1", "--strategy", "nope", "--seed", "1"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--strategy: unknown Byzantine strategy "nope" for pbft \(drawn: silent, equivocate, .*split-write, hide-votes, framer, equivocate-claim, split-view-change, recant-checkpoint\)/);
    const wrongProtocol = sim(["raft", "--byzantine", "1", "--strategy", "split-write", "--seed", "1"]);
    expect(wrongProtocol.code).toBe(2);
    expect(wrongProtocol.stderr).toMatch(/for raft \(drawn: drop, delay/);
    const alone = sim(["pbft", "--strategy", "silent", "--seed", "1"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/give --byzantine K too/);
    const help = sim(["pbft-ro", "--help"]);
    expect(help.stdout).toMatch(/Byzantine strategies \(--byzantine K, --strategy NAME\): drawn silent, .*; aimed at one window, only with --strategy: split-write/);

    const trace = join(mkdtempSync(join(tmpdir(), "synod-strategy-")), "run.ndjson");
    const run = sim(["pbft-ro", "--nodes", "4", "--seed", "1001", "--duration", "1000", "--byzantine", "1", "--strategy", "split-write", "--trace", trace]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Byzantine: n1 split-write/);
    const header = parseTraceHeader(readFileSync(trace, "utf8").split("\n")[0] as string);
    expect(header.customAdversaries).toEqual(["n1"]);
    expect(header.adversaryStrategies).toEqual({ n1: "split-write" });
  });
});

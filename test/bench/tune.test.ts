/** `pnpm tune`: bad flags are refused with a message and exit 2; the grid respects each protocol's constraints. */
import { describe, expect, it } from "vitest";
import { parseTuneArgs, TuneUsageError } from "../../bench/tune/args.js";
import { runTune } from "../../bench/tune/main.js";
import { allSettings, TUNE_SPACES } from "../../bench/tune/space.js";

describe("pnpm tune", () => {
  it("parses a protocol, a goal and a network model", () => {
    const args = parseTuneArgs(["raft", "--goal", "recovery", "--latency-ms", "100", "--loss", "0.05", "--budget", "4"]);
    expect(args).toMatchObject({ protocol: "raft", goal: "recovery", latencyMs: 100, loss: 0.05, budget: 4, seeds: 2, seed: 1 });
  });

  it("each protocol has its own goals and default goal: gossip is tuned for detection, convergence or messages", () => {
    expect(parseTuneArgs(["gossip"])).toMatchObject({ protocol: "gossip", goal: "detection" });
    expect(parseTuneArgs(["raft"])).toMatchObject({ protocol: "raft", goal: "p99" });
    expect(parseTuneArgs(["gossip", "--goal", "convergence"]).goal).toBe("convergence");
    expect(() => parseTuneArgs(["gossip", "--goal", "p99"])).toThrow(/unknown goal "p99" for gossip \(known: detection, convergence, messages\)/);
    expect(() => parseTuneArgs(["raft", "--goal", "detection"])).toThrow(/unknown goal "detection" for raft/);
  });

  it("tunes gossip's failure detection on a small cluster: a finite figure for the defaults and a recommendation", () => {
    const out: string[] = [];
    expect(runTune(["gossip", "--nodes", "5", "--budget", "2", "--seeds", "1", "--seed", "3"], (l) => out.push(l), () => {})).toBe(0);
    const defaults = out.find((l) => l.includes("(the defaults)"));
    expect(defaults, out.join("\n")).toMatch(/^\s+\d+\.\d\s+\(the defaults\)$/);
    expect(out.some((l) => l.startsWith("recommendation: "))).toBe(true);
  });

  it("refuses bad usage with a message and exit 2", () => {
    for (const argv of [[], ["paxos"], ["raft", "--goal", "fast"], ["gossip", "--goal", "throughput"], ["raft", "--loss", "2"], ["raft", "--budget", "1.5"], ["raft", "--nodes"], ["raft", "--bogus"]]) {
      const errors: string[] = [];
      expect(runTune(argv, () => {}, (l) => errors.push(l)), argv.join(" ")).toBe(2);
      expect(errors[0], argv.join(" ")).toMatch(/^tune: /);
    }
    expect(() => parseTuneArgs(["raft", "--seeds", "0"])).toThrow(TuneUsageError);
  });

  it("only searches valid settings, the defaults among them", () => {
    for (const space of Object.values(TUNE_SPACES)) {
      const grid = allSettings(space);
      expect(grid.every((s) => space.valid(s)), space.protocol).toBe(true);
      expect(grid.some((s) => Object.keys(space.defaults).every((k) => s[k] === space.defaults[k])), space.protocol).toBe(true);
    }
  });
});

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

  it("refuses bad usage with a message and exit 2", () => {
    for (const argv of [[], ["paxos"], ["raft", "--goal", "fast"], ["raft", "--loss", "2"], ["raft", "--budget", "1.5"], ["raft", "--nodes"], ["raft", "--bogus"]]) {
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

import { describe, expect, it } from "vitest";
import { parseRunnerArgs, UsageError } from "../args.js";

describe("parseRunnerArgs", () => {
  it("defaults to every spec, full checks, auto workers, a table", () => {
    const args = parseRunnerArgs([]);
    expect(args).toMatchObject({ only: [], json: false, help: false });
    expect(args.check).toMatchObject({ full: true, workers: "auto" });
  });

  it("reads protocols and flags", () => {
    const args = parseRunnerArgs(["raft", "--no-full", "--workers", "2", "--json", "crdt"]);
    expect(args.only).toEqual(["raft", "crdt"]);
    expect(args.json).toBe(true);
    expect(args.check).toMatchObject({ full: false, workers: 2 });
    expect(parseRunnerArgs(["--workers=auto"]).check.workers).toBe("auto");
  });

  it("rejects bad usage with a message saying what is wrong", () => {
    expect(() => parseRunnerArgs(["--frobnicate"])).toThrow(new UsageError("unknown option --frobnicate"));
    expect(() => parseRunnerArgs(["--workers"])).toThrow(/needs a value/);
    expect(() => parseRunnerArgs(["--workers", "0"])).toThrow(/integer in 1\.\.256/);
    expect(() => parseRunnerArgs(["--workers", "two"])).toThrow(/got "two"/);
    expect(() => parseRunnerArgs(["../etc"])).toThrow(/not a spec folder name/);
  });
});

import { SynodError } from "@synod/core";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { FLAGS } from "../../src/cli/flags.js";
import { helpText, protocolHelpText } from "../../src/cli/help.js";
import { runProblem } from "../../src/cli/run-problem.js";
import { broadcastSimulation } from "../../src/reference/broadcast/target.js";
import type { AnySimulationTarget } from "../../src/cli/registry.js";

/** A bad value for each value flag, and what its message must name (every value flag has one). */
const BAD_VALUES: Record<string, { readonly value: string; readonly message: RegExp }> = {
  "--nodes": { value: "0", message: /--nodes must be between 1 and 10000/ },
  "--seed": { value: "-3", message: /--seed needs a whole number/ },
  "--seeds": { value: "1e3", message: /--seeds needs a whole number/ },
  "--duration": { value: "0", message: /--duration must be between 1/ },
  "--faults": { value: "loss,meteor", message: /unknown fault "meteor"/ },
  "--byzantine": { value: "two", message: /--byzantine needs a whole number/ },
  // Checked against the protocol by runProblem (strategy-flag.test.ts); parseArgs refuses it without --byzantine.
  "--strategy": { value: "silent", message: /--strategy names what the faulty nodes do: give --byzantine K too/ },
  "--twins": { value: "1.5", message: /--twins needs a whole number/ },
  "--workers": { value: "65", message: /--workers must be between 1 and 64/ },
  "--trace": { value: "", message: /--trace needs a value/ },
  "--report": { value: "", message: /--report needs a value/ },
};

function usageMessage(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(SynodError);
    expect((error as SynodError).code).toBe("usage");
    return (error as Error).message;
  }
  throw new Error(`parseArgs accepted ${argv.join(" ")}`);
}

describe("pnpm sim --help", () => {
  it("lists every flag the parser accepts, each with its meaning and (for values) its default, and the exit codes 0-3", () => {
    const text = helpText(["broadcast", "raft"]);
    for (const flag of FLAGS) {
      const line = text.split("\n").find((l) => l.startsWith(`  ${flag.name}${flag.value === undefined ? "" : ` ${flag.value}`} `));
      expect(line, flag.name).toBeDefined();
      expect(line).toContain(flag.meaning);
      if (flag.value !== undefined) expect(line).toMatch(/\(default: .+\)$/);
    }
    for (const code of ["0", "1", "2", "3"]) expect(text).toMatch(new RegExp(`^  ${code}  \\S`, "m"));
    expect(text).toMatch(/practical sizes/);
    expect(text).toMatch(/pnpm sim replay TRACE\.ndjson/);
  });

  it("a protocol's help gives its node counts, invariants by their spec names and whether liveness is checked", () => {
    const text = protocolHelpText(broadcastSimulation as unknown as AnySimulationTarget);
    expect(text).toMatch(/^broadcast: /);
    expect(text).toMatch(/nodes: default 5, at least \d+/);
    expect(text).toMatch(/invariants checked after every step: .*NoDuplication.*NoCreation|NoCreation.*NoDuplication/);
    expect(text).toMatch(/exit codes:/);
    expect(parseArgs(["raft", "--help"])).toEqual({ kind: "help", protocol: "raft" });
    expect(parseArgs(["-h"])).toEqual({ kind: "help", protocol: undefined });
  });
});

describe("every flag's bad value is a usage error naming the flag (exit 2)", () => {
  it("each value flag: a bad value, a missing value, and the flag given twice", () => {
    for (const flag of FLAGS.filter((f) => f.value !== undefined)) {
      const bad = BAD_VALUES[flag.name];
      expect(bad, `a bad value for ${flag.name} is tested`).toBeDefined();
      expect(usageMessage(["raft", flag.name, bad!.value])).toMatch(bad!.message);
      expect(usageMessage(["raft", `${flag.name}=`])).toMatch(new RegExp(`${flag.name} needs a value`));
      expect(usageMessage(["raft", flag.name])).toMatch(new RegExp(`${flag.name} needs a value`));
      expect(usageMessage(["raft", `${flag.name}=1`, `${flag.name}=2`])).toMatch(new RegExp(`${flag.name} given twice`));
    }
  });

  it("boolean flags take no value; unknown flags and stray words are refused", () => {
    for (const flag of FLAGS.filter((f) => f.value === undefined)) expect(usageMessage(["raft", `${flag.name}=yes`])).toMatch(/unknown flag/);
    expect(usageMessage(["raft", "--nodez", "3"])).toMatch(/unknown flag --nodez/);
    expect(usageMessage(["raft", "extra"])).toMatch(/expected one protocol name/);
    expect(usageMessage(["--list", "raft"])).toMatch(/--list takes no other arguments/);
  });

  it("seeds past the largest seed are refused before anything runs (they used to run as a failed seed, exit 1)", () => {
    expect(usageMessage(["raft", "--seed", String(Number.MAX_SAFE_INTEGER), "--seeds", "2"])).toMatch(/goes past the largest seed/);
    expect(parseArgs(["raft", "--seed", String(Number.MAX_SAFE_INTEGER - 1), "--seeds", "2"])).toMatchObject({ seed: Number.MAX_SAFE_INTEGER - 1, seeds: 2 });
  });

  it("flags that need the protocol or the file system: too few nodes, too many Byzantine nodes, missing directories", () => {
    const target = broadcastSimulation as unknown as AnySimulationTarget;
    const command = (argv: string[]) => parseArgs(["broadcast", ...argv]) as Extract<ReturnType<typeof parseArgs>, { kind: "run" }>;
    expect(runProblem(command(["--byzantine", "6"]), target, 5)).toMatch(/--byzantine 6 exceeds the 5 nodes/);
    expect(runProblem(command(["--twins", "6"]), target, 5)).toMatch(/--twins 6 exceeds the 5 nodes/);
    expect(runProblem(command(["--byzantine", "1", "--strategy", "split-write"]), target, 5)).toMatch(/^--strategy: unknown Byzantine strategy "split-write" for broadcast \(drawn: drop,/);
    expect(runProblem(command(["--byzantine", "1", "--strategy", "drop"]), target, 5)).toBeUndefined();
    expect(runProblem(command(["--trace", "/no-such-dir-synod/t.ndjson"]), target, 5)).toMatch(/^--trace: directory \/no-such-dir-synod does not exist/);
    expect(runProblem(command(["--seed", "1", "--report", "/no-such-dir-synod/r.html"]), target, 5)).toMatch(/^--report: directory/);
    expect(runProblem(command([]), target, 5)).toBeUndefined();
    expect(runProblem(command([]), target, target.minNodes - 1)).toMatch(/needs at least/);
  });
});

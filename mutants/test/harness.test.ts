import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findAnchor, replaceAt } from "../src/anchor.js";
import { parseArgs, UsageError } from "../src/args.js";
import { CATALOGUE } from "../src/catalogue.js";
import { detectorTimeoutMs } from "../src/detector-timeout.js";
import { detectorCommand } from "../src/mutant.js";
import { Scratch } from "../src/scratch.js";
import { median, score, type MutantResult } from "../src/score.js";
import { selectMutants } from "../src/select.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("anchors", () => {
  const dir = mkdtempSync(join(tmpdir(), "mutants-anchor-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, "pkg", "sub"), { recursive: true });
  writeFileSync(join(dir, "pkg", "a.ts"), "const x = a + b;\nconst y = a + b;\n");
  writeFileSync(join(dir, "pkg", "sub", "c.ts"), "return Math.floor(n / 2) + 1;\n");
  writeFileSync(join(dir, "pkg", "notes.md"), "return Math.floor(n / 2) + 1;\n");

  it("finds a snippet in any source file under the folder, wherever it moved", () => {
    expect(findAnchor(dir, "pkg", "Math.floor(n / 2) + 1")).toEqual([{ file: join("pkg", "sub", "c.ts"), offset: 7 }]);
  });

  it("reports every occurrence, so an ambiguous snippet is visible", () => {
    expect(findAnchor(dir, "pkg", "a + b")).toHaveLength(2);
    expect(findAnchor(dir, "pkg", "not there")).toHaveLength(0);
  });

  it("replaces exactly at the anchor and refuses a stale offset", () => {
    expect(replaceAt("let q = Math.floor(n / 2) + 1;", 8, "Math.floor(n / 2) + 1", "Math.ceil(n / 2)")).toBe("let q = Math.ceil(n / 2);");
    expect(() => replaceAt("let q = 1;", 3, "Math", "x")).toThrow(/not at offset/);
  });

  it("applies mutants in a scratch copy and never writes the source tree", () => {
    const scratch = new Scratch(join(dir, "pkg"));
    try {
      scratch.write("a.ts", "mutated");
      expect(scratch.read("a.ts")).toBe("mutated");
      expect(readFileSync(join(dir, "pkg", "a.ts"), "utf8")).toBe("const x = a + b;\nconst y = a + b;\n");
      scratch.restore();
      expect(scratch.read("a.ts")).toBe("const x = a + b;\nconst y = a + b;\n");
    } finally {
      scratch.dispose();
    }
  });
});

describe("the catalogue", () => {
  it("anchors every mutant exactly once in the current code", () => {
    const bad = CATALOGUE.map((m) => ({ id: m.id, hits: findAnchor(repo, m.pkg, m.snippet).length })).filter((x) => x.hits !== 1);
    expect(bad).toEqual([]);
  });

  it("has unique ids, real changes and a counted detector for each mutant", () => {
    expect(new Set(CATALOGUE.map((m) => m.id)).size).toBe(CATALOGUE.length);
    for (const m of CATALOGUE) {
      expect(m.replacement, m.id).not.toBe(m.snippet);
      expect(m.detectors.some((d) => d.kind !== "test"), m.id).toBe(true);
    }
  });

  it("keeps a detector naming a Byzantine strategy apart from the drawn one (baselines dedupe by command)", () => {
    const drawn = { kind: "sim" as const, protocol: "pbft-ro", nodes: 4, faults: "none", byzantine: 1 };
    expect(detectorCommand({ ...drawn, strategy: "split-write" })).toContain("--byzantine 1 --strategy split-write");
    expect(detectorCommand(drawn)).not.toContain("--strategy");
    const named = CATALOGUE.flatMap((m) => m.detectors).filter((d) => d.kind === "sim" && d.strategy !== undefined);
    expect(named.length).toBeGreaterThan(0);
  });

  it("holds at least 25 Raft mutants and a quick subset", () => {
    expect(CATALOGUE.filter((m) => m.id.startsWith("raft/")).length).toBeGreaterThanOrEqual(25);
    expect(selectMutants(CATALOGUE, parseArgs(["--quick"])).length).toBeGreaterThan(0);
    expect(selectMutants(CATALOGUE, parseArgs(["--only", "crdt/,broadcast/"])).every((m) => !m.id.startsWith("raft/"))).toBe(true);
  });
});

describe("arguments", () => {
  it("parses the flags", () => {
    expect(parseArgs(["--quick", "--json", "--only", "raft/", "--timeout", "30"])).toEqual({ quick: true, checkAnchors: false, json: true, only: ["raft/"], timeoutSeconds: 30, baseline: false });
  });

  it("rejects unknown flags and bad values", () => {
    expect(() => parseArgs(["--fast"])).toThrow(UsageError);
    expect(() => parseArgs(["--timeout", "0"])).toThrow(UsageError);
    expect(() => parseArgs(["--only"])).toThrow(UsageError);
  });
});

describe("the score", () => {
  const result = (id: string, status: MutantResult["status"], cpu: number): MutantResult => ({
    id,
    description: "",
    status,
    outcomes: [],
    cpuSeconds: cpu,
    ...(status === "survived" || status === "unanchored" ? {} : { by: { detector: "x", kind: status === "caught" ? "sim" : "test", caught: true, cpuSeconds: cpu } }),
  });

  it("counts only the simulator and TLC, and times the catching detector", () => {
    const s = score([result("raft/a", "caught", 2), result("raft/b", "caught", 8), result("raft/c", "survived", 30), result("crdt/d", "caught-by-test", 1), result("crdt/e", "caught", 0.5)]);
    expect(s.caught).toBe(3);
    expect(s.total).toBe(5);
    expect(s.byArea).toEqual({ raft: { total: 3, caught: 2 }, crdt: { total: 2, caught: 1 } });
    expect(s.medianCpuSeconds).toBe(2);
    expect(s.worstCpuSeconds).toBe(8);
  });

  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe("the report", () => {
  it("merges result files, the later result of a mutant winning", async () => {
    const { mergeResults, markdown } = await import("../src/report.js");
    const row = (id: string, status: string, cpu: number): string =>
      JSON.stringify({ id, description: "", status, outcomes: [], cpuSeconds: cpu, ...(status === "caught" ? { by: { detector: "hunt raft --nodes 5", kind: "sim", caught: true, cpuSeconds: cpu, seedsRun: 3, seed: 1002, invariant: "ElectionSafety" } } : {}) });
    const merged = mergeResults([`${row("raft/a", "survived", 9)}\n${row("raft/b", "caught", 1)}\n{"summary":true}`, row("raft/a", "caught", 4)]);
    expect(merged.map((r) => [r.id, r.status])).toEqual([["raft/a", "caught"], ["raft/b", "caught"]]);
    const table = markdown(merged);
    expect(table).toContain("| raft/a | caught | chaos | ElectionSafety (seed 1002) | 3 | 4.0 | 4.0 |");
    expect(table).toContain("caught 2/2 (raft 2/2); CPU-s to the first failure: median 2.5, worst 4.0");
  });

  it("names a detector by its command: the chain removals hunt is not the chaos hunt", async () => {
    const { markdown } = await import("../src/report.js");
    const by = (detector: string) => ({ detector, kind: "sim" as const, caught: true, cpuSeconds: 1, seedsRun: 6, seed: 1005, invariant: "Linearizable" });
    const result = (id: string, detector: string) => ({ id, description: "", status: "caught" as const, outcomes: [], cpuSeconds: 1, by: by(detector) });
    const table = markdown([
      result("chain/a", "hunt chain --nodes 5 --seed 1000 --seeds 100 --faults partition,reorder --duration 10000"),
      result("chain/b", "hunt chain --nodes 5 --seed 1000 --seeds 100 --faults all --duration 10000"),
    ]);
    expect(table).toContain("| chain/a | caught | removals |");
    expect(table).toContain("| chain/b | caught | chaos |");
  });
});

describe("detector time limits", () => {
  const sim = { kind: "sim", protocol: "raft" } as const;

  it("gives a detector --timeout unless it states a larger need of its own", () => {
    expect(detectorTimeoutMs(sim, 300)).toBe(300_000);
    expect(detectorTimeoutMs({ ...sim, timeoutSeconds: 3_000 }, 300)).toBe(3_000_000);
    expect(detectorTimeoutMs({ ...sim, timeoutSeconds: 60 }, 300)).toBe(300_000);
    expect(detectorTimeoutMs({ ...sim, timeoutSeconds: 3_000 }, 5_000)).toBe(5_000_000);
  });

  it("gives the eclipse hunt the time its 200 seeds need (~0.8 CPU-s each)", () => {
    const eclipse = CATALOGUE.flatMap((m) => m.detectors).find((d) => d.kind === "sim" && d.strategy === "eclipse");
    expect(eclipse).toBeDefined();
    expect(detectorTimeoutMs(eclipse!, 300)).toBeGreaterThanOrEqual(200 * 0.8 * 1000 * 5);
  });
});

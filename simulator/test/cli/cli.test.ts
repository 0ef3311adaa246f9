import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Spawning tsx is slow (~1 s per call): a few calls only. Root of the workspace:
const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "simulator/src/cli/main.ts");

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface RunLine {
  protocol: string;
  seed: number;
  nodes: number;
  faults: string[];
  simulatedMs: number;
  events: number;
  messagesDelivered: number;
  violations: Array<{ invariant: string; event: number; message: string }>;
  traceHash: string;
  metrics: Record<string, number>;
  replay?: string;
}

describe("synod CLI", () => {
  it("--list prints one protocol per line", () => {
    const r = sim(["--list"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toContain("broadcast");
  });

  it("exits 2 with a message on bad usage", () => {
    const unknownFlag = sim(["broadcast", "--nodez", "3"]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/unknown flag --nodez/);
    const badNumber = sim(["broadcast", "--seeds", "ten"]);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--seeds needs a whole number/);
    const unknownProtocol = sim(["paxos"]);
    expect(unknownProtocol.code).toBe(2);
    expect(unknownProtocol.stderr).toMatch(/unknown protocol "paxos"/);
    const badFault = sim(["broadcast", "--faults", "loss,meteor"]);
    expect(badFault.code).toBe(2);
    expect(badFault.stderr).toMatch(/unknown fault "meteor"/);
  });

  it("--json: one object per run with the contract's fields, a summary line last; deterministic per seed across worker counts", () => {
    const args = ["broadcast", "--seed", "10", "--seeds", "4", "--faults", "all", "--duration", "3000", "--json"];
    const a = sim([...args, "--workers", "2"]);
    const b = sim([...args, "--workers", "1", "--check-determinism"]);
    expect(a.code).toBe(0);
    const lines = a.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    const runs = lines.slice(0, 4) as unknown as RunLine[];
    expect(runs.map((r) => r.seed)).toEqual([10, 11, 12, 13]);
    for (const run of runs) {
      expect(run.protocol).toBe("broadcast");
      expect(run.nodes).toBe(5);
      expect(Array.isArray(run.faults)).toBe(true);
      expect(run.simulatedMs).toBeGreaterThanOrEqual(3000);
      expect(run.events).toBeGreaterThan(0);
      expect(run.messagesDelivered).toBeGreaterThan(0);
      expect(run.violations).toEqual([]);
      expect(run.traceHash).toMatch(/^[0-9a-f]{16}$/);
      expect(typeof run.metrics.deliveredIds).toBe("number");
    }
    expect(lines[4]).toEqual({ summary: true, runs: 4, failed: 0, wallMs: expect.any(Number) });
    expect(a.stderr).toMatch(/seeds 10\.\.13/);
    expect(b.code).toBe(0);
    const linesB = b.stdout.trim().split("\n").map((l) => JSON.parse(l) as RunLine & { deterministic?: boolean });
    expect(linesB.slice(0, 4).map((l) => l.traceHash)).toEqual(runs.map((r) => r.traceHash));
    // The determinism verdict, per run and for the batch.
    expect(linesB.slice(0, 4).map((l) => l.deterministic)).toEqual([true, true, true, true]);
    expect(linesB[4]).toMatchObject({ summary: true, runs: 4, failed: 0, deterministic: true });
    expect(runs.every((r) => !("deterministic" in r))).toBe(true);
  });

  it("--help exits 0 with the flags and exit codes; --check-determinism prints its verdict in text; piped output has no progress line", () => {
    const help = sim(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--check-determinism +run every seed twice/);
    expect(help.stdout).toMatch(/exit codes:\n {2}0 {2}every run held/);
    const checked = sim(["broadcast", "--nodes", "3", "--seed", "2", "--duration", "1000", "--check-determinism"]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/ {2}determinism: ran twice, identical event for event\n/);
    expect(checked.stdout).toMatch(/^determinism: deterministic — all 1 seeds ran twice with identical traces$/m);
    expect(checked.stderr).not.toMatch(/\r/);
  });

  it("--trace into a missing directory exits 2 with one line, no stack trace", () => {
    const r = sim(["broadcast", "--nodes", "3", "--seed", "1", "--duration", "200", "--trace", join(tmpdir(), "synod-no-such-dir", "x.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--trace: .*synod-no-such-dir/);
    expect(r.stderr).not.toMatch(/\bat /);
  });

  it("exits 1 on a violation, prints the replay command, and the replay writes an identical trace", () => {
    const failing = sim(["broadcast", "--nodes", "3", "--seed", "4", "--duration", "2000", "--faults", "byzantine"]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/VIOLATION NoCreation/);
    const replay = /replay: (pnpm sim .*)/.exec(failing.stdout)?.[1];
    expect(replay).toBe("pnpm sim broadcast --nodes 3 --seed 4 --duration 2000 --faults byzantine --trace broadcast-4.ndjson");
    const dir = mkdtempSync(join(tmpdir(), "synod-cli-"));
    const args = (file: string): string[] => ["broadcast", "--nodes", "3", "--seed", "4", "--duration", "2000", "--faults", "byzantine", "--trace", join(dir, file)];
    expect(sim(args("a.ndjson")).code).toBe(1);
    expect(sim(args("b.ndjson")).code).toBe(1);
    const traceA = readFileSync(join(dir, "a.ndjson"), "utf8");
    expect(traceA.length).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, "b.ndjson"), "utf8")).toBe(traceA);
    expect(JSON.parse(traceA.trimEnd().split("\n").at(-1) as string)).toMatchObject({ end: true, violations: [{ invariant: "NoCreation" }] });
  });
});

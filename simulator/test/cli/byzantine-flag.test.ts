import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "simulator/src/cli/main.ts");

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synod --byzantine K", () => {
  it("parses a count (0 by default) and refuses anything else", () => {
    expect(parseArgs(["pbft"])).toMatchObject({ kind: "run", byzantine: 0 });
    expect(parseArgs(["pbft", "--byzantine", "2"])).toMatchObject({ kind: "run", byzantine: 2 });
    expect(() => parseArgs(["pbft", "--byzantine", "two"])).toThrow(/--byzantine needs a whole number/);
  });

  it("f+1 faulty replicas on 4 are accepted and caught: exit 1, the violation, the strategies and a replay command with --byzantine", () => {
    const r = sim(["pbft", "--nodes", "4", "--seed", "8", "--duration", "5000", "--byzantine", "2"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATION Agreement/);
    expect(r.stdout).toMatch(/Byzantine: n4 equivocate, n1 equivocate/);
    expect(r.stdout).toMatch(/replay: pnpm sim pbft --nodes 4 --seed 8 --duration 5000 --faults none --byzantine 2/);
    const tooMany = sim(["pbft", "--nodes", "4", "--byzantine", "5"]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--byzantine 5 exceeds the 4 nodes/);
  });
});

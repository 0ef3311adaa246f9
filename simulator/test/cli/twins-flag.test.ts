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

describe("synod --twins K", () => {
  it("parses a count (0 by default) and refuses anything else", () => {
    expect(parseArgs(["raft"])).toMatchObject({ kind: "run", twins: 0 });
    expect(parseArgs(["raft", "--twins", "1"])).toMatchObject({ kind: "run", twins: 1 });
    expect(() => parseArgs(["raft", "--twins", "-1"])).toThrow(/--twins needs a whole number/);
  });

  it("Raft with a twin fails: exit 1, the twins named, and a replay command with --twins; more twins than nodes is exit 2", () => {
    const r = sim(["raft", "--nodes", "3", "--seed", "3", "--duration", "10000", "--twins", "1"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Twins: n3 and n3' until healing \(\d+ episodes of sides, \d+ sends of a copy to the other side dropped\)/);
    expect(r.stdout).toMatch(/VIOLATION /);
    expect(r.stdout).toMatch(/replay: pnpm sim raft --nodes 3 --seed 3 --duration 10000 --faults none --twins 1 --trace raft-3.ndjson/);
    const tooMany = sim(["raft", "--nodes", "3", "--twins", "4"]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/--twins 4 exceeds the 3 nodes/);
  });
});

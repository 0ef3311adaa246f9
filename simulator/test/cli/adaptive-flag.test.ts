import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runSimulation } from "../../src/index.js";
import { parseArgs } from "../../src/cli/args.js";
import { helpText } from "../../src/cli/help.js";
import { loadProtocol, protocolNames } from "../../src/cli/registry.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const main = join(root, "simulator/src/cli/main.ts");

function sim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "--conditions=source", main, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("synod gossip --adaptive", () => {
  it("runs gossip as gossip-adaptive (not listed), is refused for any other protocol, and --help lists it", () => {
    expect(parseArgs(["gossip"])).toMatchObject({ kind: "run", protocol: "gossip" });
    expect(parseArgs(["gossip", "--adaptive"])).toMatchObject({ kind: "run", protocol: "gossip-adaptive" });
    expect(() => parseArgs(["raft", "--adaptive"])).toThrow(/--adaptive applies to gossip only/);
    expect(() => parseArgs(["gossip", "--adaptive=1"])).toThrow(/unknown flag --adaptive=1/);
    expect(protocolNames()).not.toContain("gossip-adaptive");
    expect(helpText(protocolNames())).toMatch(/--adaptive +gossip only: adaptive tuning on/);
  });

  it("the variant's members tune (a lossy run outputs tuned changes), with the adaptive detection bounds; plain gossip does not", async () => {
    const adaptive = await loadProtocol("gossip-adaptive");
    const plain = await loadProtocol("gossip");
    expect(adaptive?.name).toBe("gossip-adaptive");
    expect(adaptive?.liveness?.boundMs).toBeGreaterThan(plain?.liveness?.boundMs ?? Infinity);
    const options = { seed: 3, nodes: 20, faults: ["loss" as const], durationMs: 20_000, trace: true as const };
    const tunedLines = (target: typeof plain) => (runSimulation(target as NonNullable<typeof plain>, options).trace ?? []).filter((l) => l.includes('"tuned"')).length;
    expect(tunedLines(adaptive)).toBeGreaterThan(0);
    expect(tunedLines(plain)).toBe(0);
  });

  it("exit 2 with the reason for another protocol; a gossip run exits 0 and names gossip-adaptive", () => {
    const wrong = sim(["raft", "--adaptive"]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--adaptive applies to gossip only \(its adaptive tuning\), got raft/);
    const ok = sim(["gossip", "--adaptive", "--nodes", "8", "--seed", "1", "--faults", "loss"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^gossip-adaptive: 8 nodes, seed 1/m);
  });
});

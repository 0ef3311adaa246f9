// One simulator hunt, run by the harness in a scratch copy of the repository (so it loads the
// mutated code): seeds in order, stopping at the first violation. Prints one JSON line (HuntResult).
// Usage: tsx --conditions=source mutants/src/hunt.ts '<SimDetector as JSON>' [--all | --hashes]
import { createRng } from "../../packages/core/src/index.js";
import { createKvModel } from "../../packages/lincheck/src/index.js";
import { createRaftSimulation, drawRaftOperator, drawRaftSimConfig } from "../../packages/raft/src/simulation/index.js";
import { createGossipSimulation, drawGossipSimConfig, drawGossipSimWorkload } from "../../packages/gossip/src/index.js";
import { drawClusterSize, withLinearizability } from "../../simulator/src/index.js";
import { loadProtocol, type AnySimulationTarget } from "../../simulator/src/cli/registry.js";
import { parseFaultSelection } from "../../simulator/src/faults/fault-kinds.js";
import { runOneSeed } from "../../simulator/src/parallel/run-summary.js";
import { DEFAULT_FIRST_SEED, DEFAULT_SEEDS, type SimDetector } from "./mutant.js";
import type { HuntResult } from "./hunt-result.js";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** What one seed runs: the cluster size and target, drawn from the seed when the detector swarms. */
export function seedSetup(d: SimDetector, seed: number, base: AnySimulationTarget): { nodes: number; target: AnySimulationTarget; label: string } {
  const rng = createRng(seed).fork("config-swarm");
  const nodes = d.nodes === "swarm" ? drawClusterSize(rng, base.minNodes) : (d.nodes ?? base.defaultNodes);
  if (d.configSwarm === true && d.protocol === "gossip") {
    const config = drawGossipSimConfig(rng);
    const workload = drawGossipSimWorkload(rng);
    const target = createGossipSimulation(config, {}, workload) as unknown as AnySimulationTarget;
    return { nodes, target, label: `nodes=${nodes} ${JSON.stringify(config)} ${JSON.stringify(workload)}` };
  }
  if (d.configSwarm !== true || d.protocol !== "raft") return { nodes, target: base, label: `nodes=${nodes}` };
  const config = { ...drawRaftSimConfig(rng), ...d.raftConfig };
  const drawn = drawRaftOperator(rng);
  const operator = d.raftOperator ?? drawn;
  const target = withLinearizability(createRaftSimulation(config, operator), createKvModel()) as unknown as AnySimulationTarget;
  return { nodes, target, label: `nodes=${nodes} ${JSON.stringify(config)}${operator === undefined ? "" : ` operator=${JSON.stringify(operator)}`}` };
}

async function main(): Promise<void> {
  const d = JSON.parse(process.argv[2] ?? "{}") as SimDetector;
  // --all: run every seed and list the failing ones (a baseline of the unmutated code). --hashes:
  // the same, and every seed's trace hash (is a survivor equivalent on these seeds? see README).
  const withHashes = process.argv[3] === "--hashes";
  const keepGoing = process.argv[3] === "--all" || withHashes;
  const traceHashes: string[] = [];
  const base = await loadProtocol(d.protocol);
  if (base === undefined) throw new Error(`unknown protocol ${d.protocol}`);
  const faults = parseFaultSelection(d.faults ?? "all");
  const first = d.seed ?? DEFAULT_FIRST_SEED;
  const count = d.seeds ?? DEFAULT_SEEDS;
  const start = cpuSeconds();
  let result: HuntResult = { caught: false, seedsRun: 0, cpuSeconds: 0 };
  const skip = new Set(d.skipSeeds ?? []);
  const failing: string[] = [];
  for (let k = 0; k < count; k++) {
    const seed = first + k;
    if (skip.has(seed)) continue;
    let setup = seedSetup(d, seed, base);
    let violation: { invariant: string; message: string } | undefined;
    try {
      const faulty = d.byzantine === "f" ? Math.floor((setup.nodes - 1) / 3) : d.byzantine;
      // The CLI's own path (`pnpm sim … --byzantine K --strategy NAME`): one way to draw or force the faulty nodes' strategies.
      const byzantine = faulty === undefined ? {} : { byzantineNodes: faulty, ...(d.strategy === undefined ? {} : { byzantineStrategy: d.strategy }) };
      const twins = d.twins === undefined ? {} : { twins: d.twins };
      const run = runOneSeed(setup.target, { nodes: setup.nodes, durationMs: d.durationMs ?? 10_000, faults, ...byzantine, ...twins }, seed, false);
      if (run.byzantine !== undefined) setup = { ...setup, label: `${setup.label} byzantine=${JSON.stringify(run.byzantine)}` };
      violation = run.violations[0];
      if (withHashes) traceHashes.push(`${seed} ${run.traceHash}`);
    } catch (error) {
      violation = { invariant: "Threw", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    result = { caught: violation !== undefined, seedsRun: k + 1, cpuSeconds: cpuSeconds() - start };
    if (violation !== undefined && keepGoing) {
      failing.push(`${seed} ${violation.invariant} ${setup.label}`);
      continue;
    }
    if (violation !== undefined) {
      result = { ...result, seed, setup: setup.label, invariant: violation.invariant, message: violation.message.slice(0, 300) };
      break;
    }
  }
  if (keepGoing) result = { ...result, caught: failing.length > 0, failing, ...(withHashes ? { traceHashes } : {}) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();

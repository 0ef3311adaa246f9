// Probe: lease-mode Raft, chosen faults; counts reads answered by a node while a node of a higher term leads.
// Usage (from a repo root): tsx --conditions=source /work/notes/leasehunt/probe.ts FAULTS FIRST COUNT [configJSON]
import { createKvModel } from "./packages/lincheck/src/index.js";
import { createRaftSimulation, RAFT_SIM_CONFIG } from "./packages/raft/src/simulation/index.js";
import { runSimulation, withLinearizability } from "./simulator/src/index.js";
import { parseFaultSelection } from "./simulator/src/faults/fault-kinds.js";
import { inLease } from "./packages/raft/src/rules/leader-lease.js";

const [faultsText = "leader-island", firstText = "1000", countText = "50", cfg = "{}", nodesText = "5"] = process.argv.slice(2);
const config = { ...RAFT_SIM_CONFIG, readMode: "lease" as const, checkQuorum: true, ...JSON.parse(cfg) };
let staleReads = 0, reads = 0, failing = 0, coexistChecks = 0, staleInLease = 0, invokesAtStale = 0;
for (let seed = Number(firstText); seed < Number(firstText) + Number(countText); seed++) {
  const base = withLinearizability(createRaftSimulation(config), createKvModel());
  const probe = {
    name: "Probe",
    afterStep(id: string, step: any, view: any, node?: any) {
      for (const o of step.output ?? []) {
        if (o.type !== "read") continue;
        reads++;
        const me = node ?? view.nodes.get(id);
        for (const [other, n] of view.nodes) if (other !== id && n?.role === "leader" && n.term > me.term) { staleReads++; if (process.env.DBG2) console.log("STALE", seed, view.nowMs, id, me.term, "new", other, n.term, n.commitIndex, "tag", o.tag, JSON.stringify(o.result)); break; }
      }
      return undefined;
    },
    check(view: any) {
      let top = -1;
      for (const n of view.nodes.values()) if (n?.role === "leader" && n.term > top) top = n.term;
      for (const [id, n] of view.nodes) if (n?.role === "leader" && n.term < top) {
        coexistChecks++;
        if (inLease((n as any).r)) { staleInLease++; if (process.env.DBG) console.log("staleInLease", view.nowMs, id, n.term, top); }
        const h = view.history; const last = h[h.length - 1];
        if (last?.type === "invoke" && last.node === id && last.timeMs === view.nowMs) invokesAtStale++;
      }
      return undefined;
    },
  };
  const target = { ...base, createInvariants: () => [...base.createInvariants(), probe as any] };
  const run = runSimulation(target as any, { seed, nodes: Number(nodesText), durationMs: 10_000, faults: parseFaultSelection(faultsText), workload: JSON.parse(process.env.WL ?? "{}") });
  if (process.env.DBG2) for (const e of (run as any).history ?? []) console.log("H", seed, JSON.stringify(e));
  if (process.env.DBG) for (const e of (run as any).history ?? []) if (e.type === "invoke") console.log("inv", e.timeMs, e.node, JSON.stringify(e.op));
  if (run.violations.length > 0) { failing++; console.log(seed, run.violations[0]!.invariant, run.violations[0]!.message.slice(0, 200)); }
}
console.log(JSON.stringify({ faultsText, reads, staleReads, failing, coexistChecks, staleInLease, invokesAtStale }));

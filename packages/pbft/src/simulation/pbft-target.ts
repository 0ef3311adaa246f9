import { okAfter, type ClusterView, type NodeContext, type Rng, type SimulationTarget } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import type { PbftConfig } from "../config.js";
import type { PbftInput, PbftOutput } from "../io.js";
import { pbftMessageCodec, type PbftMessage } from "../messages.js";
import { PbftNode } from "../pbft-node.js";
import { pbftRecordCodec, type PbftRecord } from "../records.js";
import { KvService } from "../service.js";
import { PBFT_CRASH_POINTS, pbftCrashPointOf } from "./crash-points.js";
import { evidenceSpreads } from "./evidence-spread.js";
import { createPbftInvariants } from "./invariants.js";
import { createPbftKvClientModel } from "./kv-client.js";
import { simulationKeys } from "./simulation-keys.js";

/** The PBFT simulation target's type. */
export type PbftSimulationTarget = SimulationTarget<PbftNode<KvResult>, PbftMessage, PbftInput, PbftOutput<KvResult>, PbftRecord, KvOp, KvResult>;

/** Virtual milliseconds per tick. */
export const PBFT_SIM_TICK_MS = 10;
/** Configuration of simulated replicas: checkpoints every 8 so that garbage collection and state transfer happen in short runs. */
export const PBFT_SIM_CONFIG: Partial<PbftConfig> = Object.freeze({
  checkpointInterval: 8,
  windowSize: 32,
  batchMax: 16,
  maxInFlight: 16,
  viewChangeTimeoutTicks: 40,
  retransmitTicks: 15,
});
/**
 * Liveness bound after healing: 12 s. The view-change timeout is at most 40 × 2^4 ticks = 6.4 s
 * (it doubles on successive failures, up to 16 times the base); the bound covers the longest timer
 * running at the heal plus one view change and a request's round trips. A replica left alone in a
 * later view is followed after the same 6.4 s, so the bound covers that too.
 */
export const PBFT_LIVENESS_BOUND_MS = 12_000;

/** Every running correct replica is active in one view (a replica left alone in a later view is out of the protocol). */
function correctReplicasShareAView(view: ClusterView<PbftNode<KvResult>, KvOp, KvResult>): boolean {
  let shared: number | undefined;
  for (const [id, node] of view.nodes) {
    if (node === undefined || node.halted !== undefined || view.faulty?.has(id) === true) continue;
    if (!node.viewActive || (shared !== undefined && node.view !== shared)) return false;
    shared = node.view;
  }
  return true;
}

function sum(view: ClusterView<PbftNode<KvResult>, KvOp, KvResult>, pick: (node: PbftNode<KvResult>) => number): number {
  let total = 0;
  for (const node of view.nodes.values()) if (node !== undefined) total += pick(node);
  return total;
}

/**
 * PBFT replicating the KV store (`pnpm sim pbft`): 4 replicas (f = 1) by default, the KV workload
 * with client-authenticated requests (gets marked read-only), the invariants of specs/pbft/PBFT.tla
 * checked after every event, and liveness after healing. The authentication mode is part of the
 * target (its name), never of the library's default: `pbft` signs everything, `pbft-mac` uses MAC
 * authenticators on the normal case.
 * @param overrides - replica configuration over {@link PBFT_SIM_CONFIG} (`{ readOnly: true }`:
 *   `pnpm sim pbft-ro`; `{ authentication: "macs" }`: `pnpm sim pbft-mac`; `{ certificates: "threshold" }`:
 *   `pnpm sim pbft-threshold`)
 */
export function createPbftSimulation(overrides: Partial<PbftConfig> = {}): PbftSimulationTarget {
  const config = { authentication: "signatures" as const, ...PBFT_SIM_CONFIG, ...overrides };
  const readOnly = config.readOnly === true;
  const macs = config.authentication === "macs";
  const threshold = config.certificates === "threshold";
  return {
    ...pbftTargetParts,
    name: `pbft${macs ? "-mac" : ""}${threshold ? "-threshold" : ""}${readOnly ? "-ro" : ""}`,
    description:
      `PBFT (checkpoints, view changes, state transfer; ${macs ? MAC_DESCRIPTION : "signed messages (pbft-mac for MAC authenticators)"}` +
      `${threshold ? THRESHOLD_DESCRIPTION : ""}${readOnly ? "; the read-only optimisation" : ""}) replicating a KV store`,
    client: createPbftKvClientModel(config.authentication),
    createNode(ctx: NodeContext<PbftRecord>): PbftNode<KvResult> {
      return new PbftNode({ ctx, keys: simulationKeys.keysFor(ctx.id, ctx.members), service: new KvService(), config });
    },
  };
}

const THRESHOLD_DESCRIPTION =
  "; stable checkpoints and prepared certificates proven by one q-of-n threshold signature each (ideal threshold scheme)" +
  " instead of q signed checkpoints or q−1 prepares";
const MAC_DESCRIPTION = "MAC authenticators on the normal case, signed view changes and checkpoints (pbft for signatures everywhere)";

const pbftTargetParts: Omit<PbftSimulationTarget, "name" | "description" | "createNode" | "client"> = {
  defaultNodes: 4,
  minNodes: 4,
  tickMs: PBFT_SIM_TICK_MS,
  messageCodec: pbftMessageCodec,
  recordCodec: pbftRecordCodec,
  createInvariants: createPbftInvariants,
  liveness: {
    description:
      "a request invoked after healing completes (f+1 matching replies), every correct replica runs in one started view " +
      "and holds proven faulty every replica a correct replica does or two correct replicas were delivered contradicting view-changes of (EvidenceSpread), " +
      "unless more than f replicas are faulty or halted on corrupted storage (outside the guarantee)",
    boundMs: PBFT_LIVENESS_BOUND_MS,
    holds(view, healedAtMs) {
      let lost = 0;
      for (const [id, node] of view.nodes) if (node?.halted !== undefined || view.faulty?.has(id) === true) lost++;
      if (lost > Math.floor((view.members.length - 1) / 3)) return true;
      return okAfter(view.history, healedAtMs) && correctReplicasShareAView(view) && evidenceSpreads(view) === undefined;
    },
  },
  leads(node) {
    return node.viewActive && node.primary === node.id;
  },
  crashPoints: PBFT_CRASH_POINTS,
  crashPointOf: pbftCrashPointOf,
  role(node) {
    return `${node.primary === node.id ? "primary" : "backup"} v${node.view}${node.viewActive ? "" : " (view change)"}`;
  },
  metrics(view) {
    return {
      view: Math.max(0, ...[...view.nodes.values()].map((n) => n?.view ?? 0)),
      executedSeq: Math.max(0, ...[...view.nodes.values()].map((n) => n?.lastExecuted ?? 0)),
      executedRequests: sum(view, (n) => n.metrics.executedRequests),
      viewChanges: sum(view, (n) => n.metrics.viewChanges),
      slowPrimaryViewChanges: sum(view, (n) => n.metrics.slowPrimaryViewChanges),
      newViews: sum(view, (n) => n.metrics.newViews),
      stableCheckpoints: sum(view, (n) => n.metrics.stableCheckpoints),
      stateTransfers: sum(view, (n) => n.metrics.stateTransfers),
      equivocationsSeen: sum(view, (n) => n.metrics.equivocations),
      provenFaulty: sum(view, (n) => n.metrics.provenFaulty),
      disputesForwarded: sum(view, (n) => n.metrics.disputesForwarded),
      disputesResent: sum(view, (n) => n.metrics.disputesResent),
      rejected: sum(view, (n) => n.metrics.rejectedTotal),
      rejectedBadSignature: sum(view, (n) => n.metrics.rejected["bad-signature"]),
      rejectedInvalidCertificate: sum(view, (n) => n.metrics.rejected["invalid-certificate"]),
      rejectedConflict: sum(view, (n) => n.metrics.rejected.conflict),
      rejectedBadShare: sum(view, (n) => n.metrics.rejected["bad-share"]),
      rejectedBadThresholdSignature: sum(view, (n) => n.metrics.rejected["bad-threshold-signature"]),
      thresholdCertificates: sum(view, (n) => n.metrics.thresholdCertificates),
      thresholdPrepared: sum(view, (n) => n.metrics.thresholdPrepared),
      readOnlyCompleted: sum(view, (n) => n.metrics.readOnlyCompleted),
      readOnlyFallbacks: sum(view, (n) => n.metrics.readOnlyFallbacks),
    };
  },
  forge(message: PbftMessage, rng: Rng): PbftMessage {
    // An altered copy that keeps the sender's old signature: honest replicas must reject it.
    if (message.type === "request" || message.type === "readRequest") return { ...message, request: { ...message.request, timestamp: message.request.timestamp + 1 } };
    if (message.type === "prePrepare" || message.type === "prepare" || message.type === "commit") {
      const digest = message.digest.slice();
      const at = rng.int(0, digest.length);
      digest[at] = (digest[at] as number) ^ (1 + rng.int(0, 255));
      return { ...message, digest };
    }
    return { ...message, sig: new Uint8Array(message.sig.length) };
  },
};

/** PBFT as `pnpm sim pbft` runs it: every request ordered (gets too). */
export const pbftSimulation: PbftSimulationTarget = createPbftSimulation();

/** PBFT with MAC authenticators on the normal case, as `pnpm sim pbft-mac` runs it. */
export const pbftMacSimulation: PbftSimulationTarget = createPbftSimulation({ authentication: "macs" });

/** PBFT with threshold checkpoint certificates (signatures everywhere else), as `pnpm sim pbft-threshold` runs it. */
export const pbftThresholdSimulation: PbftSimulationTarget = createPbftSimulation({ certificates: "threshold" });

/** PBFT with the read-only optimisation on, as `pnpm sim pbft-ro` runs it: gets answered by 2f+1 matching read replies. */
export const pbftReadOnlySimulation: PbftSimulationTarget = createPbftSimulation({ readOnly: true });

import type { ProtocolNode, SimulationTarget } from "@synod/core";
import { createKvModel } from "@synod/lincheck";
import { withLinearizability } from "../checks/linearizable.js";

/** A simulation target with its type parameters erased, as the CLI handles them. */
export type AnySimulationTarget = SimulationTarget<ProtocolNode<unknown, unknown, unknown, unknown>, unknown, unknown, unknown, unknown, unknown, unknown>;

/**
 * The protocols `synod` can run, by CLI name. Adding one is one line:
 * `raft: async () => (await import("@synod/raft/simulation")).raftSimulation,`
 * (loaded lazily, so a broken package only breaks its own entry).
 */
export const protocols: Readonly<Record<string, () => Promise<AnySimulationTarget>>> = {
  broadcast: async () => (await import("../reference/broadcast/target.js")).broadcastSimulation,
  // Every simulated Raft run's KV history must also be linearizable (checked at the end of the run).
  crdt: async () => (await import("@synod/crdt")).crdtSimulation as unknown as AnySimulationTarget,
  dkg: async () => (await import("@synod/security")).dkgSimulation as unknown as AnySimulationTarget,
  // The DKG with threshold Q (2f+1 of 3f+1): keys for PBFT's threshold certificates.
  "dkg-q": async () => (await import("@synod/security")).dkgQuorumSimulation as unknown as AnySimulationTarget,
  keys: async () => (await import("@synod/security")).keyGossipSimulation as unknown as AnySimulationTarget,
  gossip: async () => (await import("@synod/gossip")).gossipSimulation as unknown as AnySimulationTarget,
  // HyParView partial views and Plumtree broadcast trees (the gossip package's topology layer).
  plumtree: async () => (await import("@synod/gossip")).plumtreeSimulation as unknown as AnySimulationTarget,
  // The same with the eclipse defences of both views on (`basalt`, `activeDefence`).
  "plumtree-defended": async () => (await import("@synod/gossip")).plumtreeDefendedSimulation as unknown as AnySimulationTarget,
  raft: async () => withLinearizability((await import("@synod/raft/simulation")).raftSimulation, createKvModel()) as AnySimulationTarget,
  pbft: async () => withLinearizability((await import("@synod/pbft")).pbftSimulation, createKvModel()) as unknown as AnySimulationTarget,
  "pbft-mac": async () => withLinearizability((await import("@synod/pbft")).pbftMacSimulation, createKvModel()) as unknown as AnySimulationTarget,
  "pbft-threshold": async () => withLinearizability((await import("@synod/pbft")).pbftThresholdSimulation, createKvModel()) as unknown as AnySimulationTarget,
  "pbft-ro": async () => withLinearizability((await import("@synod/pbft")).pbftReadOnlySimulation, createKvModel()) as unknown as AnySimulationTarget,
  // CRAQ (`chain`) and plain chain replication (`chain-cr`), each checked for linearizability like Raft.
  chain: async () => withLinearizability((await import("@synod/chain/simulation")).chainSimulation, createKvModel()) as unknown as AnySimulationTarget,
  "chain-cr": async () => {
    const { chainReplicationSimulation } = await import("@synod/chain/simulation");
    return withLinearizability(chainReplicationSimulation, createKvModel()) as unknown as AnySimulationTarget;
  },
};

/**
 * Variants of registered protocols that a flag selects (not listed by `--list`): `--adaptive` runs
 * gossip with adaptive tuning on under its own name, so that its traces and replay commands load it again.
 */
const variants: Readonly<Record<string, () => Promise<AnySimulationTarget>>> = {
  "gossip-adaptive": async () => {
    const { createGossipSimulation } = await import("@synod/gossip");
    return { ...createGossipSimulation({ adaptive: true }), name: "gossip-adaptive" } as unknown as AnySimulationTarget;
  },
};

/** @returns the registered protocol names, sorted */
export function protocolNames(): string[] {
  return Object.keys(protocols).sort();
}

/**
 * Load a registered protocol's target.
 * @returns the target, or undefined when no protocol has that name
 */
export async function loadProtocol(name: string): Promise<AnySimulationTarget | undefined> {
  const has = (table: object): boolean => Object.prototype.hasOwnProperty.call(table, name);
  const load = has(protocols) ? protocols[name] : has(variants) ? variants[name] : undefined;
  return load === undefined ? undefined : load();
}

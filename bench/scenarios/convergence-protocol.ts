import type { ClusterView, ProtocolNode, SimulationTarget } from "@synod/core";

/** A simulation target of the convergence scenario, its type parameters erased as the scenario handles them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConvergenceTarget = SimulationTarget<ProtocolNode<any, any, any, any>, any, any, any, any, any, any>;

/** The cluster as the convergence condition reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConvergenceView = ClusterView<any, any, any>;

/**
 * A protocol whose replicas converge after a partition heals (CRDT anti-entropy, gossip
 * dissemination), as the convergence scenario sees it. One file each in `bench/scenarios/convergence/`.
 */
export interface ConvergenceProtocol {
  /** Name in tables and charts. */
  readonly name: string;
  /** Cluster sizes of a real run, and of `--quick`. */
  readonly clusterSizes: readonly number[];
  readonly quickSizes: readonly number[];
  /** Virtual ms of one protocol round (an anti-entropy round, a gossip period), and what a round is called. */
  readonly roundMs: number;
  readonly roundName: string;
  /** The partition into halves: start and length, simulated ms. The heal is at `atMs + durMs`. */
  readonly partition: { readonly atMs: number; readonly durMs: number };
  /** Simulated ms after the heal past which a run is reported as not converged. */
  readonly boundMs: number;
  /** Open-loop client writes per simulated second (to random live nodes, both sides) until the heal; 0 for none. */
  readonly writesPerSec: number;
  /**
   * The target for a cluster of `nodes`.
   * @param healed - whether the partition has healed: from then on the clients write nothing that
   *   changes a replica, so that the traffic measured after the heal is the repair alone
   */
  target(nodes: number, healed: () => boolean): ConvergenceTarget;
  /** What "converged" means, in words (for the notes). */
  readonly convergedMeans: string;
  /** @returns whether every live node has converged (polled by the simulator every tick after the heal) */
  converged(view: ConvergenceView, healedAtMs: number): boolean;
}

import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ClusterView, ProtocolNode, SimulationTarget } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { nextKvOp, type KvWorkload } from "./kv-workload.js";

/** A simulation target replicating the KV store, its type parameters erased as the scenarios handle them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KvTarget = SimulationTarget<ProtocolNode<any, any, any, any>, any, any, any, any, KvOp, KvResult>;

/**
 * A replication protocol as the cross-protocol scenarios see it. Adding one is one file in
 * `bench/scenarios/protocols/` exporting `protocol: KvProtocol` (picked up by {@link loadKvProtocols}).
 */
export interface KvProtocol {
  /** Name in tables and charts. */
  readonly name: string;
  /** Cluster sizes compared (e.g. 3, 5, 7, 9; PBFT 4, 7, 10, 13 for f = 1..4). */
  readonly clusterSizes: readonly number[];
  /** Virtual milliseconds per tick of its nodes. */
  readonly tickMs: number;
  /** The simulation target with default settings. */
  readonly target: KvTarget;
  /** @returns the index (0-based, as in fault schedules) of the node that orders requests now: Raft's leader, PBFT's primary */
  coordinatorIndex(view: ClusterView<ProtocolNode<unknown, unknown, unknown, unknown>, KvOp, KvResult>): number | undefined;
}

/** @returns `target` with its clients generating `workload` (the protocol's own request encoding and completions kept) */
export function withKvWorkload(target: KvTarget, workload: KvWorkload): KvTarget {
  return { ...target, client: { ...target.client!, nextOperation: (rng) => nextKvOp(workload, rng) } };
}

const PROTOCOLS_DIR = fileURLToPath(new URL("./protocols/", import.meta.url));

/** @returns every protocol of `bench/scenarios/protocols/*.ts`, by file name order */
export async function loadKvProtocols(dir: string = PROTOCOLS_DIR): Promise<KvProtocol[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort();
  const protocols: KvProtocol[] = [];
  for (const file of files) {
    const module: { protocol?: KvProtocol } = await import(pathToFileURL(join(dir, file)).href);
    if (module.protocol === undefined) throw new Error(`bench/scenarios/protocols/${basename(file)} does not export \`protocol: KvProtocol\``);
    protocols.push(module.protocol);
  }
  return protocols;
}

import type { ProtocolNode, SimulationTarget } from "@synod/core";
import type { RunRecorder } from "../record/run-recorder.js";
import type { NetworkModel } from "./network.js";
import type { NodeTable } from "./node-table.js";
import type { Twins } from "./twins.js";

/** Give `recorder` its read-only view of a run's nodes (a twin's copies shown as Byzantine until healing), network and the target's role labels. */
export function attachRecorder<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res>(
  recorder: RunRecorder,
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  table: NodeTable<N, M, I, O, P, Op, Res>,
  network: NetworkModel,
  twins: Twins | undefined,
): void {
  const role = target.role;
  recorder.attach({
    ids: table.labels,
    node: (i) => table.nodes[i],
    paused: (i) => table.paused[i] !== 0,
    slow: (i) => (network.slowExtraMs[i] as number) > 0 || (network.slowInboundMs[i] as number) > 0,
    skewed: (i) => table.skewRate[i] !== 1,
    byzantine: (i) => table.adversaries[i] !== undefined || twins?.isTwinCopy(i) === true,
    cuts: () => network.activeCuts,
    conditions: () => network.now,
    role: (node) => (role === undefined ? undefined : role.call(target, node as N)),
  });
}

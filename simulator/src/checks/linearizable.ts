import type { ClusterView, Invariant, ProtocolNode, SimulationTarget } from "@synod/core";
import { checkOperations, operationsFromHistory, type Model } from "@synod/lincheck";

/** Name of the end-of-run invariant {@link withLinearizability} adds. */
export const LINEARIZABLE = "Linearizable";

/** Default time budget for the end-of-run check, per run. */
export const DEFAULT_LINEARIZABILITY_TIMEOUT_MS = 10_000;

/**
 * The same target, plus an end-of-run invariant named `Linearizable`: the run's client history,
 * checked with @synod/lincheck against `model`. A history the checker cannot decide within
 * `timeoutMs` is reported too (undecided is not a pass).
 * @param target - a protocol whose client operations and results are the model's input/output
 * @param model - the sequential specification (e.g. `createKvModel()`)
 * @returns a new target; `target` is not modified
 * @example
 * const checked = withLinearizability(raftSimulation, createKvModel());
 * runSimulation(checked, { seed: 1, faults: "all" });
 */
export function withLinearizability<N extends ProtocolNode<M, I, O, P>, M, I, O, P, Op, Res, State>(
  target: SimulationTarget<N, M, I, O, P, Op, Res>,
  model: Model<State, Op, Res>,
  timeoutMs: number = DEFAULT_LINEARIZABILITY_TIMEOUT_MS,
): SimulationTarget<N, M, I, O, P, Op, Res> {
  const linearizable: Invariant<N, M, O, P, Op, Res> = {
    name: LINEARIZABLE,
    atEnd(view: ClusterView<N, Op, Res>): string | undefined {
      const result = checkOperations(model, operationsFromHistory(view.history), { timeoutMs });
      if (result.linearizable === true) return undefined;
      if (result.linearizable === "unknown") return `history of ${result.operations} operations undecided within ${timeoutMs} ms`;
      return `history not linearizable: ${result.witness?.text ?? "no witness"}`;
    },
  };
  return { ...target, createInvariants: () => [...target.createInvariants(), linearizable] };
}

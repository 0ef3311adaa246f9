import type { Model, Operation } from "../src/index.js";

/**
 * The definition of linearizability, executed by brute force (test oracle for small histories):
 * is there a sequence of some operations — every known-outcome one, any subset of the
 * unknown-outcome ones — such that no operation is placed before another that returned before it
 * was invoked, and the model accepts every step? No memoisation, no partitioning, no pruning.
 */
export function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): boolean {
  const placed = new Array<boolean>(ops.length).fill(false);
  const search = (state: S): boolean => {
    if (ops.every((op, i) => placed[i] || op.unknown)) return true;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i]) continue;
      const op = ops[i] as Operation<I, O>;
      // Real time: nothing still unplaced (and not droppable) may have returned before op was invoked.
      const blocked = ops.some((other, j) => !placed[j] && j !== i && !other.unknown && other.ret < op.call);
      if (blocked) continue;
      const stepped = model.step(state, op.input, op.output);
      if (!stepped.ok) continue;
      placed[i] = true;
      const found = search(stepped.state);
      placed[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search(model.init());
}

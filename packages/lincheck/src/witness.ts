import { assert } from "@synod/core";
import type { Model } from "./model.js";
import type { Operation } from "./operation.js";

/** At most this many prefix operations are spelled out in witness text (the last ones). */
const MAX_PREFIX_LINES = 20;
/** At most this many concurrent alternatives are listed in witness text. */
const MAX_CONCURRENT_LINES = 10;

/** One step of a linearization: an operation and the state it leaves. */
export interface LinearizedStep<State, Input, Output> {
  readonly operation: Operation<Input, Output>;
  readonly stateAfter: State;
}

/**
 * Why a history is not linearizable, for people: within one partition, the longest linearizable
 * prefix the search found, and the operation that could not be linearized after it (its return
 * was reached and no order of the pending operations made its output legal).
 */
export interface Witness<State, Input, Output> {
  /** The partition (e.g. the key); "" when the model does not partition. */
  readonly partition: string;
  /** The longest linearizable prefix found, in order, with the state after each operation. */
  readonly prefix: readonly LinearizedStep<State, Input, Output>[];
  /** The state after the prefix. */
  readonly state: State;
  /** The operation that cannot be linearized after the prefix. */
  readonly operation: Operation<Input, Output>;
  /** Other operations not in the prefix and invoked before `operation` returned (the alternatives that were tried). */
  readonly concurrent: readonly Operation<Input, Output>[];
  /** Multi-line readable explanation. */
  readonly text: string;
}

/**
 * Assemble a witness from the search's longest prefix (internal to {@link checkOperations}).
 * @returns the witness with its text
 */
export function buildWitness<State, Input, Output>(
  model: Model<State, Input, Output>,
  partition: string,
  ops: readonly Operation<Input, Output>[],
  longestPrefix: readonly number[],
  blocking: number,
  describePosition: (position: number) => string = (p) => `event #${p}`,
): Witness<State, Input, Output> {
  const prefix: LinearizedStep<State, Input, Output>[] = [];
  let state = model.init();
  for (const index of longestPrefix) {
    const operation = ops[index] as Operation<Input, Output>;
    const stepped = model.step(state, operation.input, operation.output);
    // The search only lifted legal steps; replaying them from init must succeed.
    assert(stepped.ok, `lincheck: witness replay failed at ${model.describeOperation(operation.input, operation.output)}`);
    state = stepped.state;
    prefix.push({ operation, stateAfter: state });
  }
  const operation = ops[blocking] as Operation<Input, Output>;
  const inPrefix = new Set(longestPrefix);
  const concurrent = ops.filter((op, i) => i !== blocking && !inPrefix.has(i) && op.call < operation.ret);

  const describe = (op: Operation<Input, Output>): string => {
    const span = op.unknown ? `${describePosition(op.call)}, outcome unknown` : `${describePosition(op.call)} to ${describePosition(op.ret)}`;
    return `client ${op.client}: ${model.describeOperation(op.input, op.output)}  (${span})`;
  };
  const lines: string[] = [];
  const where = partition === "" ? "" : ` in partition ${JSON.stringify(partition)}`;
  lines.push(`not linearizable${where} (model ${model.name}).`);
  lines.push(`Longest linearizable prefix: ${prefix.length} of ${ops.length} operations.`);
  const shownFrom = Math.max(0, prefix.length - MAX_PREFIX_LINES);
  if (shownFrom > 0) lines.push(`  ... ${shownFrom} earlier operations ...`);
  for (let i = shownFrom; i < prefix.length; i++) {
    const step = prefix[i] as LinearizedStep<State, Input, Output>;
    lines.push(`  ${i + 1}. ${describe(step.operation)}  -> state ${model.describeState(step.stateAfter)}`);
  }
  lines.push(`Then this operation cannot be linearized (state ${model.describeState(state)}):`);
  lines.push(`  ${describe(operation)}`);
  if (concurrent.length > 0) {
    lines.push(`Other operations outside the prefix invoked before it returned (${concurrent.length}; none of their orders made it legal):`);
    for (const op of concurrent.slice(0, MAX_CONCURRENT_LINES)) lines.push(`  ${describe(op)}`);
  }
  return { partition, prefix, state, operation, concurrent, text: lines.join("\n") };
}

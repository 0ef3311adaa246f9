import type { KvOp, KvResult } from "../kv-op.js";
import type { Model } from "../model.js";
import type { ValueModelOptions } from "./register-model.js";
import { ABSENT_STATE, describeKvOperation, describeValue, equalValueStates, isKvReadOnly, kvInputKey, stepValue, valueState, type ValueState } from "./value-step.js";

/**
 * A key-value map with get / put / append / cas / delete per key. Keys are independent, so the
 * model partitions the history by key (P-compositionality) and each partition's state is the
 * value of that one key (initially absent).
 * @param options - see {@link ValueModelOptions} (`absentValue: ""` for Jepsen KV histories)
 * @returns the model
 * @example checkOperations(createKvModel(), operationsFromHistory(events), { timeoutMs: 5000 })
 */
export function createKvModel(options: ValueModelOptions = {}): Model<ValueState, KvOp, KvResult> {
  const absent = valueState(options.absentValue ?? null);
  return {
    name: "kv",
    init: () => ABSENT_STATE,
    step: (state, op, result) => stepValue(state, op, result, absent),
    partition: (op) => op.key,
    isReadOnly: isKvReadOnly,
    inputKey: kvInputKey,
    equal: equalValueStates,
    hash: (state) => state.hash,
    describeOperation: describeKvOperation,
    describeState: (state) => describeValue(state.value),
  };
}

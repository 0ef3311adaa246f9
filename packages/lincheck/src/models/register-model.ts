import type { KvOp, KvResult, KvValue } from "../kv-op.js";
import type { Model } from "../model.js";
import { ABSENT_STATE, describeKvOperation, describeValue, equalValueStates, isKvReadOnly, kvInputKey, stepValue, valueState, type ValueState } from "./value-step.js";

/** Options of {@link createRegisterModel} and {@link createKvModel}. */
export interface ValueModelOptions {
  /**
   * What a read of an absent key/register returns: `null` (default), or e.g. `""` for stores
   * (like the Jepsen KV test service) that read a missing key as the empty string.
   */
  readonly absentValue?: KvValue;
}

/**
 * A single read/write/compare-and-set register (Jepsen's etcd test). Every operation acts on the
 * one register whatever its `key`: get = read, put = write, cas = compare-and-set; delete and
 * append are accepted too (they clear / extend the register). The initial state is absent.
 * @param options - see {@link ValueModelOptions}
 * @returns the model (its state is the register's value with an incremental hash)
 * @example checkOperations(createRegisterModel(), operationsFromHistory(events))
 */
export function createRegisterModel(options: ValueModelOptions = {}): Model<ValueState, KvOp, KvResult> {
  const absent = valueState(options.absentValue ?? null);
  return {
    name: "register",
    init: () => ABSENT_STATE,
    step: (state, op, result) => stepValue(state, op, result, absent),
    isReadOnly: isKvReadOnly,
    inputKey: kvInputKey,
    equal: equalValueStates,
    hash: (state) => state.hash,
    describeOperation: describeKvOperation,
    describeState: (state) => describeValue(state.value),
  };
}

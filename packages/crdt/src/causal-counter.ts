import type { NodeId } from "@synod/core";
import { CausalContext } from "./causal-context.js";
import { CausalCrdt } from "./causal-crdt.js";
import { dotKey, type Dot } from "./dot.js";
import type { DotFun, Primitive } from "./dot-store.js";
import { mvRegisterKind, type MVRegisterState } from "./mv-register.js";

/**
 * The dot-store kind of a causal counter (a counter usable inside an OR-Map): a dot function in
 * which each replica holds one dot whose value is its running total. It is the MV-Register's kind;
 * only the mutators differ.
 */
export const causalCounterKind = mvRegisterKind;

/**
 * Delta of adding `amount` at `replica` to a causal counter `(store, ctx)`: a fresh dot with the
 * replica's new total, superseding its old dot. Removing the counter from a map resets it.
 * @returns the delta (not applied)
 */
export function causalCounterAddDelta(store: DotFun<Primitive>, ctx: CausalContext, replica: NodeId, amount: number): MVRegisterState {
  let total = 0;
  const dots: Dot[] = [];
  for (const entry of store.values()) {
    if (entry.dot[0] === replica && typeof entry.value === "number") {
      total += entry.value;
      dots.push(entry.dot);
    }
  }
  const dot = ctx.nextDot(replica);
  dots.push(dot);
  return new CausalCrdt(mvRegisterKind, new Map([[dotKey(dot), { dot, value: total + amount }]]), CausalContext.of(dots));
}

/** @returns the value of a causal counter store: the sum of the replicas' totals */
export function causalCounterValue(store: DotFun<Primitive>): number {
  let sum = 0;
  for (const entry of store.values()) if (typeof entry.value === "number") sum += entry.value;
  return sum;
}

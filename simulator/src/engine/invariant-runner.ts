import type { ClusterView, Invariant, InvariantResult, NodeId, Step } from "@synod/core";
import { describeError } from "./describe-error.js";
import type { RunState } from "./run-state.js";

/**
 * Runs a target's invariants at their three points: `afterStep` after each node step, `check` after
 * each event that changed a node, `atEnd` once. The first problem is recorded in the run state
 * (which stops the run); an invariant that throws is a violation of that invariant.
 *
 * The hooks are taken out of their invariants once, at construction: the loops then call through an
 * array of functions instead of loading a property from objects of many shapes.
 */
export class InvariantRunner<N, M, O, P, Op, Res> {
  /** The properties checked, by name (an invariant covering several lists each). */
  readonly names: string[] = [];
  private readonly afterStepInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly afterStepHooks: NonNullable<Invariant<N, M, O, P, Op, Res>["afterStep"]>[] = [];
  /** Per afterStep hook: whether it skips the steps that only send. */
  private readonly afterStepSkipsSendOnly: boolean[] = [];
  /** How many afterStep hooks see every step (the others skip steps that only send). */
  private everyStepHooks = 0;
  /** The afterStep hooks that also see deliveries answered by an empty step (`afterStepOn: "every-delivery"`). */
  private readonly deliveryInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly deliveryHooks: NonNullable<Invariant<N, M, O, P, Op, Res>["afterStep"]>[] = [];
  private readonly checkInvariants: Invariant<N, M, O, P, Op, Res>[] = [];
  private readonly checkHooks: NonNullable<Invariant<N, M, O, P, Op, Res>["check"]>[] = [];
  private readonly atEndInvariants: Invariant<N, M, O, P, Op, Res>[] = [];

  /**
   * @param invariants - the invariants to run (none: nothing is checked)
   * @param view - the cluster they look at
   * @param state - where a violation is recorded
   */
  constructor(
    invariants: readonly Invariant<N, M, O, P, Op, Res>[],
    private readonly view: ClusterView<N, Op, Res>,
    private readonly state: RunState<O>,
  ) {
    for (const invariant of invariants) {
      for (const name of invariant.covers ?? [invariant.name]) if (!this.names.includes(name)) this.names.push(name);
      if (invariant.afterStep) {
        this.afterStepInvariants.push(invariant);
        this.afterStepHooks.push(invariant.afterStep);
        const skips = invariant.afterStepOn === "persist-or-output";
        this.afterStepSkipsSendOnly.push(skips);
        if (!skips) this.everyStepHooks++;
        if (invariant.afterStepOn === "every-delivery") {
          this.deliveryInvariants.push(invariant);
          this.deliveryHooks.push(invariant.afterStep);
        }
      }
      if (invariant.check) {
        this.checkInvariants.push(invariant);
        this.checkHooks.push(invariant.check);
      }
      if (invariant.atEnd) this.atEndInvariants.push(invariant);
    }
  }

  /** Whether any invariant has a `check` hook (the loop skips {@link check} otherwise). */
  get hasChecks(): boolean {
    return this.checkHooks.length > 0;
  }

  /**
   * The `afterStep` hooks for a step of node `member` (up: a step whose node crashed inside it is
   * not checked). A step that only sends skips the hooks that asked for persisting or outputting
   * steps only. Nothing runs once a violation is recorded. `delivered`: the message the step answers
   * (undefined for a tick or a request), `from` its sender.
   */
  afterStep(member: number, id: NodeId, node: N, step: Step<M, O, P>, sendOnly: boolean, delivered?: M, from?: NodeId): void {
    const hooks = this.afterStepHooks;
    if ((sendOnly ? this.everyStepHooks : hooks.length) === 0 || this.state.violation !== undefined) return;
    const invariants = this.afterStepInvariants;
    const view = this.view;
    const skips = this.afterStepSkipsSendOnly;
    let k = 0;
    try {
      for (; k < hooks.length; k++) {
        if (sendOnly && skips[k] === true) continue;
        const problem = (hooks[k] as (typeof hooks)[number]).call(invariants[k], id, step, view, node, member, delivered, from);
        if (problem !== undefined) return this.state.failWith(invariants[k] as Invariant<N, M, O, P, Op, Res>, problem, id);
      }
    } catch (error) {
      this.state.fail((invariants[k] as Invariant<N, M, O, P, Op, Res>).name, `invariant threw: ${describeError(error)}`, id);
    }
  }

  /** Whether any invariant asked to see deliveries answered by an empty step. */
  get hasDeliveryHooks(): boolean {
    return this.deliveryInvariants.length > 0;
  }

  /** The `afterStep` hooks of `"every-delivery"` invariants for a delivery node `member` answered with the empty `step`. */
  afterEmptyDelivery(member: number, id: NodeId, node: N, step: Step<M, O, P>, delivered: M, from: NodeId | undefined): void {
    if (this.state.violation !== undefined) return;
    const invariants = this.deliveryInvariants;
    const hooks = this.deliveryHooks;
    const view = this.view;
    let k = 0;
    try {
      for (; k < hooks.length; k++) {
        const problem = (hooks[k] as (typeof hooks)[number]).call(invariants[k], id, step, view, node, member, delivered, from);
        if (problem !== undefined) return this.state.failWith(invariants[k] as Invariant<N, M, O, P, Op, Res>, problem, id);
      }
    } catch (error) {
      this.state.fail((invariants[k] as Invariant<N, M, O, P, Op, Res>).name, `invariant threw: ${describeError(error)}`, id);
    }
  }

  /** The `check` hooks after an event that changed node `member` (`node`: undefined when it is down). */
  check(member: number, changed: NodeId | undefined, node: N | undefined): void {
    const hooks = this.checkHooks;
    const invariants = this.checkInvariants;
    const view = this.view;
    let k = 0;
    try {
      for (; k < hooks.length; k++) {
        const problem = (hooks[k] as (typeof hooks)[number]).call(invariants[k], view, changed, node, member);
        if (problem !== undefined) return this.state.failWith(invariants[k] as Invariant<N, M, O, P, Op, Res>, problem, changed);
      }
    } catch (error) {
      this.state.fail((invariants[k] as Invariant<N, M, O, P, Op, Res>).name, `invariant threw: ${describeError(error)}`, changed);
    }
  }

  /** The `atEnd` hooks, in order, up to the first problem. */
  atEnd(): void {
    for (const invariant of this.atEndInvariants) {
      let problem: InvariantResult;
      try {
        problem = invariant.atEnd?.(this.view);
      } catch (error) {
        problem = `invariant threw: ${describeError(error)}`;
      }
      if (problem !== undefined) return this.state.failWith(invariant, problem);
    }
  }
}

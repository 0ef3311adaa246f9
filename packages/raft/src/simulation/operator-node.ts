import type { NodeId, Rng, Step } from "@synod/core";
import type { RaftInput, RaftOutput } from "../io.js";
import type { RaftMessage } from "../messages.js";
import { RaftNode, type RaftNodeOptions } from "../raft-node.js";
import type { RaftRecord } from "../records.js";

/** How often the simulated operator acts, per leader tick. */
export interface OperatorRates {
  /** Probability that a leader's tick is spent proposing a membership change instead. */
  readonly changeMembership: number;
  /** Probability that a leader's tick is spent starting a leadership transfer instead. */
  readonly transferLeadership: number;
}

/** The tag of the operator's requests: never a client's invocation id (those count from 0). */
export const OPERATOR_TAG = -1;

/**
 * A Raft node with a simulated operator at its side, for chaos runs that change membership (the
 * simulator's clients only read and write): now and then a leader's tick is replaced by a request
 * to move to a random configuration — any subset of the initial members as voters (even sizes
 * included), some of the others as learners — by joint consensus, or to transfer leadership to a
 * random voter. The operator draws from its own fork of the node's generator, so the node's own
 * draws do not change. A skipped tick is as if the node's clock were a tick slow. With
 * `disableConfChangeValidation` the leader accepts changes that overlap (the operator does not wait
 * for one to finish), and the operator sometimes asks for two at once.
 */
export class OperatorRaftNode<R> extends RaftNode<R> {
  private readonly operatorRng: Rng;
  private readonly initialMembers: readonly NodeId[];

  /**
   * @param options - as for {@link RaftNode}
   * @param rates - how often the operator acts
   */
  constructor(
    options: RaftNodeOptions<R>,
    private readonly rates: OperatorRates,
  ) {
    super(options);
    this.operatorRng = options.ctx.rng.fork("operator");
    this.initialMembers = [...options.ctx.members];
  }

  override tick(): Step<RaftMessage, RaftOutput<R>, RaftRecord> {
    if (this.role !== "leader" || this.halted !== undefined) return super.tick();
    const roll = this.operatorRng.float();
    if (roll < this.rates.changeMembership) {
      const first = this.request(this.drawChange());
      // Without the proposal-time check (`disableConfChangeValidation`) half the changes are followed
      // at once by a second one, in the same step: both in the log before the first is applied, the
      // second meeting the joint configuration when it is applied (where it must be ignored).
      if (!this.config.disableConfChangeValidation || !this.operatorRng.bool(0.5)) return first;
      return concatSteps(first, this.request(this.drawChange()));
    }
    if (roll < this.rates.changeMembership + this.rates.transferLeadership) {
      const voters = this.confState.voters.filter((id) => id !== this.id);
      if (voters.length > 0) return this.request({ type: "transfer-leadership", to: this.operatorRng.pick(voters), tag: OPERATOR_TAG });
    }
    return super.tick();
  }

  /** @returns a move to a random configuration: any subset of the initial members as voters (at least one), some of the others as learners */
  private drawChange(): RaftInput {
    const rng = this.operatorRng;
    const voters = this.initialMembers.filter(() => rng.bool(0.6));
    if (voters.length === 0) voters.push(rng.pick(this.initialMembers));
    const learners = this.initialMembers.filter((id) => !voters.includes(id) && rng.bool(0.5));
    return { type: "change-membership", voters, learners, tag: OPERATOR_TAG };
  }
}

/**
 * @returns one step doing what `a` then `b` ask: every record persisted before any message is sent
 *   (a checkpoint in `b` replaces everything before it, one in `a` stays the base of `b`'s records)
 */
function concatSteps<M, O, P>(a: Step<M, O, P>, b: Step<M, O, P>): Step<M, O, P> {
  const persist = b.compact === true ? b.persist : [...a.persist, ...b.persist];
  const compact = a.compact === true || b.compact === true;
  return { persist, ...(compact ? { compact } : {}), send: [...a.send, ...b.send], output: [...a.output, ...b.output] };
}

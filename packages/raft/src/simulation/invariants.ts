import type { ClusterView, Invariant, NamedViolation, NodeId, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import { DurabilityCheck } from "./durability.js";
import { NodeSlots } from "./node-slots.js";
import {
  CommittedEntriesDurableCheck,
  CommittedLog,
  ElectionSafetyCheck,
  LeaderCompletenessCheck,
  leaderAppendOnlyAfterStep,
  leaderAppendOnlyCheck,
  LogMatchingCheck,
  voterStateCheck,
  type VoterStateProperty,
  stateMachineSafetyAfterStep,
} from "./property-checks.js";

export { CommittedLog, sameEntry, type CommittedEntry } from "./property-checks.js";

/** The invariant type of the Raft simulation target. */
export type RaftInvariant = Invariant<RaftNode<KvReply>, RaftMessage, RaftOutput<KvReply>, RaftRecord, KvOp, KvResult>;
type View = ClusterView<RaftNode<KvReply>, KvOp, KvResult>;
type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

// Each hook takes the node it concerns as `given` when the driver passes it (the simulator does:
// `view.nodes.get(id)`, undefined for a node that is down) and looks it up otherwise.

/**
 * ElectionSafety: at most one leader per term. Remembers every (term → leader) ever observed, so it
 * holds across crashes too.
 */
export function electionSafety(): RaftInvariant {
  const slots = new NodeSlots();
  const election = new ElectionSafetyCheck();
  return {
    name: "ElectionSafety",
    check: (view, changed, given) => (changed === undefined ? undefined : election.check(slots.get(changed), changed, given ?? view.nodes.get(changed))),
  };
}

/**
 * LeaderAppendOnly: a leader never overwrites or deletes entries of its own log during its term.
 * Checked on every step of a node that was leader before it: the entry records it persists may only
 * start after its previous last index, its log never shrinks and its previous last entry stays.
 */
export function leaderAppendOnly(): RaftInvariant {
  const slots = new NodeSlots();
  return {
    name: "LeaderAppendOnly",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep: (id, step: RaftStep, view: View, given) => leaderAppendOnlyAfterStep(slots.get(id), id, step, given ?? view.nodes.get(id)),
    check: (view, changed, given) => (changed === undefined ? undefined : leaderAppendOnlyCheck(slots.get(changed), changed, given ?? view.nodes.get(changed))),
  };
}

/**
 * LogMatching: two logs holding an entry with the same index and term hold the same entry and are
 * identical before it. Checked incrementally: every entry a node writes is recorded by (index,
 * term) together with its payload and the term of its predecessor in that node's log; by
 * induction on the index, equal predecessors everywhere give identical prefixes.
 */
export function logMatching(): RaftInvariant {
  const matching = new LogMatchingCheck();
  return {
    name: "LogMatching",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep: (id, step: RaftStep, view: View, given) => matching.afterStep(id, step, given ?? view.nodes.get(id)),
  };
}

/**
 * StateMachineSafety: no two nodes apply different entries at the same index (committed entries
 * never differ), across restarts. Also records each committed entry with its commit term.
 */
export function stateMachineSafety(committed: CommittedLog): RaftInvariant {
  return {
    name: "StateMachineSafety",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep: (id, step: RaftStep, view: View, given) => stateMachineSafetyAfterStep(committed, id, step, given ?? view.nodes.get(id)),
  };
}

/**
 * LeaderCompleteness: an entry committed in term t is in the log of every leader of a term ≥ t.
 * Checked when a node is first seen leading a term (against every commitment so far) and when an
 * entry is first committed (against every current leader).
 */
export function leaderCompleteness(committed: CommittedLog): RaftInvariant {
  const slots = new NodeSlots();
  const completeness = new LeaderCompletenessCheck(committed);
  return {
    name: "LeaderCompleteness",
    afterStepOn: "persist-or-output", // reads only the step's records or outputs
    afterStep: (_id, step: RaftStep, view: View) => completeness.afterStep(step, view),
    check: (view, changed, given) => (changed === undefined ? undefined : completeness.check(slots.get(changed), changed, given ?? view.nodes.get(changed))),
  };
}

/**
 * CommittedEntriesDurable: every committed entry is in the durable logs of a quorum (of the
 * configuration it was committed under), whatever crashed. Each node's durable log is shadowed
 * from the records its steps asked to persist, and rebuilt from what it recovered at restart.
 * Checked when the committing leader applies an entry (under the configuration it had after its
 * previous event) and whenever a durable log loses entries. A node that halted on corrupted
 * storage is outside the spec's fault model and counts as holding its log. A step that only sends
 * neither writes the durable log nor commits, so it is skipped.
 */
export function committedEntriesDurable(): RaftInvariant {
  const slots = new NodeSlots();
  const durable = new CommittedEntriesDurableCheck();
  return {
    name: "CommittedEntriesDurable",
    afterStepOn: "persist-or-output",
    afterStep: (id, step: RaftStep, view: View, given) => durable.afterStep(slots.get(id), id, step, view, given ?? view.nodes.get(id)),
    check: (view, changed, given) => (changed === undefined ? undefined : durable.check(slots.get(changed), given ?? view.nodes.get(changed), view)),
  };
}

function voterStateInvariant(property: VoterStateProperty): RaftInvariant {
  const slots = new NodeSlots();
  return {
    name: property,
    check: (view, changed, given) => {
      if (changed === undefined) return undefined;
      const found = voterStateCheck(slots.get(changed), changed, given ?? view.nodes.get(changed));
      return found?.property === property ? found.problem : undefined;
    },
  };
}

/** TermsMonotonic (Raft.tla): within one node lifetime its term never decreases (see {@link voterStateCheck} for restarts). */
export function termsMonotonic(): RaftInvariant {
  return voterStateInvariant("TermsMonotonic");
}

/** VoteOncePerTerm (Raft.tla): within a term, a vote once cast never changes (see {@link voterStateCheck} for restarts). */
export function voteOncePerTerm(): RaftInvariant {
  return voterStateInvariant("VoteOncePerTerm");
}

/**
 * PreVoteSafety (the part observable from node state): a pre-campaign never changes a node's term.
 * The spec's clause "a term rises only on a real message of that term" needs the delivered message
 * and is left to TLC.
 */
export function preVoteSafety(): RaftInvariant {
  return voterStateInvariant("PreVoteSafety");
}

/**
 * The invariants {@link createRaftInvariants} checks, named as in specs/raft/Raft.tla: the five
 * core ones, CommittedEntriesDurable, TermsMonotonic, VoteOncePerTerm and (its state-observable part)
 * PreVoteSafety. A violation
 * found by several is reported under the first in this order.
 */
export const RAFT_INVARIANT_NAMES = [
  "ElectionSafety",
  "LeaderAppendOnly",
  "LogMatching",
  "StateMachineSafety",
  "LeaderCompleteness",
  "CommittedEntriesDurable",
  "TermsMonotonic",
  "VoteOncePerTerm",
  "PreVoteSafety",
] as const;

/** One of {@link RAFT_INVARIANT_NAMES}. */
export type RaftInvariantName = (typeof RAFT_INVARIANT_NAMES)[number];

/**
 * The durability invariants {@link createRaftInvariants} also checks (see {@link DurabilityCheck};
 * not yet stated in specs/raft/Raft.tla, whose `Restart` keeps every persistent variable).
 */
export const RAFT_DURABILITY_INVARIANT_NAMES = ["HardStateDurable", "MessagesDurable"] as const;

function violation(invariant: RaftInvariantName | (typeof RAFT_DURABILITY_INVARIANT_NAMES)[number], message: string): NamedViolation {
  return { invariant, message };
}

/**
 * @returns a fresh checker of every invariant of {@link RAFT_INVARIANT_NAMES}, in one pass per
 * event: it reads the node and its bookkeeping once, where the nine separate invariants (the
 * factories above, which check exactly the same) would each be called and look them up (about 3 %
 * of a chaos seed's CPU, in-process A/B). Violations are reported under each property's own name.
 */
export function createRaftInvariants(): RaftInvariant[] {
  const slots = new NodeSlots();
  const committed = new CommittedLog();
  const election = new ElectionSafetyCheck();
  const matching = new LogMatchingCheck();
  const completeness = new LeaderCompletenessCheck(committed);
  const durable = new CommittedEntriesDurableCheck();
  const durability = new DurabilityCheck();
  let problem: string | undefined;
  return [
    {
      name: "RaftSafety",
      covers: RAFT_INVARIANT_NAMES,
      // Every part reads only the step's records or outputs (and the node's state).
      afterStepOn: "persist-or-output",
      afterStep(id, step: RaftStep, view: View, given, member) {
        const node = given ?? view.nodes.get(id);
        const slot = slots.get(id, member);
        if ((problem = leaderAppendOnlyAfterStep(slot, id, step, node)) !== undefined) return violation("LeaderAppendOnly", problem);
        if ((problem = matching.afterStep(id, step, node)) !== undefined) return violation("LogMatching", problem);
        if ((problem = stateMachineSafetyAfterStep(committed, id, step, node)) !== undefined) return violation("StateMachineSafety", problem);
        if ((problem = completeness.afterStep(step, view)) !== undefined) return violation("LeaderCompleteness", problem);
        if ((problem = durable.afterStep(slot, id, step, view, node)) !== undefined) return violation("CommittedEntriesDurable", problem);
        return undefined;
      },
      check(view, changed, given, member) {
        if (changed === undefined) return undefined;
        const node = given ?? view.nodes.get(changed);
        const slot = slots.get(changed, member);
        if ((problem = election.check(slot, changed, node)) !== undefined) return violation("ElectionSafety", problem);
        if ((problem = leaderAppendOnlyCheck(slot, changed, node)) !== undefined) return violation("LeaderAppendOnly", problem);
        if ((problem = completeness.check(slot, changed, node)) !== undefined) return violation("LeaderCompleteness", problem);
        if ((problem = durable.check(slot, node, view)) !== undefined) return violation("CommittedEntriesDurable", problem);
        const voter = voterStateCheck(slot, changed, node);
        return voter === undefined ? undefined : violation(voter.property, voter.problem);
      },
    },
    {
      // After RaftSafety: it reads the durable log CommittedEntriesDurable shadows. Every step, as a
      // message can leave without a record (that is the bug it looks for).
      name: "RaftDurability",
      covers: RAFT_DURABILITY_INVARIANT_NAMES,
      afterStep(id, step: RaftStep, view: View, given, member) {
        if ((problem = durability.afterStep(slots.get(id, member), id, step, given ?? view.nodes.get(id))) !== undefined) return violation("MessagesDurable", problem);
        return undefined;
      },
      check(view, changed, given, member) {
        if (changed === undefined) return undefined;
        if ((problem = durability.check(slots.get(changed, member), given ?? view.nodes.get(changed))) !== undefined) return violation("HardStateDurable", problem);
        return undefined;
      },
    },
  ];
}

import type { ClusterView, Invariant, NamedViolation, NodeId, Step } from "@synod/core";
import type { RaftOutput } from "../io.js";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import { ackVerifiedAfterStep, commitVerifiedAfterStep } from "./append-verified.js";
import { configTransitionsAfterStep } from "./config-transitions.js";
import { DurabilityCheck } from "./durability.js";
import { readAfterApplyAfterStep, recordApplied } from "./read-after-apply.js";
import { LeaderLeaseCheck } from "./leader-lease-check.js";
import { leaseAfterStep, leaseCheck, preVoteQuorumAfterStep } from "./lease-checks.js";
import { NodeSlots } from "./node-slots.js";
import {
  ackMatchesLeaderAfterStep,
  inflightAboveMatchCheck,
  CommittedEntriesDurableCheck,
  commitIndexMonotonicCheck,
  CommittedLog,
  ElectionSafetyCheck,
  LeaderCompletenessCheck,
  leaderAppendOnlyAfterStep,
  leaderAppendOnlyCheck,
  LogMatchingCheck,
  voterStateCheck,
  preVoteTermAfterStep,
  stateMachineSafetyAfterStep,
} from "./property-checks.js";
import { WellFormedCheck } from "./well-formed-check.js";

export { CommittedLog, sameEntry, type CommittedEntry } from "./property-checks.js";
export { leaderLeaseCounts, type LeaderLeaseCounts } from "./leader-lease-check.js";

/** The invariant type of the Raft simulation target. */
export type RaftInvariant = Invariant<RaftNode<KvReply>, RaftMessage, RaftOutput<KvReply>, RaftRecord, KvOp, KvResult>;
type View = ClusterView<RaftNode<KvReply>, KvOp, KvResult>;
type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

// The per-property invariants below are views of the one wiring, createRaftInvariants: each is
// that checker reporting only its property. Every part of it still runs, so the bookkeeping the
// parts share (the committed log, the per-node slots, the shadowed durable logs) is as complete as
// in a simulation, and a property is checked alone exactly as it is checked there.

/**
 * @returns the fused checker of {@link createRaftInvariants} reporting only `property`, under its name
 */
function viewOf(property: RaftInvariantName): RaftInvariant {
  const safety = createRaftInvariants([property])[0] as RaftInvariant;
  return { ...safety, name: property, covers: [property] };
}

/**
 * ElectionSafety: at most one leader per term. Remembers every (term → leader) ever observed, so it
 * holds across crashes too.
 */
export function electionSafety(): RaftInvariant {
  return viewOf("ElectionSafety");
}

/**
 * LeaderAppendOnly: a leader never overwrites or deletes entries of its own log during its term.
 * Checked on every step of a node that was leader before it: the entry records it persists may only
 * start after its previous last index, its log never shrinks and its previous last entry stays.
 */
export function leaderAppendOnly(): RaftInvariant {
  return viewOf("LeaderAppendOnly");
}

/**
 * LogMatching: two logs holding an entry with the same index and term hold the same entry and are
 * identical before it. Checked incrementally: every entry a node writes is recorded by (index,
 * term) together with its payload and the term of its predecessor in that node's log; by
 * induction on the index, equal predecessors everywhere give identical prefixes.
 */
export function logMatching(): RaftInvariant {
  return viewOf("LogMatching");
}

/**
 * StateMachineSafety: no two nodes apply different entries at the same index (committed entries
 * never differ), across restarts. Also records each committed entry with its commit term (in the
 * checker's own committed log).
 */
export function stateMachineSafety(): RaftInvariant {
  return viewOf("StateMachineSafety");
}

/**
 * LeaderCompleteness: an entry committed in term t is in the log of every leader of a term ≥ t.
 * Checked when a node is first seen leading a term (against every commitment so far) and when an
 * entry is first committed (against every current leader).
 */
export function leaderCompleteness(): RaftInvariant {
  return viewOf("LeaderCompleteness");
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
  return viewOf("CommittedEntriesDurable");
}

/**
 * TermsMonotonic (Raft.tla): within one node lifetime its term never decreases (see {@link voterStateCheck} for restarts).
 * A node found breaking several voter-state properties in one event is reported under the first of
 * TermsMonotonic, VoteOncePerTerm, PreVoteSafety; a view of another one then reports nothing.
 */
export function termsMonotonic(): RaftInvariant {
  return viewOf("TermsMonotonic");
}

/** VoteOncePerTerm (Raft.tla): within a term, a vote once cast never changes (see {@link termsMonotonic}). */
export function voteOncePerTerm(): RaftInvariant {
  return viewOf("VoteOncePerTerm");
}

/**
 * PreVoteSafety: a pre-campaign never changes a node's term, and (with the message the simulator
 * delivered, see {@link preVoteTermAfterStep}) a term rises only on a real message of that term or by
 * one to campaign — never on a pre-vote request or a granted pre-vote.
 */
export function preVoteSafety(): RaftInvariant {
  return viewOf("PreVoteSafety");
}

/**
 * CommitIndexMonotonic: within one lifetime a node's commit index never falls (Raft.tla lowers
 * `commitIndex` only in `Restart`; see {@link commitIndexMonotonicCheck}). A restarted node starts afresh.
 */
export function commitIndexMonotonic(): RaftInvariant {
  return viewOf("CommitIndexMonotonic");
}

/**
 * The invariants {@link createRaftInvariants} checks, named as in specs/raft/Raft.tla: the five
 * core ones, CommittedEntriesDurable, TermsMonotonic, VoteOncePerTerm and (its state-observable part)
 * PreVoteSafety; and CommitIndexMonotonic, which the spec's actions respect (only `Restart` lowers
 * `commitIndex`) but which is not yet a property TLC checks. A violation
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
  "CommitIndexMonotonic",
] as const;

/** One of {@link RAFT_INVARIANT_NAMES}. */
export type RaftInvariantName = (typeof RAFT_INVARIANT_NAMES)[number];

/**
 * The durability invariants {@link createRaftInvariants} also checks (see {@link DurabilityCheck};
 * not yet stated in specs/raft/Raft.tla, whose `Restart` keeps every persistent variable).
 */
export const RAFT_DURABILITY_INVARIANT_NAMES = ["HardStateDurable", "MessagesDurable"] as const;

/**
 * The properties of append acknowledgements that {@link createRaftInvariants} checks: what a node's
 * answers claim, on every step (AckMatchesLeader, see {@link ackMatchesLeaderAfterStep}; Raft.tla's
 * answers carry it by construction), and what a leader does with them, after every event of a leader
 * (InflightAboveMatch, see {@link inflightAboveMatchCheck}: Raft.tla has no flow control); and what a
 * follower may claim and commit on the append it answers (AckVerified, CommitVerified: Figure 2's
 * receiver rules, see append-verified.ts; Raft.tla's `HandleAppendEntriesRequest` follows them by
 * construction). None is a TLC property.
 */
export const RAFT_ACK_INVARIANT_NAMES = ["AckMatchesLeader", "InflightAboveMatch", "AckVerified", "CommitVerified"] as const;

/**
 * CheckQuorum's promises that {@link createRaftInvariants} checks with `checkQuorum` on (see
 * lease-checks.ts; not TLC properties: Raft.tla has no clocks): VoteLease, a follower that heard
 * from its leader within the election timeout grants no (pre-)vote for a higher term but to a
 * transfer; CheckQuorumStepsDown, a leader that heard from no quorum for two check periods no
 * longer leads; LeaderLease (leader-lease-check.ts, with lease reads), a leader serving a read from
 * its lease at real time t while a node had become leader of a higher term at a real time ≤ t —
 * judged only when the measured clocks kept within the drift the lease's margin covers; and
 * LeaseVotersBound, the rule it stands on: at such a read the leader and the members still bound to
 * it by their vote lease make a quorum.
 */
export const RAFT_LEASE_INVARIANT_NAMES = ["VoteLease", "CheckQuorumStepsDown", "LeaderLease", "LeaseVotersBound"] as const;

/**
 * The election property {@link createRaftInvariants} checks on what a node heard (lease-checks.ts,
 * in the same checker as the lease properties; Raft.tla's `BecomeCandidate` after a pre-campaign
 * requires it by construction): PreVoteQuorum, a pre-candidate campaigns only with granted pre-votes
 * for that term from a quorum of its configuration, itself counted.
 */
export const RAFT_ELECTION_INVARIANT_NAMES = ["PreVoteQuorum"] as const;

/**
 * The read property {@link createRaftInvariants} checks (read-after-apply.ts, in the same checker as
 * the lease properties; not a TLC property: Raft.tla has no reads): ReadAfterApply, a read is
 * answered only once the state machine applied its read index.
 */
export const RAFT_READ_INVARIANT_NAMES = ["ReadAfterApply"] as const;

/**
 * The wire property {@link createRaftInvariants} checks on every delivery (well-formed-check.ts; not a
 * TLC property: Raft.tla's messages are never malformed): CorrectPeersWellFormed, a correct node
 * judges no message of a correct peer malformed — no fault alters a message's bytes.
 */
export const RAFT_WIRE_INVARIANT_NAMES = ["CorrectPeersWellFormed"] as const;

/**
 * The membership property {@link createRaftInvariants} checks (config-transitions.ts, in RaftSafety;
 * not a TLC property: Raft.tla has no membership changes): ConfigTransitions, every node's applied
 * configurations move only by joint consensus, simple C → C(new, C) → new — never a joint
 * configuration from a joint one, never out of a joint one but to its incoming half.
 */
export const RAFT_MEMBERSHIP_INVARIANT_NAMES = ["ConfigTransitions"] as const;

/**
 * A property {@link createRaftInvariants} can report: one of {@link RAFT_INVARIANT_NAMES},
 * {@link RAFT_DURABILITY_INVARIANT_NAMES}, {@link RAFT_ACK_INVARIANT_NAMES} or {@link RAFT_LEASE_INVARIANT_NAMES}.
 */
export type RaftPropertyName =
  | RaftInvariantName
  | (typeof RAFT_DURABILITY_INVARIANT_NAMES)[number]
  | (typeof RAFT_ACK_INVARIANT_NAMES)[number]
  | (typeof RAFT_LEASE_INVARIANT_NAMES)[number]
  | (typeof RAFT_ELECTION_INVARIANT_NAMES)[number]
  | (typeof RAFT_READ_INVARIANT_NAMES)[number]
  | (typeof RAFT_WIRE_INVARIANT_NAMES)[number]
  | (typeof RAFT_MEMBERSHIP_INVARIANT_NAMES)[number];

const EVERY_PROPERTY: readonly RaftPropertyName[] = [...RAFT_INVARIANT_NAMES, ...RAFT_DURABILITY_INVARIANT_NAMES, ...RAFT_ACK_INVARIANT_NAMES, ...RAFT_LEASE_INVARIANT_NAMES, ...RAFT_ELECTION_INVARIANT_NAMES, ...RAFT_READ_INVARIANT_NAMES, ...RAFT_WIRE_INVARIANT_NAMES, ...RAFT_MEMBERSHIP_INVARIANT_NAMES];

/**
 * AckMatchesLeader: a successful append answer up to index k, sent to the leader of its term,
 * acknowledges only what matches the leader's log (see {@link ackMatchesLeaderAfterStep}).
 */
export function ackMatchesLeader(): RaftInvariant {
  return { ...(createRaftInvariants(["AckMatchesLeader"])[2] as RaftInvariant), name: "AckMatchesLeader", covers: ["AckMatchesLeader"] };
}

/** InflightAboveMatch (see {@link RAFT_ACK_INVARIANT_NAMES}), checked alone. */
export function inflightAboveMatch(): RaftInvariant {
  return { ...(createRaftInvariants(["InflightAboveMatch"])[2] as RaftInvariant), name: "InflightAboveMatch", covers: ["InflightAboveMatch"] };
}

/** AckVerified (see {@link RAFT_ACK_INVARIANT_NAMES}), checked alone. */
export function ackVerified(): RaftInvariant {
  return { ...(createRaftInvariants(["AckVerified"])[2] as RaftInvariant), name: "AckVerified", covers: ["AckVerified"] };
}

/** CommitVerified (see {@link RAFT_ACK_INVARIANT_NAMES}), checked alone. */
export function commitVerified(): RaftInvariant {
  return { ...(createRaftInvariants(["CommitVerified"])[2] as RaftInvariant), name: "CommitVerified", covers: ["CommitVerified"] };
}

/** VoteLease (see {@link RAFT_LEASE_INVARIANT_NAMES}), checked alone. */
export function voteLease(): RaftInvariant {
  return { ...(createRaftInvariants(["VoteLease"])[3] as RaftInvariant), name: "VoteLease", covers: ["VoteLease"] };
}

/** CheckQuorumStepsDown (see {@link RAFT_LEASE_INVARIANT_NAMES}), checked alone. */
export function checkQuorumStepsDown(): RaftInvariant {
  return { ...(createRaftInvariants(["CheckQuorumStepsDown"])[3] as RaftInvariant), name: "CheckQuorumStepsDown", covers: ["CheckQuorumStepsDown"] };
}

/** PreVoteQuorum (see {@link RAFT_ELECTION_INVARIANT_NAMES}), checked alone. */
export function preVoteQuorum(): RaftInvariant {
  return { ...(createRaftInvariants(["PreVoteQuorum"])[3] as RaftInvariant), name: "PreVoteQuorum", covers: ["PreVoteQuorum"] };
}

/** LeaseVotersBound (see {@link RAFT_LEASE_INVARIANT_NAMES}), checked alone. */
export function leaseVotersBound(): RaftInvariant {
  return { ...(createRaftInvariants(["LeaseVotersBound"])[3] as RaftInvariant), name: "LeaseVotersBound", covers: ["LeaseVotersBound"] };
}

/** LeaderLease (see {@link RAFT_LEASE_INVARIANT_NAMES}), checked alone. */
export function leaderLease(): RaftInvariant {
  return { ...(createRaftInvariants(["LeaderLease"])[3] as RaftInvariant), name: "LeaderLease", covers: ["LeaderLease"] };
}

/** ReadAfterApply (see {@link RAFT_READ_INVARIANT_NAMES}), checked alone. */
export function readAfterApply(): RaftInvariant {
  return { ...(createRaftInvariants(["ReadAfterApply"])[3] as RaftInvariant), name: "ReadAfterApply", covers: ["ReadAfterApply"] };
}

/** ConfigTransitions (see {@link RAFT_MEMBERSHIP_INVARIANT_NAMES}), checked alone: a view of RaftSafety, whose bookkeeping it reads. */
export function configTransitions(): RaftInvariant {
  return { ...(createRaftInvariants(["ConfigTransitions"])[0] as RaftInvariant), name: "ConfigTransitions", covers: ["ConfigTransitions"] };
}

/** CorrectPeersWellFormed (see {@link RAFT_WIRE_INVARIANT_NAMES}), checked alone. */
export function correctPeersWellFormed(): RaftInvariant {
  return { ...(createRaftInvariants(["CorrectPeersWellFormed"])[4] as RaftInvariant), name: "CorrectPeersWellFormed", covers: ["CorrectPeersWellFormed"] };
}

function violation(invariant: RaftPropertyName, message: string): NamedViolation {
  return { invariant, message };
}

/**
 * The one wiring of the Raft invariants: every property of {@link RAFT_INVARIANT_NAMES} (and the
 * durability ones) in one pass per event. It reads the node and its bookkeeping once, where nine
 * separate invariants would each be called and look them up (about 3 % of a chaos seed's CPU,
 * in-process A/B). Violations are reported under each property's own name, the first found in the
 * order of the parts below (which is {@link RAFT_INVARIANT_NAMES}' order of priority).
 * @param reported - the properties whose violations it reports (default: all of them). Every part
 *   runs whatever is reported: a violation of a property not reported is passed over and the next
 *   part runs, so the bookkeeping the parts share stays complete. The per-property invariants
 *   ({@link electionSafety} …) are this checker reporting one property.
 * @returns fresh checkers: `RaftSafety` (the spec's properties), `RaftDurability`, `AckMatchesLeader`, `RaftLeases`, then `RaftWire`
 */
export function createRaftInvariants(reported: Iterable<RaftPropertyName> = EVERY_PROPERTY): RaftInvariant[] {
  const reports = new Set<RaftPropertyName>(reported);
  const slots = new NodeSlots();
  return [raftSafety(slots, reports), raftDurability(slots, reports), raftAcknowledgements(slots, reports), raftLeases(slots, reports), raftWire(slots, reports)];
}

/**
 * The part of {@link createRaftInvariants} checking what crosses the wire between correct nodes
 * (CorrectPeersWellFormed): every delivery, as a message dropped as malformed is answered by an
 * empty step.
 */
function raftWire(slots: NodeSlots, reports: ReadonlySet<RaftPropertyName>): RaftInvariant {
  const wellFormed = new WellFormedCheck();
  let problem: string | undefined;
  return {
    name: "RaftWire",
    covers: RAFT_WIRE_INVARIANT_NAMES,
    afterStepOn: "every-delivery",
    afterStep(id, _step: RaftStep, view: View, given, member, delivered, from) {
      const node = given ?? view.nodes.get(id);
      if ((problem = wellFormed.afterStep(slots.get(id, member), id, node, view, delivered, from)) !== undefined && reports.has("CorrectPeersWellFormed")) {
        return violation("CorrectPeersWellFormed", problem);
      }
      return undefined;
    },
  };
}

/**
 * The part of {@link createRaftInvariants} checking CheckQuorum's promises (lease-checks.ts). Every
 * step and every delivery: a pre-vote granted is a step that only sends, a heartbeat answer heard
 * by a leader often a step that does nothing.
 */
function raftLeases(slots: NodeSlots, reports: ReadonlySet<RaftPropertyName>): RaftInvariant {
  let problem: string | undefined;
  const leaderLease = new LeaderLeaseCheck();
  const leaseSlotOf = (id: NodeId) => slots.get(id).lease;
  // CheckQuorumStepsDown judges what a leader heard: only when the caller says who sent each
  // message delivered (the simulator does; a caller handing `delivered` without `from` never will).
  let senders: "unknown" | "given" | "missing" = "unknown";
  return {
    name: "RaftLeases",
    covers: [...RAFT_LEASE_INVARIANT_NAMES, ...RAFT_ELECTION_INVARIANT_NAMES, ...RAFT_READ_INVARIANT_NAMES],
    // A leader hears a heartbeat answer in a step that often does nothing at all.
    afterStepOn: "every-delivery",
    afterStep(id, step: RaftStep, view: View, given, member, delivered, from) {
      if (delivered !== undefined && senders !== "missing") senders = from === undefined ? "missing" : "given";
      const slot = slots.get(id, member).lease;
      const node = given ?? view.nodes.get(id);
      if ((problem = leaseAfterStep(slot, id, step, node, delivered, from)) !== undefined && reports.has("VoteLease")) {
        return violation("VoteLease", problem);
      }
      // PreVoteQuorum counts the grants heard: only when the caller names senders (as CheckQuorumStepsDown).
      if (senders === "given" && (problem = preVoteQuorumAfterStep(slot, id, node, delivered, from)) !== undefined && reports.has("PreVoteQuorum")) {
        return violation("PreVoteQuorum", problem);
      }
      if ((problem = readAfterApplyAfterStep(slots.get(id, member), id, step, node)) !== undefined && reports.has("ReadAfterApply")) {
        return violation("ReadAfterApply", problem);
      }
      return undefined;
    },
    check(view, changed, given, member) {
      if (changed === undefined) return undefined;
      const nodeSlot = slots.get(changed, member);
      const node = given ?? view.nodes.get(changed);
      recordApplied(nodeSlot, node);
      const lease = leaderLease.check((nodeSlot.clock ??= leaderLease.clockSlot(changed)), changed, node, view, leaseSlotOf);
      if ((problem = leaseCheck(nodeSlot.lease, changed, node, senders === "given")) !== undefined && reports.has("CheckQuorumStepsDown")) {
        return violation("CheckQuorumStepsDown", problem);
      }
      if (lease !== undefined && reports.has(lease.property)) return violation(lease.property, lease.problem);
      return undefined;
    },
  };
}

/**
 * The part of {@link createRaftInvariants} checking append acknowledgements: what answers claim
 * (every step: an answer to a duplicated append is a step that only sends), what a follower commits
 * on an append (against the commit index RaftSafety's CommitIndexMonotonic recorded after the node's
 * previous event, in the slots both share), and the leader's in-flight window after every event of a
 * leader (an acknowledgement that frees nothing may be an empty step).
 */
function raftAcknowledgements(slots: NodeSlots, reports: ReadonlySet<RaftPropertyName>): RaftInvariant {
  let problem: string | undefined;
  const answers = reports.has("AckMatchesLeader");
  const window = reports.has("InflightAboveMatch");
  const acks = reports.has("AckVerified");
  const commits = reports.has("CommitVerified");
  return {
    name: "RaftAcknowledgements",
    covers: RAFT_ACK_INVARIANT_NAMES.filter((name) => reports.has(name)),
    afterStep(id, step: RaftStep, view: View, given, member, delivered, from) {
      const node = given ?? view.nodes.get(id);
      if (answers && (problem = ackMatchesLeaderAfterStep(id, step, view, node)) !== undefined) {
        return violation("AckMatchesLeader", problem);
      }
      if (acks && (problem = ackVerifiedAfterStep(id, step, node, delivered, from)) !== undefined) return violation("AckVerified", problem);
      if (commits && (problem = commitVerifiedAfterStep(slots.get(id, member), id, node, delivered)) !== undefined) {
        return violation("CommitVerified", problem);
      }
      return undefined;
    },
    check(view, changed, given, member) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      // CommitVerified's "before": the commit index after this event, recorded as RaftSafety's check
      // does (already done when it runs too; a view of CommitVerified alone has only this checker).
      if (commits) commitIndexMonotonicCheck(slots.get(changed, member), changed, node);
      if (window && (problem = inflightAboveMatchCheck(changed, node)) !== undefined) return violation("InflightAboveMatch", problem);
      return undefined;
    },
  };
}

/**
 * The part of {@link createRaftInvariants} checking the spec's properties, in their order of
 * priority, then ConfigTransitions (which reads the configuration CommittedEntriesDurable records).
 */
function raftSafety(slots: NodeSlots, reports: ReadonlySet<RaftPropertyName>): RaftInvariant {
  const committed = new CommittedLog();
  const election = new ElectionSafetyCheck();
  const matching = new LogMatchingCheck();
  const completeness = new LeaderCompletenessCheck(committed);
  const durable = new CommittedEntriesDurableCheck();
  let problem: string | undefined;
  return {
    name: "RaftSafety",
    covers: [...RAFT_INVARIANT_NAMES, ...RAFT_MEMBERSHIP_INVARIANT_NAMES],
    // Every part reads only the step's records or outputs (and the node's state).
    afterStepOn: "persist-or-output",
    afterStep(id, step: RaftStep, view: View, given, member, delivered) {
      const node = given ?? view.nodes.get(id);
      const slot = slots.get(id, member);
      if ((problem = leaderAppendOnlyAfterStep(slot, id, step, node)) !== undefined && reports.has("LeaderAppendOnly")) {
        return violation("LeaderAppendOnly", problem);
      }
      if ((problem = matching.afterStep(id, step, node)) !== undefined && reports.has("LogMatching")) return violation("LogMatching", problem);
      if ((problem = stateMachineSafetyAfterStep(committed, id, step, node)) !== undefined && reports.has("StateMachineSafety")) {
        return violation("StateMachineSafety", problem);
      }
      if ((problem = completeness.afterStep(step, view)) !== undefined && reports.has("LeaderCompleteness")) {
        return violation("LeaderCompleteness", problem);
      }
      if ((problem = durable.afterStep(slot, id, step, view, node)) !== undefined && reports.has("CommittedEntriesDurable")) {
        return violation("CommittedEntriesDurable", problem);
      }
      if ((problem = preVoteTermAfterStep(slot, id, node, delivered)) !== undefined && reports.has("PreVoteSafety")) {
        return violation("PreVoteSafety", problem);
      }
      if ((problem = configTransitionsAfterStep(slot, id, step, node)) !== undefined && reports.has("ConfigTransitions")) {
        return violation("ConfigTransitions", problem);
      }
      return undefined;
    },
    check(view, changed, given, member) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      const slot = slots.get(changed, member);
      if ((problem = election.check(slot, changed, node)) !== undefined && reports.has("ElectionSafety")) {
        return violation("ElectionSafety", problem);
      }
      if ((problem = leaderAppendOnlyCheck(slot, changed, node)) !== undefined && reports.has("LeaderAppendOnly")) {
        return violation("LeaderAppendOnly", problem);
      }
      if ((problem = completeness.check(slot, changed, node)) !== undefined && reports.has("LeaderCompleteness")) {
        return violation("LeaderCompleteness", problem);
      }
      if ((problem = durable.check(slot, node, view)) !== undefined && reports.has("CommittedEntriesDurable")) {
        return violation("CommittedEntriesDurable", problem);
      }
      const voter = voterStateCheck(slot, changed, node);
      if (voter !== undefined && reports.has(voter.property)) return violation(voter.property, voter.problem);
      if ((problem = commitIndexMonotonicCheck(slot, changed, node)) !== undefined && reports.has("CommitIndexMonotonic")) {
        return violation("CommitIndexMonotonic", problem);
      }
      return undefined;
    },
  };
}

/**
 * The part of {@link createRaftInvariants} checking durability. After RaftSafety: it reads the
 * durable log CommittedEntriesDurable shadows (in the slots both share). Every step, as a message
 * can leave without a record (that is the bug it looks for).
 */
function raftDurability(slots: NodeSlots, reports: ReadonlySet<RaftPropertyName>): RaftInvariant {
  const durability = new DurabilityCheck();
  let problem: string | undefined;
  return {
    name: "RaftDurability",
    covers: RAFT_DURABILITY_INVARIANT_NAMES,
    afterStep(id, step: RaftStep, view: View, given, member) {
      if ((problem = durability.afterStep(slots.get(id, member), id, step, given ?? view.nodes.get(id))) !== undefined && reports.has("MessagesDurable")) {
        return violation("MessagesDurable", problem);
      }
      return undefined;
    },
    check(view, changed, given, member) {
      if (changed === undefined) return undefined;
      if ((problem = durability.check(slots.get(changed, member), given ?? view.nodes.get(changed))) !== undefined && reports.has("HardStateDurable")) {
        return violation("HardStateDurable", problem);
      }
      return undefined;
    },
  };
}

import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { joint } from "./joint.js";
import { majority } from "./majority.js";
import { checkMembers, checkObject, MAX_QUORUM_MEMBERS } from "./members.js";
import type { QuorumSystem } from "./quorum-system.js";

/** Builds the quorum system of one voter set (default {@link majority}). */
export type QuorumFactory = (voters: readonly NodeId[]) => QuorumSystem;

/** The membership of a cluster as a caller writes it. */
export interface ConfigurationSpec {
  /** Voters of the (incoming) configuration; non-empty. */
  readonly voters: readonly NodeId[];
  /** Members that receive the log but count for nothing in any quorum. */
  readonly learners?: readonly NodeId[];
  /** Voters of the configuration being left; non-empty means the configuration is joint. */
  readonly outgoingVoters?: readonly NodeId[];
  /**
   * Outgoing voters that become learners once the joint configuration is left (a demotion in
   * progress). They must be outgoing voters and not incoming voters. Only in a joint configuration.
   */
  readonly learnersNext?: readonly NodeId[];
}

/** A validated membership and the quorum system it implies. */
export interface Configuration {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  /** Empty unless joint. */
  readonly outgoingVoters: readonly NodeId[];
  /** Empty unless joint. */
  readonly learnersNext: readonly NodeId[];
  /** Whether outgoing voters must also agree. */
  readonly isJoint: boolean;
  /** Every member: voters, outgoing voters, learners and learnersNext, each once. */
  readonly members: readonly NodeId[];
  /** The system deciding for this configuration: joint(incoming, outgoing) when joint. */
  readonly quorum: QuorumSystem;
}

function overlapError(field: string, id: NodeId, other: string, hint: string): QuorumConfigError {
  return new QuorumConfigError(field, "learner-is-voter", `"${id}" is both a learner and ${other}; ${hint}`, { id });
}

/**
 * Validates a membership and builds its quorum system. Learners are never voters of the system.
 * @param spec - voters, learners, and for a joint configuration the outgoing voters
 * @param factory - builds each half's system (default {@link majority})
 * @returns the configuration
 * @throws {QuorumConfigError} `empty` (no voters), `duplicate`, `invalid-id`, `too-many`;
 *   `learner-is-voter` when a learner is also a voter (incoming or outgoing: use learnersNext for a
 *   voter being demoted), or when learnersNext is not a subset of outgoing-only voters; and whatever
 *   the factory throws
 * @example
 * const c = configuration({ voters: ["a", "b", "c"], learners: ["d"] });
 * c.quorum.isQuorum(new Set(["a", "d"])); // false: d is a learner
 */
export function configuration(spec: ConfigurationSpec, factory: QuorumFactory = majority): Configuration {
  const voters = checkMembers("voters", checkObject("spec", spec).voters);
  const learners = checkMembers("learners", spec.learners ?? [], true);
  const outgoingVoters = checkMembers("outgoingVoters", spec.outgoingVoters ?? [], true);
  const learnersNext = checkMembers("learnersNext", spec.learnersNext ?? [], true);
  const isJoint = outgoingVoters.length > 0;
  const incomingSet = new Set(voters);
  const outgoingSet = new Set(outgoingVoters);
  for (const id of learners) {
    if (incomingSet.has(id)) throw overlapError("learners", id, "a voter", "list it in one place only");
    if (outgoingSet.has(id)) throw overlapError("learners", id, "an outgoing voter", "list it in learnersNext instead");
  }
  const learnerSet = new Set(learners);
  for (const id of learnersNext) {
    if (!isJoint) throw overlapError("learnersNext", id, "listed outside a joint configuration", "learnersNext needs outgoingVoters");
    if (!outgoingSet.has(id) || incomingSet.has(id)) {
      throw overlapError("learnersNext", id, "not an outgoing-only voter", "learnersNext holds voters being demoted");
    }
    if (learnerSet.has(id)) throw overlapError("learnersNext", id, "already a learner", "list it once");
  }
  const members = [...new Set([...voters, ...outgoingVoters, ...learners, ...learnersNext])];
  if (members.length > MAX_QUORUM_MEMBERS) {
    throw new QuorumConfigError("members", "too-many", `at most ${MAX_QUORUM_MEMBERS} members, got ${members.length}`);
  }
  const incoming = buildHalf(factory, voters, "voters");
  const quorum = isJoint ? joint(incoming, buildHalf(factory, outgoingVoters, "outgoingVoters")) : incoming;
  return Object.freeze({ voters, learners, outgoingVoters, learnersNext, isJoint, members: Object.freeze(members), quorum });
}

function buildHalf(factory: QuorumFactory, voters: readonly NodeId[], field: string): QuorumSystem {
  const system = factory(voters);
  const wanted = new Set(voters);
  if (system.voters.length !== wanted.size || !system.voters.every((id) => wanted.has(id))) {
    throw new QuorumConfigError(field, "invalid-id", `the quorum factory built a system over other voters than ${field}`, {
      voters: [...voters],
      built: [...system.voters],
    });
  }
  return system;
}

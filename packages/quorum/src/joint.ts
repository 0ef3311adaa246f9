import type { NodeId } from "@synod/core";
import { QuorumConfigError } from "./errors.js";
import { checkSystem, MAX_QUORUM_MEMBERS } from "./members.js";
import type { QuorumSystem, VoteResult } from "./quorum-system.js";

/**
 * A joint configuration (Raft joint consensus, C_old,new): a set is a quorum only when it is a quorum
 * of both halves. Any two joint quorums intersect because their incoming halves do; and a joint quorum
 * meets every quorum of either half, which is what makes the switch from old to new safe.
 */
export interface JointQuorumSystem extends QuorumSystem {
  readonly kind: "joint";
  /** The configuration being moved to (C_new). */
  readonly incoming: QuorumSystem;
  /** The configuration being left (C_old). */
  readonly outgoing: QuorumSystem;
}

class JointQuorum implements JointQuorumSystem {
  readonly kind = "joint";
  readonly voters: readonly NodeId[];
  readonly incoming: QuorumSystem;
  readonly outgoing: QuorumSystem;

  constructor(incoming: QuorumSystem, outgoing: QuorumSystem, voters: readonly NodeId[]) {
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.voters = voters;
  }

  isQuorum(members: ReadonlySet<NodeId>): boolean {
    return this.incoming.isQuorum(members) && this.outgoing.isQuorum(members);
  }

  committedIndex(acked: (id: NodeId) => number | undefined): number {
    // Monotone in v on both sides, so the largest v committed by both is the smaller of the two.
    return Math.min(this.incoming.committedIndex(acked), this.outgoing.committedIndex(acked));
  }

  voteResult(votes: (id: NodeId) => boolean | undefined): VoteResult {
    const incoming = this.incoming.voteResult(votes);
    const outgoing = this.outgoing.voteResult(votes);
    if (incoming === "lost" || outgoing === "lost") return "lost";
    if (incoming === "won" && outgoing === "won") return "won";
    return "pending";
  }
}

/**
 * Joins two quorum systems: both must agree. A member of both halves votes in both.
 * @param incoming - the new configuration's system
 * @param outgoing - the old configuration's system
 * @returns the joint system; `voters` lists incoming's voters, then outgoing's others
 * @throws {QuorumConfigError} `too-many` when the union exceeds the member limit
 * @example
 * const q = joint(majority(["a", "b", "c"]), majority(["c", "d", "e"]));
 * q.isQuorum(new Set(["a", "b", "d"])); // false: no majority of c, d, e
 */
export function joint(incoming: QuorumSystem, outgoing: QuorumSystem): JointQuorumSystem {
  checkSystem("incoming", incoming);
  checkSystem("outgoing", outgoing);
  const voters = [...incoming.voters];
  const seen = new Set(voters);
  for (const id of outgoing.voters) {
    if (!seen.has(id)) {
      seen.add(id);
      voters.push(id);
    }
  }
  if (voters.length > MAX_QUORUM_MEMBERS) {
    throw new QuorumConfigError("voters", "too-many", `a joint configuration of ${voters.length} voters exceeds ${MAX_QUORUM_MEMBERS}`);
  }
  return new JointQuorum(incoming, outgoing, Object.freeze(voters));
}

/**
 * @param system - any quorum system
 * @returns whether it is a {@link JointQuorumSystem}
 */
export function isJoint(system: QuorumSystem): system is JointQuorumSystem {
  return system.kind === "joint" && "incoming" in system && "outgoing" in system;
}

import { joint, majority, type QuorumSystem } from "@synod/quorum";
import { isNodeId, s, type NodeId, type Schema } from "@synod/core";
import type { ConfChange } from "./entry.js";
import { MAX_MEMBERS } from "./limits.js";

/**
 * A cluster configuration. `outgoing` is non-empty exactly while the cluster is in a joint
 * configuration C(old, new): decisions then need a majority of `voters` AND of `outgoing`.
 * Learners receive the log but never vote and never count toward a quorum.
 */
export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly outgoing: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

const list = s.array(s.nodeId(), { maxLength: MAX_MEMBERS });
/** Schema of a {@link ConfState}. */
export const confStateSchema: Schema<ConfState> = s.object({ voters: list, outgoing: list, learners: list });

/** @returns whether the configuration is joint */
export function isJoint(conf: ConfState): boolean {
  return conf.outgoing.length > 0;
}

/** @returns every node the configuration mentions (voters, outgoing voters, learners), sorted, without duplicates */
export function confMembers(conf: ConfState): NodeId[] {
  return [...new Set([...conf.voters, ...conf.outgoing, ...conf.learners])].sort();
}

/** @returns whether `id` votes in this configuration (in either half of a joint one) */
export function isVoter(conf: ConfState, id: NodeId): boolean {
  return conf.voters.includes(id) || conf.outgoing.includes(id);
}

/** @returns the quorum system deciding elections and commits under `conf` */
export function quorumOf(conf: ConfState): QuorumSystem {
  const incoming = majority(conf.voters);
  return conf.outgoing.length === 0 ? incoming : joint(incoming, majority(conf.outgoing));
}

/**
 * Validate a configuration change against the configuration it would apply to. Called both when a
 * change is proposed and, again, when it is applied (the applied configuration is the one that
 * counts; a change valid at proposal time may no longer be, see etcd-io/raft#80).
 * @returns the configuration after the change, or a message saying why the change is invalid
 */
export function applyConfChange(conf: ConfState, change: ConfChange): { ok: true; conf: ConfState } | { ok: false; reason: string } {
  if (change.kind === "leave-joint") {
    if (!isJoint(conf)) return { ok: false, reason: "leave-joint while not in a joint configuration" };
    const learners = conf.learners.filter((l) => !conf.voters.includes(l));
    return { ok: true, conf: { voters: conf.voters, outgoing: [], learners } };
  }
  if (isJoint(conf)) return { ok: false, reason: "enter-joint while already in a joint configuration" };
  const invalid = invalidMembers(change);
  if (invalid !== undefined) return { ok: false, reason: invalid };
  return { ok: true, conf: { voters: [...change.voters].sort(), outgoing: [...conf.voters], learners: [...change.learners].sort() } };
}

/**
 * The part of {@link applyConfChange}'s validation of an `enter-joint` that does not depend on the
 * configuration it applies to: the new members themselves.
 * @returns why the new configuration is invalid, or undefined
 */
export function invalidMembers(change: Extract<ConfChange, { kind: "enter-joint" }>): string | undefined {
  if (change.voters.length === 0) return "the new configuration has no voters";
  const voters = new Set(change.voters);
  const learners = new Set(change.learners);
  if (voters.size !== change.voters.length || learners.size !== change.learners.length) return "duplicate member";
  for (const id of [...voters, ...learners]) if (!isNodeId(id)) return `invalid node id ${JSON.stringify(id)}`;
  for (const id of learners) if (voters.has(id)) return `${id} is both voter and learner`;
  if (voters.size + learners.size > MAX_MEMBERS) return `more than ${MAX_MEMBERS} members`;
  return undefined;
}

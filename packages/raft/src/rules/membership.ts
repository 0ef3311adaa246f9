import type { NodeId } from "@synod/core";
import { applyConfChange, confMembers, invalidMembers, isJoint, isVoter, quorumOf, type ConfState } from "../conf-state.js";
import type { ConfChange } from "../entry.js";
import type { RaftState } from "../raft-state.js";
import { becomeFollower } from "../roles.js";
import { maybeCommit } from "./commit.js";
import { appendEntries } from "./proposals.js";
import { refuse, refuseLeaving, refuseNotLeader } from "./refusals.js";
import { leaderIsLeaving } from "./leaving-leader.js";
import { addProgress, bcastAppend } from "./replication.js";
import { logHasRoom } from "../term-ceiling.js";

/**
 * Membership changes by joint consensus (thesis §4.3, as etcd does them): the leader appends an
 * `enter-joint` entry (old and new voters must both agree from then on), and once it is applied an
 * automatic `leave-joint`. One change at a time (unless `disableConfChangeValidation`: then changes
 * may overlap in the log, and the one applied while joint is ignored). A configuration takes effect
 * when applied, and is validated again then (etcd-io/raft#80). Learners receive the log but do not vote.
 */

/** Make `conf` the configuration in force, with its quorum system and the values derived from it. */
export function adoptConf<R>(r: RaftState<R>, conf: ConfState): void {
  if (conf !== r.conf) {
    r.conf = conf;
    r.quorum = quorumOf(conf);
  }
  r.confMemberIds = confMembers(conf);
  r.selfVoter = isVoter(conf, r.id);
  r.selfIsQuorum = r.quorum.isQuorum(new Set([r.id]));
}

/** Leader: propose moving to these voters and learners (refused while a change is in progress or when invalid). */
export function handleChangeMembership<R>(r: RaftState<R>, tag: number, voters: readonly NodeId[], learners: readonly NodeId[]): void {
  if (r.role !== "leader") return refuseNotLeader(r, tag);
  const validate = !r.config.disableConfChangeValidation;
  if (validate && (r.pendingConfIndex > r.log.applied || isJoint(r.conf))) {
    return refuse(r, tag, "config-change-pending", "a configuration change is still in progress; retry once it is applied");
  }
  // Only reachable without validation (a leaving leader is joint): it appends nothing after its
  // leave-joint, a change no more than a proposal (leaving-leader.ts; transcript leaving-leader-overlap.txt).
  if (leaderIsLeaving(r)) return refuseLeaving(r, tag);
  if (!logHasRoom(r.log.lastIndex, 1)) return refuse(r, tag, "log-full", `the log is at its ceiling (index ${r.log.lastIndex}): no more changes`);
  const change = { kind: "enter-joint", voters: [...voters], learners: [...learners] } as const;
  // Without validation (`disableConfChangeValidation`) only the members themselves are checked: the
  // change is judged against the configuration it meets when applied (applyConfEntry).
  const check = validate ? applyConfChange(r.conf, change) : undefined;
  const invalid = check === undefined ? invalidMembers(change) : check.ok ? undefined : check.reason;
  if (invalid !== undefined) return refuse(r, tag, "invalid-config", `invalid configuration change: ${invalid}`);
  const index = r.log.lastIndex + 1;
  appendEntries(r, [{ type: "conf", change }]);
  r.pendingConfIndex = index;
  r.out.output({ type: "proposed", tag, index, count: 1 });
  bcastAppend(r);
}

/** A committed configuration change is applied (or, invalid against the configuration now in force, reported and ignored). */
export function applyConfEntry<R>(r: RaftState<R>, index: number, change: ConfChange): void {
  // Validated again now: the configuration it applies to is the one that counts (etcd-io/raft#80).
  const result = applyConfChange(r.conf, change);
  if (!result.ok) {
    r.out.output({ type: "conf", index, conf: r.conf, rejected: result.reason });
    return;
  }
  setConf(r, result.conf);
  r.out.output({ type: "conf", index, conf: r.conf });
}

/**
 * Put `conf` in force. A leader tracks the new members and forgets the removed ones; a leader that
 * is no longer a voter tells the others the change committed, then steps down.
 */
export function setConf<R>(r: RaftState<R>, conf: ConfState): void {
  adoptConf(r, conf);
  const members = r.confMemberIds;
  for (const id of members) r.known.add(id);
  if (r.role !== "leader") return;
  for (const id of members) addProgress(r, id);
  for (const id of [...r.progress.keys()]) if (!members.includes(id)) r.progress.delete(id);
  if (!isVoter(conf, r.id)) {
    // The leader was removed: tell the others the change committed, then step down; the
    // remaining voters elect a successor.
    bcastAppend(r);
    becomeFollower(r, r.term, undefined);
    return;
  }
  if (maybeCommit(r)) bcastAppend(r);
}

/** Leader: once the joint configuration is applied, propose leaving it. */
export function maybeAutoLeaveJoint<R>(r: RaftState<R>): void {
  if (r.role !== "leader" || !isJoint(r.conf) || r.pendingConfIndex > r.log.applied) return;
  r.pendingConfIndex = r.log.lastIndex + 1;
  appendEntries(r, [{ type: "conf", change: { kind: "leave-joint" } }]);
  bcastAppend(r);
}

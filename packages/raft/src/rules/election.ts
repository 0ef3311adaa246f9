import { isVoter } from "../conf-state.js";
import type { Msg, RaftState } from "../raft-state.js";
import { becomeCandidate, becomeFollower, becomeLeader, becomePreCandidate } from "../roles.js";
import { backOffElectionTimeout, electionTimeoutBase } from "./adaptive-election-timeout.js";
import { countsPreVoteAnswer } from "./pre-vote.js";
import { canCampaignAbove, termCeilingAlarm } from "../term-ceiling.js";

/**
 * Leader election (Raft §5.2): a follower that hears from no leader for a randomized election
 * timeout campaigns; a candidate that wins the votes of a quorum leads. With Pre-Vote (thesis §9.6)
 * the campaign is first rehearsed without bumping the term (see pre-vote.ts).
 */

/** Draw the election timeout anew, uniformly from [T, 2T) ticks: split votes become rare. */
export function resetRandomizedElectionTimeout<R>(r: RaftState<R>): void {
  const base = electionTimeoutBase(r);
  r.randomizedElectionTimeoutTicks = r.rng.int(base, 2 * base);
}

/** The tick of followers and candidates: campaign when the election timeout elapses (voters only). */
export function tickElection<R>(r: RaftState<R>): void {
  r.electionElapsedTicks++;
  if (r.selfVoter && r.electionElapsedTicks >= r.randomizedElectionTimeoutTicks) {
    r.electionElapsedTicks = 0;
    backOffElectionTimeout(r);
    hup(r, false);
  }
}

/**
 * Start an election (after a timeout, a `campaign` request or TimeoutNow). Only a voter that does
 * not lead may, and only with every committed entry applied: a configuration takes effect when
 * applied, so a node whose apply lags (`maxApplyPerStep`) could otherwise ask the quorum of a
 * configuration already replaced (etcd's `hup` refuses with configuration changes left to apply).
 * A transfer (TimeoutNow) skips Pre-Vote, its target is known to be up to date.
 */
export function hup<R>(r: RaftState<R>, transfer: boolean): void {
  if (r.role === "leader" || !r.selfVoter || r.log.applied < r.log.committed) return;
  r.electionElapsedTicks = 0;
  if (!canCampaignAbove(r.term)) {
    if (!r.termCeilingAlarmed) r.out.output({ type: "alarm", reason: termCeilingAlarm(r.id) });
    r.termCeilingAlarmed = true;
    return;
  }
  if (r.config.preVote && !transfer) campaign(r, true, false);
  else campaign(r, false, transfer);
}

/**
 * Ask every other voter for its (pre-)vote, voting for itself first; a configuration where this
 * node alone is a quorum wins at once.
 */
export function campaign<R>(r: RaftState<R>, pre: boolean, transfer: boolean): void {
  let voteTerm: number;
  if (pre) {
    becomePreCandidate(r);
    voteTerm = r.term + 1;
  } else {
    becomeCandidate(r);
    voteTerm = r.term;
  }
  r.votes.set(r.id, true);
  if (r.quorum.voteResult(r.voteOf) === "won") {
    if (pre) campaign(r, false, false);
    else becomeLeader(r);
    return;
  }
  const lastIndex = r.log.lastIndex;
  const lastTerm = r.log.lastTerm;
  for (const id of r.confMemberIds) {
    if (id === r.id || !isVoter(r.conf, id)) continue;
    r.send(id, pre ? { type: "preVote", term: voteTerm, lastIndex, lastTerm } : { type: "vote", term: voteTerm, lastIndex, lastTerm, transfer });
  }
}

/**
 * Count a voter's answer to this node's campaign (of the kind it asked for): a quorum of grants
 * wins (a pre-campaign then campaigns for real), a quorum of refusals loses.
 */
export function tallyVote<R>(r: RaftState<R>, from: string, m: Msg<"voteResponse"> | Msg<"preVoteResponse">): void {
  if (!countsPreVoteAnswer(r, m)) return;
  if (!isVoter(r.conf, from)) {
    r.reject("unexpected");
    return;
  }
  r.votes.set(from, m.granted);
  const result = r.quorum.voteResult(r.voteOf);
  if (result === "won") {
    if (r.role === "pre-candidate") campaign(r, false, false);
    else becomeLeader(r);
  } else if (result === "lost") {
    becomeFollower(r, r.term, undefined);
  }
}

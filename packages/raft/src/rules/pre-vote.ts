import type { RaftMessage } from "../messages.js";
import type { Msg, RaftState } from "../raft-state.js";

/**
 * Pre-Vote (Raft thesis §9.6). Before campaigning, a node asks the voters whether they WOULD vote
 * for it in the next term, without adopting that term: a node cut off by a partition keeps failing
 * its pre-campaigns and so cannot force a healthy leader to step down when it returns. The
 * pre-campaign itself is in election.ts; a voter's answer is decided in vote-granting.ts; these are
 * the rules that tell Pre-Vote messages apart from real ones.
 */

/**
 * A message of a higher term usually makes its receiver adopt that term; a pre-vote request carries
 * the term its sender WOULD campaign for, and a granted answer repeats it, so neither does.
 * (A refusal carries the refuser's real term: that one is adopted.)
 */
export function keepsTerm(m: RaftMessage): boolean {
  return m.type === "preVote" || (m.type === "preVoteResponse" && m.granted);
}

/**
 * A granted pre-vote counts only for the term this pre-campaign asks for (term + 1); grants for an
 * older pre-campaign are ignored. Real votes and refusals always count (the term rules in step.ts
 * already dropped stale ones).
 */
export function countsPreVoteAnswer<R>(r: RaftState<R>, m: Msg<"voteResponse"> | Msg<"preVoteResponse">): boolean {
  return !(m.type === "preVoteResponse" && m.granted && m.term !== r.term + 1);
}

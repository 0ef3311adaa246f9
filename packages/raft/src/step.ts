import type { NodeId } from "@synod/core";
import type { RaftMessage } from "./messages.js";
import type { RaftState } from "./raft-state.js";
import { becomeFollower } from "./roles.js";
import { answerStaleMessage } from "./rules/check-quorum.js";
import { keepsTerm } from "./rules/pre-vote.js";
import { handleVoteRequest, voteBlockedByLease } from "./rules/vote-granting.js";
import { wellFormed } from "./rules/well-formed.js";
import { termClaimRejection } from "./term-ceiling.js";

/**
 * The term rules, in one place (etcd's `Step`), applied to every message before any role sees it:
 *
 * 1. Only known peers speak, and only in well-formed messages (else counted and dropped).
 * 2. A higher term is adopted (Raft §5.1) — becoming a follower, of the sender if it is the
 *    leader — except: a (pre-)vote request a voter ignores under its lease (vote-granting.ts), and
 *    pre-vote traffic, which only talks about a future term (pre-vote.ts).
 * 3. A lower term is dropped (some get an answer: check-quorum.ts `answerStaleMessage`).
 * 4. Vote requests are answered the same in every role (vote-granting.ts); everything else goes to
 *    the current role's step function (step-follower.ts, step-candidate.ts, step-leader.ts).
 */
export function step<R>(r: RaftState<R>, from: NodeId, m: RaftMessage): void {
  if (from === r.id || !r.known.has(from)) {
    r.reject(from === r.id ? "unexpected" : "unknown-sender");
    return;
  }
  // Messages come in ten shapes, so reading a field common to all of them is a slow (megamorphic)
  // load: `term` and `type` are read once, and every decision below uses these copies (TypeScript
  // narrows `m` by the copied `type` just as by `m.type`).
  const term = m.term;
  const type = m.type;
  if (term === 0 || !wellFormed(m)) {
    r.reject("malformed");
    return;
  }
  const beyondCeiling = termClaimRejection(r.term, term);
  if (beyondCeiling !== undefined) return r.reject(beyondCeiling);
  if (term > r.term) {
    if ((type === "vote" || type === "preVote") && voteBlockedByLease(r, m)) {
      // We hear from a leader: do not help depose it (and do not adopt the higher term).
      r.reject("in-lease");
      return;
    }
    if (keepsTerm(m)) {
      // A pre-vote (or a granted answer to ours) never changes our term.
    } else if (type === "append" || type === "heartbeat" || type === "snapshot") {
      becomeFollower(r, term, from);
    } else {
      becomeFollower(r, term, undefined);
    }
  } else if (term < r.term) {
    answerStaleMessage(r, from, m);
    r.reject("stale-term");
    return;
  }
  r.metrics.messagesReceived++;
  if (type === "vote" || type === "preVote") handleVoteRequest(r, from, m);
  else r.step(r, from, m);
}

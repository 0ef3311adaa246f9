import type { NodeId } from "@synod/core";
import { ROUND_HISTORY } from "../limits.js";
import type { Progress } from "../progress.js";
import type { Msg, RaftState } from "../raft-state.js";
import { flushHeldBatches } from "./adaptive-batching.js";
import { advertisedElectionTimeout, electionTimeoutBase, learnElectionTimeout, sampleHeartbeatRoundTrip } from "./adaptive-election-timeout.js";
import { checkQuorum } from "./check-quorum.js";
import { abandonTransfer } from "./leadership-transfer.js";
import { serveReads } from "./reads.js";
import { maybeSendAppend } from "./replication.js";
import { retrySnapshot } from "./snapshots.js";

/**
 * Heartbeats (Raft §5.2): the leader's periodic message that keeps followers from campaigning and
 * carries the commit index. Each broadcast is a numbered round; a quorum acknowledging round k
 * confirms this node still led when it sent round k (ReadIndex, lease reads: see reads.ts).
 */

/** The tick of a leader: retry lost snapshots, check its quorum every election timeout, heartbeat. */
export function tickHeartbeat<R>(r: RaftState<R>): void {
  r.heartbeatElapsedTicks++;
  r.electionElapsedTicks++;
  // Map#forEach with `r` as `this`: no closure and no entry pair per follower (hot: every tick).
  r.progress.forEach(retrySnapshot, r);
  flushHeldBatches(r);
  // CheckQuorum's period follows the adaptive timeout (a quorum cannot answer faster than a round
  // trip); the lease and the vote refusals it protects keep the configured timeout.
  if (r.electionElapsedTicks >= electionTimeoutBase(r)) {
    r.electionElapsedTicks = 0;
    if (!checkQuorum(r)) return;
    abandonTransfer(r);
  }
  if (r.heartbeatElapsedTicks >= r.config.heartbeatTicks) {
    r.heartbeatElapsedTicks = 0;
    bcastHeartbeat(r);
  }
}

/** Start heartbeat round `heartbeatRound + 1`, remembering when it was sent. */
export function bcastHeartbeat<R>(r: RaftState<R>): void {
  r.heartbeatRound++;
  r.roundSentTick[r.heartbeatRound % ROUND_HISTORY] = r.nowTicks;
  r.progress.forEach(sendHeartbeat, r);
}

/** One follower's heartbeat: the commit index, capped at what it is known to hold. */
function sendHeartbeat<R>(this: RaftState<R>, pr: Progress, id: NodeId): void {
  if (id === this.id) return;
  const commit = Math.min(pr.match, this.log.committed);
  const electionTimeout = advertisedElectionTimeout(this);
  if (electionTimeout === undefined) this.send(id, { type: "heartbeat", term: this.term, commit, context: this.heartbeatRound });
  else this.send(id, { type: "heartbeat", term: this.term, commit, context: this.heartbeatRound, electionTimeout });
}

/** Follower: learn the commit index (up to what the log holds) and acknowledge the round. */
export function handleHeartbeat<R>(r: RaftState<R>, from: NodeId, m: Msg<"heartbeat">): void {
  r.log.commitTo(Math.min(m.commit, r.log.lastIndex));
  learnElectionTimeout(r, m.electionTimeout);
  r.send(from, { type: "heartbeatResponse", term: r.term, context: m.context });
}

/**
 * Leader: a follower acknowledged round `m.context`. Record it (reads waiting for that round may be
 * served) and, if the follower lags, send it entries: a heartbeat answer also ends a probe's wait.
 */
export function handleHeartbeatResponse<R>(r: RaftState<R>, from: NodeId, m: Msg<"heartbeatResponse">): void {
  const pr = r.progress.get(from);
  if (pr === undefined) {
    r.reject("unknown-sender");
    return;
  }
  pr.recentActive = true;
  pr.probeSent = false;
  if (m.context > pr.ackedRound && m.context <= r.heartbeatRound) {
    pr.ackedRound = m.context;
    if (r.heartbeatRound - m.context < ROUND_HISTORY) {
      pr.ackedRoundSentTick = r.roundSentTick[m.context % ROUND_HISTORY] as number;
      sampleHeartbeatRoundTrip(r, r.nowTicks - pr.ackedRoundSentTick);
    }
    serveReads(r);
  }
  // The lost-window rule: the follower is reachable, so appends still counted in flight may be lost;
  // free one slot or a full window would never drain (no appendResponse is coming for them).
  if (pr.state === "replicate" && pr.inflights.full()) pr.inflights.freeFirstOne();
  if (pr.match < r.log.lastIndex) maybeSendAppend(r, from, true);
}

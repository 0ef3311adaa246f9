import type { RaftState } from "../raft-state.js";

/**
 * Adaptive election timeout (config `adaptiveElectionTimeout`; after Dynatune, 2024): a timeout
 * fixed for a LAN never lets an election finish on a slow network (the Pre-Vote and vote round trips
 * outlast it, every candidate times out again), and one fixed for a WAN fails over slowly on a LAN.
 *
 * The leader measures each heartbeat's round trip in ticks and keeps a smoothed mean `srtt` and
 * mean deviation `rttvar` (as TCP's RTO, RFC 6298: gains 1/8 and 1/4). The timeout it advertises
 * in its heartbeats covers an election's two round trips at the high end of the estimate plus a
 * heartbeat interval: `2 × (srtt + 4 × rttvar) + heartbeatTicks`, clamped to
 * [electionTimeoutTicks, 10 × electionTimeoutTicks]. Until a leader has measured anything (no
 * leader yet: on links slower than the timeout the first election never finishes either), a
 * campaign that times out doubles the node's timeout (within the same bound), so an election on
 * a slow network eventually gets the time its round trips need; the leader's measurement then
 * replaces the guess. Followers (and the leader itself) draw their
 * randomized timeout from [T, 2T) of that value, and a leader checks its quorum once per T (a
 * quorum cannot answer faster than a round trip). The leader lease and vote refusals keep the
 * configured value, so the safety arguments that rest on it are untouched. Everything is in ticks: pure, deterministic, no clock.
 */

/** Most the adaptive timeout may grow, as a multiple of electionTimeoutTicks. */
export const ADAPTIVE_ELECTION_TIMEOUT_MAX_FACTOR = 10;

/** @returns the base of the randomized election timeout: the adapted one, else the configured one */
export function electionTimeoutBase<R>(r: RaftState<R>): number {
  return r.adaptiveElectionTimeoutTicks > 0 ? r.adaptiveElectionTimeoutTicks : r.config.electionTimeoutTicks;
}

function clampTimeout<R>(r: RaftState<R>, ticks: number): number {
  const min = r.config.electionTimeoutTicks;
  return Math.min(ADAPTIVE_ELECTION_TIMEOUT_MAX_FACTOR * min, Math.max(min, Math.ceil(ticks)));
}

/** Leader: fold one heartbeat round trip (ticks) into the estimate and adopt the timeout it gives. */
export function sampleHeartbeatRoundTrip<R>(r: RaftState<R>, rttTicks: number): void {
  if (!r.config.adaptiveElectionTimeout) return;
  if (r.rttSmoothedTicks === 0) {
    r.rttSmoothedTicks = rttTicks;
    r.rttDeviationTicks = rttTicks / 2;
  } else {
    r.rttDeviationTicks = 0.75 * r.rttDeviationTicks + 0.25 * Math.abs(r.rttSmoothedTicks - rttTicks);
    r.rttSmoothedTicks = 0.875 * r.rttSmoothedTicks + 0.125 * rttTicks;
  }
  const ticks = clampTimeout(r, 2 * (r.rttSmoothedTicks + 4 * r.rttDeviationTicks) + r.config.heartbeatTicks);
  adopt(r, ticks, "measured");
}

/** @returns the timeout a leader advertises in its heartbeats, or undefined (adaptation off, or nothing measured yet) */
export function advertisedElectionTimeout<R>(r: RaftState<R>): number | undefined {
  return r.config.adaptiveElectionTimeout && r.adaptiveElectionTimeoutTicks > 0 ? r.adaptiveElectionTimeoutTicks : undefined;
}

/** Follower: adopt the timeout the leader advertised (clamped: a faulty leader cannot push it past the bound). */
export function learnElectionTimeout<R>(r: RaftState<R>, advertised: number | undefined): void {
  if (!r.config.adaptiveElectionTimeout || advertised === undefined) return;
  adopt(r, clampTimeout(r, advertised), "leader");
}

/** Pre-candidate or candidate whose campaign timed out without a result: double the timeout (bounded). */
export function backOffElectionTimeout<R>(r: RaftState<R>): void {
  if (!r.config.adaptiveElectionTimeout || r.role === "follower" || r.role === "leader") return;
  adopt(r, clampTimeout(r, 2 * electionTimeoutBase(r)), "backoff");
}

function adopt<R>(r: RaftState<R>, ticks: number, source: "measured" | "leader" | "backoff"): void {
  if (ticks === r.adaptiveElectionTimeoutTicks) return;
  r.adaptiveElectionTimeoutTicks = ticks;
  r.out.output({ type: "election-timeout", ticks, rttTicks: Math.round(r.rttSmoothedTicks * 100) / 100, source });
}

import type { NodeId } from "@synod/core";
import type { Progress } from "../progress.js";
import type { RaftState } from "../raft-state.js";
import { streamAppends } from "./replication.js";

/**
 * Adaptive batching (config `adaptiveBatching`, off by default): under light load a leader sends
 * every proposal at once (a message per entry per follower, the lowest latency); under heavy load
 * that costs a message, a header and an in-flight slot per entry. The leader measures the queue
 * depth — the entries a follower had not yet acknowledged when an acknowledgement arrives — as a
 * smoothed mean (gain 1/8), and derives a batch target: the largest power of two at most half of it
 * (at least 1, at most maxEntriesPerMessage), so that about two batches cover what one round trip
 * accumulates. A proposal is then held back from a follower that has a message in flight until its
 * unsent entries reach the target; held entries leave with the next acknowledgement (which streams
 * what the window allows), the next heartbeat answer, or the next tick, whichever comes first, so
 * holding adds at most a tick. A target of 1 holds nothing: light load behaves exactly as without
 * the option. Only when and how much is sent changes: Raft's safety does not depend on it (the spec
 * lets a leader send any entries at any time). Each change of the target is an output.
 */

/** The smoothing gain of the queue-depth mean (as TCP's SRTT). */
const DEPTH_GAIN = 1 / 8;

/** @returns whether a new proposal should wait for more entries before going to this follower */
export function holdsForBatch<R>(r: RaftState<R>, pr: Progress): boolean {
  if (!r.config.adaptiveBatching || r.batchTarget <= 1 || pr.state !== "replicate" || pr.inflights.size === 0) return false;
  return r.log.lastIndex - (pr.next - 1) < r.batchTarget;
}

/**
 * Leader, on an accepted append answer from a follower in `replicate`: fold the queue depth it saw
 * (`outstanding`: entries of the leader's log the follower had not acknowledged before this answer)
 * into the mean, and adopt the batch target it gives.
 */
export function sampleQueueDepth<R>(r: RaftState<R>, outstanding: number): void {
  if (!r.config.adaptiveBatching) return;
  r.batchDepth += DEPTH_GAIN * (outstanding - r.batchDepth);
  const target = batchTargetFor(r.batchDepth, r.config.maxEntriesPerMessage);
  if (target === r.batchTarget) return;
  r.batchTarget = target;
  r.out.output({ type: "batch-target", entries: target, depth: Math.round(r.batchDepth * 100) / 100 });
}

/** @returns the largest power of two ≤ depth / 2, within [1, max] */
export function batchTargetFor(depth: number, max: number): number {
  let target = 1;
  while (target * 2 <= depth / 2 && target * 2 <= max) target *= 2;
  return target;
}

/** Leader tick: send every follower in `replicate` the entries held back for a batch (holding lasts at most a tick). */
export function flushHeldBatches<R>(r: RaftState<R>): void {
  if (!r.config.adaptiveBatching || r.batchTarget <= 1) return;
  r.progress.forEach(flushOne, r);
}

function flushOne<R>(this: RaftState<R>, pr: Progress, id: NodeId): void {
  if (id === this.id || pr.state !== "replicate" || pr.next - 1 >= this.log.lastIndex) return;
  streamAppends(this, id);
}

/** A new leadership starts from no measurement: nothing is held until acknowledgements show a queue. */
export function resetBatching<R>(r: RaftState<R>): void {
  r.batchDepth = 0;
  r.batchTarget = 1;
}

import { InvariantError } from "@synod/core";
import { Inflights } from "./inflights.js";
import type { SnapshotHeader, SnapshotPayload } from "./messages.js";

/**
 * What must hold of every progress: `match < next` (the leader never plans to send what it knows the
 * follower holds, and never skips what it does not know is there).
 */
function assertMatchBelowNext(pr: Progress): void {
  if (pr.match >= pr.next) throw new InvariantError("progress: match < next must hold", { match: pr.match, next: pr.next, state: pr.state });
}

/** The flow-control state of one follower, as seen by the leader (see design.md). */
export type ProgressState = "probe" | "replicate" | "snapshot";

/**
 * What the leader knows of one follower's log. `match` is the highest index known to be replicated
 * there; `next` the next index to send. In `probe` the leader sends one message and waits for its
 * answer; in `replicate` it streams optimistically, bounded by the in-flight window; in `snapshot`
 * it sends a snapshot chunk by chunk, a few chunks ahead of the follower's acknowledgement, and
 * waits for it to be installed.
 */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = "probe";
  /** The index of the snapshot being sent, in state `snapshot`. */
  pendingSnapshot = 0;
  /**
   * In state `snapshot`: the snapshot being sent (kept even when the leader compacts again, so that
   * a long transfer completes) and its header as every chunk carries it.
   */
  sendingSnapshot: SnapshotPayload | undefined;
  sendingHeader: SnapshotHeader | undefined;
  /** In state `snapshot`: bytes the follower acknowledged holding, the offset of the next chunk to send, whether the last chunk was sent. */
  snapshotAcked = 0;
  snapshotNext = 0;
  snapshotAllSent = false;
  /** Ticks since the follower last acknowledged a chunk, in state `snapshot` (the unacknowledged chunks are re-sent after snapshotRetryTicks). */
  snapshotTicks = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /** In `probe`: a message was sent and no answer has come yet. */
  probeSent = false;
  /** The latest heartbeat round this follower acknowledged (ReadIndex). */
  ackedRound = 0;
  /** The leader's tick when that round was sent (leases). */
  ackedRoundSentTick = 0;
  readonly inflights: Inflights;

  /**
   * @param next - first index to send
   * @param maxInflight - in-flight window in `replicate`
   */
  constructor(next: number, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  /** @returns whether the leader must not send this follower more entries for now */
  isPaused(): boolean {
    switch (this.state) {
      case "probe":
        return this.probeSent;
      case "replicate":
        return this.inflights.full();
      case "snapshot":
        return true;
    }
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.sendingSnapshot = undefined;
    this.sendingHeader = undefined;
    this.snapshotAcked = 0;
    this.snapshotNext = 0;
    this.snapshotAllSent = false;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  /** Enter `probe`: one message at a time, from just after what is known to match. */
  becomeProbe(): void {
    const next = this.state === "snapshot" ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.resetState("probe");
    this.next = next;
    assertMatchBelowNext(this);
  }

  /** Enter `replicate`: stream from just after `match`. */
  becomeReplicate(): void {
    this.resetState("replicate");
    this.next = this.match + 1;
  }

  /** Enter `snapshot`: send `snapshot` from its first byte, and wait for it to be installed. */
  becomeSnapshot(snapshot: SnapshotPayload): void {
    this.resetState("snapshot");
    this.pendingSnapshot = snapshot.index;
    this.sendingSnapshot = snapshot;
    this.sendingHeader = { index: snapshot.index, term: snapshot.term, conf: snapshot.conf, size: snapshot.data.length };
  }

  /**
   * In `snapshot`: the follower holds the first `received` bytes. Fresh progress moves the
   * acknowledgement on (and restarts the retry clock); less than acknowledged before means the
   * follower lost what it held (a restart): sending resumes from `received`.
   */
  snapshotReceived(received: number): void {
    if (received > this.snapshotAcked) {
      this.snapshotAcked = received;
      this.snapshotTicks = 0;
      if (this.snapshotNext < received) this.snapshotNext = received;
    } else if (received < this.snapshotAcked) this.resendSnapshotFrom(received);
  }

  /** In `snapshot`: send again every byte from `offset` (lost chunks). */
  resendSnapshotFrom(offset: number): void {
    this.snapshotAcked = offset;
    this.snapshotNext = offset;
    this.snapshotAllSent = false;
    this.snapshotTicks = 0;
  }

  /**
   * A successful AppendEntries response acknowledged everything up to `index`.
   * @returns whether `match` advanced (false for a stale or duplicate response)
   */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    assertMatchBelowNext(this);
    return updated;
  }

  /**
   * An AppendEntries with prevIndex `rejected` was refused; `matchHint` is the last index that may
   * match. Moves `next` back (probe) or to just after `match` (replicate).
   * @returns whether the rejection was fresh (false: stale, ignore it)
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === "replicate") {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    assertMatchBelowNext(this);
    return true;
  }

  /** Record an AppendEntries just sent with `count` entries ending at `lastIndex`. */
  sentEntries(count: number, lastIndex: number): void {
    if (this.state === "replicate") {
      if (count > 0) {
        this.next = lastIndex + 1;
        assertMatchBelowNext(this);
        this.inflights.add(lastIndex);
      }
    } else if (this.state === "probe") {
      this.probeSent = true;
    }
  }
}

import { InvariantError } from "@synod/core";
import { Inflights } from "./inflights.js";

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
 * it waits for an InstallSnapshot to be acknowledged.
 */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = "probe";
  /** The index of the snapshot being sent, in state `snapshot`. */
  pendingSnapshot = 0;
  /** Ticks spent in state `snapshot` (the snapshot is re-sent after snapshotRetryTicks). */
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

  /** Enter `snapshot`: wait for the snapshot at `index` to be installed. */
  becomeSnapshot(index: number): void {
    this.resetState("snapshot");
    this.pendingSnapshot = index;
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

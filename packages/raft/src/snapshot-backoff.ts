import { MAX_SNAPSHOT_ATTEMPTS, MAX_SNAPSHOT_BYTES } from "./limits.js";

/** An alarm about a snapshot over the limit: its text, and whether the node will try again. */
export interface SnapshotRefusal {
  readonly reason: string;
  readonly retrying: boolean;
}

/**
 * The snapshot back-off rule: a node snapshots every `interval` applied entries; when the state
 * machine's snapshot is over {@link MAX_SNAPSHOT_BYTES} (it could not be sent or stored), the node
 * keeps its log, raises an alarm, and waits twice as long before each further attempt (1, 2, 4, …
 * intervals), instead of serialising its whole state again on every apply. After
 * {@link MAX_SNAPSHOT_ATTEMPTS} refusals in a row it stops trying (a second alarm says so): only an
 * operator's `compact` request tries again. A snapshot that fits resets the back-off.
 */
export class SnapshotBackoff {
  /** No attempt before this applied index (after a refusal). */
  private notBefore = 0;
  private spacing = 1;
  private refusals = 0;

  /** @returns whether a snapshot is due at `applied` */
  due(applied: number, snapshotIndex: number, interval: number): boolean {
    return interval > 0 && applied - snapshotIndex >= interval && applied >= this.notBefore && this.refusals < MAX_SNAPSHOT_ATTEMPTS;
  }

  /**
   * Record a snapshot of `bytes` bytes at `applied` that was over the limit.
   * @returns the alarm to raise (at the first refusal, and when the node stops trying), else undefined
   */
  refused(id: string, applied: number, bytes: number, interval: number): SnapshotRefusal | undefined {
    this.notBefore = applied + this.spacing * Math.max(1, interval);
    this.spacing *= 2;
    this.refusals++;
    const what =
      `${id}: the state machine's snapshot (${bytes} bytes) exceeds MAX_SNAPSHOT_BYTES (${MAX_SNAPSHOT_BYTES}): ` +
      "no snapshot is taken, the log grows, and lagging followers cannot be caught up by snapshot; ";
    if (this.refusals === 1) return { reason: `${what}retrying with back-off`, retrying: true };
    if (this.refusals === MAX_SNAPSHOT_ATTEMPTS) {
      return { reason: `${what}stopped after ${MAX_SNAPSHOT_ATTEMPTS} attempts (a "compact" request tries again)`, retrying: false };
    }
    return undefined;
  }

  /** A snapshot succeeded: attempts follow the interval again. */
  succeeded(): void {
    this.notBefore = 0;
    this.spacing = 1;
    this.refusals = 0;
  }
}

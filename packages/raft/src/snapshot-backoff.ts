import { MAX_SNAPSHOT_BYTES } from "./limits.js";

/** Largest back-off between snapshot attempts, in multiples of the snapshot interval. */
const MAX_BACKOFF_INTERVALS = 1 << 20;

/**
 * The snapshot back-off rule: a node snapshots every `interval` applied entries; when the state
 * machine's snapshot is over {@link MAX_SNAPSHOT_BYTES} (it could not be sent or stored), the node
 * keeps its log, raises ONE alarm, and waits twice as long before each further attempt (1, 2, 4, …
 * intervals), instead of serialising its whole state again on every apply. A snapshot that fits
 * resets the back-off.
 */
export class SnapshotBackoff {
  /** No attempt before this applied index (after a refusal). */
  private notBefore = 0;
  private spacing = 1;
  private alarmed = false;

  /** @returns whether a snapshot is due at `applied` */
  due(applied: number, snapshotIndex: number, interval: number): boolean {
    return interval > 0 && applied - snapshotIndex >= interval && applied >= this.notBefore;
  }

  /**
   * Record a snapshot of `bytes` bytes at `applied` that was over the limit.
   * @returns the alarm to raise (the first time only), else undefined
   */
  refused(id: string, applied: number, bytes: number, interval: number): string | undefined {
    this.notBefore = applied + this.spacing * Math.max(1, interval);
    this.spacing = Math.min(this.spacing * 2, MAX_BACKOFF_INTERVALS);
    if (this.alarmed) return undefined;
    this.alarmed = true;
    return (
      `${id}: the state machine's snapshot (${bytes} bytes) exceeds MAX_SNAPSHOT_BYTES (${MAX_SNAPSHOT_BYTES}): ` +
      "no snapshot is taken, the log grows, and lagging followers cannot be caught up by snapshot; retrying with back-off"
    );
  }

  /** A snapshot succeeded: attempts follow the interval again. */
  succeeded(): void {
    this.notBefore = 0;
    this.spacing = 1;
  }
}

import type { TraceEdit } from "./editing-trace.js";
import type { ConcurrentStep } from "./concurrent-trace.js";
import { timed, type Timing } from "./replay.js";
import type { TextCrdt, TextReplica } from "./text-replica.js";

/** What replaying a concurrent trace into one library measured. */
export interface ConcurrentOutcome extends Timing {
  readonly replicas: readonly TextReplica[];
  /** Wall-clock milliseconds spent in `importUpdate` (integrating remote edits). */
  readonly importMs: number;
  /** Bytes of every update sent (each counted once per receiver). */
  readonly bytesShipped: number;
  readonly updates: number;
}

/** Apply a trace edit at an author's own document, positions clamped to its length (documents diverge between syncs). */
function applyClamped(replica: TextReplica, [position, deleteCount, text]: TraceEdit): void {
  const at = Math.min(position, replica.length);
  const count = Math.min(deleteCount, replica.length - at);
  if (count > 0) replica.delete(at, count);
  if (text.length > 0) replica.insert(at, text);
}

/**
 * Replay a concurrent trace: each author edits its own replica; at a sync round every author
 * exports its update and every other author imports it.
 * @returns the replicas (all equal after the final sync, or this throws), the CPU and wall time of
 *   the whole replay, the time spent importing, and the bytes shipped
 */
export function replayConcurrent(crdt: TextCrdt, steps: readonly ConcurrentStep[], authors: number): ConcurrentOutcome {
  const replicas = crdt.create(authors);
  let importMs = 0, bytesShipped = 0, updates = 0;
  const { ms, cpuMs } = timed(() => {
    for (const step of steps) {
      if (!("sync" in step)) {
        applyClamped(replicas[step.author] as TextReplica, step.edit);
        continue;
      }
      const exported = replicas.map((replica) => replica.exportUpdate());
      const t0 = process.hrtime.bigint();
      exported.forEach((update, from) => {
        replicas.forEach((replica, to) => {
          if (to === from) return;
          replica.importUpdate(update);
          bytesShipped += update.length;
          updates++;
        });
      });
      importMs += Number(process.hrtime.bigint() - t0) / 1e6;
      for (const replica of replicas) replica.synced();
    }
  });
  const text = (replicas[0] as TextReplica).toString();
  replicas.forEach((replica, i) => {
    if (replica.toString() !== text) throw new Error(`${crdt.name}: author ${i} did not converge after the final sync`);
  });
  return { replicas, ms, cpuMs, importMs, bytesShipped, updates };
}

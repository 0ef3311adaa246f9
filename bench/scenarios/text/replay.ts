import type { TraceEdit } from "./editing-trace.js";
import type { TextCrdt, TextReplica } from "./text-replica.js";

/** Apply one trace edit to a replica: the delete first, then the insert, each its own transaction. */
export function applyEdit(replica: TextReplica, [position, deleteCount, text]: TraceEdit): void {
  if (deleteCount > 0) replica.delete(position, deleteCount);
  if (text.length > 0) replica.insert(position, text);
}

/** Wall-clock and CPU milliseconds of one measured stretch (CPU: this process, user + system). */
export interface Timing {
  readonly ms: number;
  readonly cpuMs: number;
}

/** @returns `body`'s result and how long it took */
export function timed<T>(body: () => T): { value: T } & Timing {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = body();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Replay a sequential trace into one fresh replica of `crdt`.
 * @param every - also record the CPU milliseconds spent after every `every` edits (a progress curve)
 * @returns the replica, the time the edits took and the progress points `[edits, cpuMs]`
 */
export function replay(
  crdt: TextCrdt,
  edits: readonly TraceEdit[],
  every = edits.length,
): { replica: TextReplica; progress: [number, number][] } & Timing {
  const [replica] = crdt.create(1) as [TextReplica];
  const progress: [number, number][] = [[0, 0]];
  const cpu0 = process.cpuUsage();
  const { ms, cpuMs } = timed(() => {
    for (let i = 0; i < edits.length; i++) {
      applyEdit(replica, edits[i] as TraceEdit);
      if ((i + 1) % every === 0) {
        const cpu = process.cpuUsage(cpu0);
        progress.push([i + 1, (cpu.user + cpu.system) / 1000]);
      }
    }
  });
  return { replica, ms, cpuMs, progress };
}

import type { Envelope } from "./envelope.js";

/**
 * What a node asks of its driver after one input (the etcd-raft "Ready", made explicit).
 *
 * The driver must, in this order:
 * 1. make `persist` durable (append the records to the node's durable log; when `compact` is true,
 *    atomically replace the whole log by them) and sync;
 * 2. only then send every envelope in `send`;
 * 3. hand `output` to the application.
 *
 * A crash may fall between 1 and 2: the records are durable but the messages never left.
 *
 * Everything a step returns — records, messages, outputs — is plain data that the node never
 * mutates afterwards: drivers may keep references instead of copies (the simulator's disk encodes
 * records lazily, only when a crash or a fault needs their bytes).
 */
export interface Step<M, O, P> {
  /** Durable records, to be synced before any message of this step is sent. */
  readonly persist: readonly P[];
  /** When true, `persist` replaces every record persisted before (a checkpoint / snapshot). */
  readonly compact?: boolean;
  /** Outgoing messages. */
  readonly send: readonly Envelope<M>[];
  /** What the application sees: committed entries, replies, membership events, alarms. */
  readonly output: readonly O[];
}

const EMPTY: Step<never, never, never> = Object.freeze({
  persist: Object.freeze([]) as readonly never[],
  send: Object.freeze([]) as readonly never[],
  output: Object.freeze([]) as readonly never[],
});

/** @returns the shared, frozen step that does nothing */
export function emptyStep<M, O, P>(): Step<M, O, P> {
  return EMPTY;
}

/** @returns whether the step asks nothing of the driver */
export function isEmptyStep(step: Step<unknown, unknown, unknown>): boolean {
  return step.persist.length === 0 && step.send.length === 0 && step.output.length === 0 && !step.compact;
}

/** The shared empty list of a step part that received nothing. */
const NONE: readonly never[] = EMPTY.persist;

/**
 * Accumulates a step while a node handles one input. Handlers push into it; `finish()` returns the
 * step. Records persisted after a `compact()` are kept; records before it are dropped, since the
 * checkpoint supersedes them. A part that received nothing is the shared frozen empty list, so a
 * step that only sends allocates one list, not three.
 */
export class StepBuilder<M, O, P> {
  private persistList: P[] | undefined;
  private sendList: Envelope<M>[] | undefined;
  private outputList: O[] | undefined;
  private compacted = false;

  /** Queue a durable record. */
  persist(record: P): void {
    if (this.persistList === undefined) this.persistList = [record];
    else this.persistList.push(record);
  }

  /** Replace all durable state by `records` (e.g. after taking a snapshot). */
  compact(records: readonly P[]): void {
    this.compacted = true;
    this.persistList = [...records];
  }

  /** Queue an outgoing message. */
  send(envelope: Envelope<M>): void {
    if (this.sendList === undefined) this.sendList = [envelope];
    else this.sendList.push(envelope);
  }

  /** Queue an application-visible output. */
  output(item: O): void {
    if (this.outputList === undefined) this.outputList = [item];
    else this.outputList.push(item);
  }

  /** @returns the accumulated step (the shared empty step when nothing was queued) */
  finish(): Step<M, O, P> {
    const persist = this.persistList;
    const send = this.sendList;
    const output = this.outputList;
    if (persist === undefined && send === undefined && output === undefined && !this.compacted) return emptyStep();
    const step: Step<M, O, P> = this.compacted
      ? { persist: persist ?? NONE, compact: true, send: send ?? NONE, output: output ?? NONE }
      : { persist: persist ?? NONE, send: send ?? NONE, output: output ?? NONE };
    this.persistList = undefined;
    this.sendList = undefined;
    this.outputList = undefined;
    this.compacted = false;
    return step;
  }
}

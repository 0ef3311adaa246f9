import type { Invariant } from "@synod/core";
import type { CausalContext } from "./causal-context.js";
import type { CrdtResult } from "./crdt-simulation.js";
import type { DocumentOp } from "./replica-document.js";
import type { CrdtMessage, CrdtOutput, CrdtRecord, CrdtReplicaNode } from "./replica-node.js";
import { sequentialSpecInvariant, UpdateLog, type RecordedOp } from "./update-log.js";

type CrdtInvariant = Invariant<CrdtReplicaNode, CrdtMessage, CrdtOutput, CrdtRecord, DocumentOp, CrdtResult>;

/**
 * `LwwCausal` (LWW-Register against its specification): at every replica, the register holds a
 * delivered write that no delivered write causally follows — a write issued after its replica had
 * seen another must win over it. Last-writer-wins may pick either of two concurrent writes; it may
 * never let an older write beat a newer one it happened before. That rests on the hybrid logical
 * clock: a write's timestamp exceeds every timestamp its replica had observed, so a replica whose
 * ticks run slow (clock skew, a restart) still stamps a causally later write higher.
 *
 * A write is matched to the register's current value by its replica and value (the register does
 * not keep dots); a coincidence can only hide a violation, never report a false one.
 */
export function lwwCausal(log = new UpdateLog()): CrdtInvariant {
  return sequentialSpecInvariant("LwwCausal", () => new RegisterProgress(), (node, state) => {
    // Nothing delivered or written since the last check (which passed): the same verdict.
    if (!state.update(log.assignOps, node.document.updates, node.document.revision)) return undefined;
    const newest = state.frontier;
    const write = node.document.register.current();
    if (newest.size === 0) {
      if (write === undefined) return undefined;
      return `${node.id}: the register holds ${JSON.stringify(write.value)} from ${write.replica}, but no write was delivered there`;
    }
    // Is one of them the held write? (Inline, not a closure: this runs after every delivery.)
    if (write !== undefined) {
      for (const op of newest) if (op.dot[0] === write.replica && op.op.type === "assign" && op.op.value === write.value) return undefined;
    }
    const held = write === undefined ? "nothing" : `${JSON.stringify(write.value)} from ${write.replica} at [${write.stamp.join(", ")}]`;
    const allowed = [...newest].map((op) => `${op.op.type === "assign" ? JSON.stringify(op.op.value) : "?"} from ${op.dot[0]} (dot ${op.dot[1]})`).join(", ");
    return `${node.id}: the register holds ${held}, but the delivered writes no other delivered write follows are ${allowed}: a causally later write lost`;
  }, log);
}

/**
 * The delivered writes of one replica that no delivered write has observed (the causal frontier of
 * its register history), kept up to date incrementally: a replica's delivered updates only grow (a
 * restart makes a new node and a new progress), so each write moves from pending to delivered once.
 */
class RegisterProgress {
  private seen = 0;
  private readonly pending: RecordedOp[] = [];
  /** The delivered writes that no delivered write follows (as of the last {@link update}). */
  readonly frontier = new Set<RecordedOp>();
  private revision = -1;

  /**
   * Bring {@link frontier} up to date for a replica that delivered `delivered`.
   * @returns false when nothing changed since the last call (same document revision, no new write)
   */
  update(assigns: readonly RecordedOp[], delivered: CausalContext, revision: number): boolean {
    if (revision === this.revision && this.seen === assigns.length) return false;
    this.revision = revision;
    for (; this.seen < assigns.length; this.seen++) this.pending.push(assigns[this.seen] as RecordedOp);
    const arrived: RecordedOp[] = [];
    const pending = this.pending;
    let kept = 0;
    for (const write of pending) {
      if (!delivered.contains(write.dot)) pending[kept++] = write;
      else arrived.push(write);
    }
    pending.length = kept;
    for (const write of arrived) {
      let observed = false;
      for (const observer of write.observers) if (delivered.contains(observer.dot)) observed = true;
      if (!observed) this.frontier.add(write);
    }
    for (const write of arrived) for (const older of this.frontier) if (older.observers.includes(write)) this.frontier.delete(older);
    return true;
  }
}

import type { Step } from "@synod/core";
import type { Entry } from "../entry.js";
import type { RaftOutput } from "../io.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

/** What a node's durable records say its log is: entry terms after a snapshot point. */
export class ShadowLog {
  snapshotIndex = 0;
  terms: number[] = [];

  /** @returns whether the durable log holds (index, term) (a snapshot covers committed entries) */
  holds(index: number, term: number): boolean {
    if (index <= this.snapshotIndex) return true;
    return this.terms[index - this.snapshotIndex - 1] === term;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.terms.length;
  }

  /** Replay one step's records. @returns the lowest index whose durable entry was dropped or replaced, if any */
  replay(step: RaftStep): number | undefined {
    const persist = step.persist;
    if (step.compact === true) {
      const before = this.lastIndex;
      this.snapshotIndex = 0;
      this.terms = [];
      for (const r of persist) if (r.type === "snapshot") this.snapshotIndex = r.snapshot.index;
      for (const r of persist) if (r.type === "entries") this.write(r.entries);
      return this.lastIndex < before ? this.lastIndex + 1 : undefined;
    }
    let lost: number | undefined;
    for (let k = 0; k < persist.length; k++) {
      const r = persist[k] as RaftRecord;
      if (r.type !== "entries") continue;
      const first = r.entries[0]?.index ?? this.lastIndex + 1;
      if (first <= this.lastIndex && (lost === undefined || first < lost)) lost = first;
      this.write(r.entries);
    }
    return lost;
  }

  private write(entries: readonly Entry[]): void {
    const first = entries[0]?.index;
    if (first === undefined) return;
    const keep = Math.max(0, first - this.snapshotIndex - 1);
    if (keep < this.terms.length) this.terms.length = keep; // (setting the length is a slow runtime call)
    for (const e of entries) if (e.index > this.snapshotIndex) this.terms[e.index - this.snapshotIndex - 1] = e.term;
  }

  /** Rebuild from a restarted node (what it recovered from storage). */
  static of(node: RaftNode<KvReply>): ShadowLog {
    const shadow = new ShadowLog();
    shadow.snapshotIndex = node.snapshotIndex;
    for (let i = node.snapshotIndex + 1; i <= node.lastIndex; i++) shadow.terms.push(node.entryTerm(i) ?? -1);
    return shadow;
  }
}

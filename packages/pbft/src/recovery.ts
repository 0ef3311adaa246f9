import type { NewView, PrePrepare, PrePreparedClaim, PreparedCertificate, ViewChange } from "./messages.js";
import type { Checkpoint, CheckpointCertificate } from "./messages.js";
import type { MisbehaviourEvidence } from "./evidence.js";
import type { PbftRecord } from "./records.js";

/** A durable stable checkpoint: its proof (q checkpoint messages, or in `threshold` mode a certificate) and its state. */
export interface DurableCheckpoint {
  readonly seq: number;
  readonly proof: readonly Checkpoint[];
  readonly certificate?: CheckpointCertificate | undefined;
  readonly state: Uint8Array;
}

/** What a replica's durable records say, replayed in order (see {@link PbftRecord}). */
export interface DurableReplica {
  /** The last view entered, and whether it started (a new-view) or is still being changed to. */
  view: number;
  active: boolean;
  /** The replica's own view-change for `view`, when it is changing views. */
  viewChange: ViewChange | undefined;
  /** The new-view that started `view`, when `active` and it was kept (shown to a replica still changing to `view`). */
  newView: NewView | undefined;
  /** The last stable checkpoint with its proof and state (undefined: sequence 0, the initial state). */
  checkpoint: DurableCheckpoint | undefined;
  /** Pre-prepares accepted in `view` above the checkpoint, by sequence number. */
  readonly prePrepares: Map<number, PrePrepare>;
  /**
   * `macs` mode: what the replica pre-prepared above the checkpoint in any view, in the order it was
   * written (its Q set: `prePrepared` records, every `prePrepare` record, its own view-changes' claims).
   */
  prePreparedClaims: PrePreparedClaim[];
  /** The highest-view prepared certificate per sequence number above the checkpoint. */
  readonly prepared: Map<number, PreparedCertificate>;
  /** Batches committed and executed above the checkpoint, by sequence number. */
  readonly committed: Map<number, PrePrepare>;
  /** Misbehaviour evidence held, one per culprit (culprits stay proven faulty across restarts). */
  readonly evidence: MisbehaviourEvidence[];
  /** Peers' checkpoints the replica was forwarding as disputed, at or above the checkpoint (one per signer and sequence number). */
  disputes: Checkpoint[];
}

/** @returns the durable state `records` rebuild (a replica that never persisted anything: view 0, active, empty) */
export function replayRecords(records: readonly PbftRecord[]): DurableReplica {
  const d: DurableReplica = {
    view: 0,
    active: true,
    viewChange: undefined,
    newView: undefined,
    checkpoint: undefined,
    prePrepares: new Map(),
    prePreparedClaims: [],
    prepared: new Map(),
    committed: new Map(),
    evidence: [],
    disputes: [],
  };
  const above = (seq: number): boolean => seq > (d.checkpoint?.seq ?? 0);
  for (const record of records) {
    switch (record.type) {
      case "checkpoint":
        d.checkpoint = record;
        for (const map of [d.prePrepares, d.prepared, d.committed]) for (const seq of [...map.keys()]) if (seq <= record.seq) map.delete(seq);
        d.prePreparedClaims = d.prePreparedClaims.filter((claim) => claim.seq > record.seq);
        d.disputes = d.disputes.filter((cp) => cp.seq >= record.seq);
        break;
      case "viewChange":
        if (record.viewChange.view < d.view) break;
        d.view = record.viewChange.view;
        d.active = false;
        d.viewChange = record.viewChange;
        d.newView = undefined;
        d.prePrepares.clear();
        for (const claim of record.viewChange.prePrepared) if (above(claim.seq)) d.prePreparedClaims.push(claim);
        break;
      case "newView":
        if (record.view < d.view) break;
        d.view = record.view;
        d.active = true;
        d.viewChange = undefined;
        d.newView = record.newView;
        d.prePrepares.clear();
        break;
      case "prePrepare": {
        const { view, seq, digest } = record.prePrepare;
        if (!above(seq)) break;
        if (view === d.view) d.prePrepares.set(seq, record.prePrepare);
        d.prePreparedClaims.push({ view, seq, digest }); // an earlier view's too: the next view-change claims it
        break;
      }
      case "prePrepared":
        for (const claim of record.claims) if (above(claim.seq)) d.prePreparedClaims.push(claim);
        break;
      case "prepared": {
        const pp = record.certificate.prePrepare;
        const held = d.prepared.get(pp.seq);
        if (pp.seq > (d.checkpoint?.seq ?? 0) && (held === undefined || held.prePrepare.view <= pp.view)) d.prepared.set(pp.seq, record.certificate);
        break;
      }
      case "evidence":
        if (!d.evidence.some((e) => e.first.replica === record.evidence.first.replica)) d.evidence.push(record.evidence);
        break;
      case "dispute":
        keepDispute(d, record.statement);
        break;
      case "committed":
        if (record.prePrepare.seq > (d.checkpoint?.seq ?? 0)) d.committed.set(record.prePrepare.seq, record.prePrepare);
        break;
    }
  }
  return d;
}

/** A `dispute` record: kept when at or above the checkpoint, once per signer and sequence number. */
function keepDispute(d: DurableReplica, cp: Checkpoint): void {
  if (cp.seq >= (d.checkpoint?.seq ?? 0) && !d.disputes.some((held) => held.replica === cp.replica && held.seq === cp.seq)) d.disputes.push(cp);
}

import { createCodec, s, type Codec, type Schema } from "@synod/core";
import type { MisbehaviourEvidence } from "./evidence.js";
import { signedStatementSchema } from "./messages.js";
import { checkpointCertificateSchema } from "./messages.js";
import { certificateSchema, checkpointSchema, MAX_SET_WIRE, MAX_STATE_BYTES, newViewSchema, prePrepareSchema, viewChangeSchema } from "./messages.js";
import { prePreparedClaimsSchema } from "./messages.js";
import type { Checkpoint, CheckpointCertificate, NewView, PrePrepare, PrePreparedClaim, PreparedCertificate, ViewChange } from "./messages.js";

/**
 * A durable record of a replica. What a replica has said must survive its crashes, or a restarted
 * replica could contradict itself (prepare d' where it prepared d) and count against f. Replaying a
 * replica's records in order rebuilds its durable state (recovery.ts):
 * - `checkpoint`: a stable checkpoint — its sequence number, the 2f+1 signed checkpoint messages
 *   proving it (`threshold` certificate mode: none, and its `certificate` instead), and the state
 *   there (the service and the last-reply table). Written as a compaction.
 * - `viewChange`: the replica left its view for `viewChange.view` and sent this (its own, signed);
 * - `newView`: the replica started `view` (a new-view was accepted or sent), with that new-view when
 *   it has it: a replica still changing to `view` after everyone restarted is shown it (absent only
 *   after a compaction by a replica that recovered without it, from records written before it was kept);
 * - `prePrepare`: the replica accepted this pre-prepare of the current view (a backup sent its
 *   prepare for it; the primary sent it);
 * - `prePrepared` (`macs` mode): the replica's Q set as a compaction found it — what it pre-prepared
 *   above its checkpoint, in any view. Its view-changes must keep claiming these after a restart:
 *   the new primary decides a sequence number on f+1 such claims (rule A2), and a replica of the
 *   prepare quorum that forgot its claim may leave it undecided for good (seed 165 of the pbft-mac
 *   chaos run). The `prePrepare` records since count as well, whatever their view;
 * - `prepared`: the replica prepared (certificate) and sent its commit;
 * - `committed`: the replica committed and executed this batch at its sequence number;
 * - `evidence`: the replica holds this proof that `evidence.first.replica` is faulty (it forwarded
 *   it and skips the culprit as primary: after a restart it must still);
 * - `dispute`: the replica forwards this peer's checkpoint as disputed (dispute-outbox.ts) until
 *   every peer acknowledges it: after a restart it forwards it again.
 */
export type PbftRecord =
  | {
      readonly type: "checkpoint";
      readonly seq: number;
      readonly proof: readonly Checkpoint[];
      readonly certificate?: CheckpointCertificate | undefined;
      readonly state: Uint8Array;
    }
  | { readonly type: "viewChange"; readonly viewChange: ViewChange }
  | { readonly type: "newView"; readonly view: number; readonly newView?: NewView | undefined }
  | { readonly type: "prePrepare"; readonly prePrepare: PrePrepare }
  | { readonly type: "prePrepared"; readonly claims: readonly PrePreparedClaim[] }
  | { readonly type: "prepared"; readonly certificate: PreparedCertificate }
  | { readonly type: "committed"; readonly prePrepare: PrePrepare }
  | { readonly type: "evidence"; readonly evidence: MisbehaviourEvidence }
  | { readonly type: "dispute"; readonly statement: Checkpoint };

/** Schema of a {@link PbftRecord}. */
export const pbftRecordSchema: Schema<PbftRecord> = s.variant("type", {
  checkpoint: {
    seq: s.uint(),
    proof: s.array(checkpointSchema, { maxLength: MAX_SET_WIRE }),
    certificate: s.optional(checkpointCertificateSchema),
    state: s.bytes({ maxLength: MAX_STATE_BYTES }),
  },
  viewChange: { viewChange: viewChangeSchema },
  newView: { view: s.uint(), newView: s.optional(newViewSchema) },
  prePrepare: { prePrepare: prePrepareSchema },
  prePrepared: { claims: prePreparedClaimsSchema },
  prepared: { certificate: certificateSchema },
  committed: { prePrepare: prePrepareSchema },
  evidence: { evidence: s.object({ first: signedStatementSchema, second: signedStatementSchema }) },
  dispute: { statement: checkpointSchema },
}) as Schema<PbftRecord>;

/** The validating codec of durable records (8 MiB: a checkpoint with its state, or a view-change with full certificates). */
export const pbftRecordCodec: Codec<PbftRecord> = createCodec(pbftRecordSchema, { maxBytes: 8 << 20 });

import type { NodeId } from "@synod/core";
import { batchDigest, checkpointCertificateStatement, PBFT_SIM_CONFIG, preparedCertificateStatement, primaryOf, sign, simulationKeys } from "@synod/pbft";
import type { Checkpoint, PbftMessage, PbftThresholdKeys, PrePrepare, PreparedCertificate, ViewChange } from "@synod/pbft";
import { MAX_REPLAY_BUFFER, type Adversary } from "./adversary.js";

/** The simulated replicas' log window: a made-up certificate claims the checkpoint a window above its real one, past what anyone executed. */
const AHEAD = PBFT_SIM_CONFIG.windowSize ?? 32;

/**
 * `bad-share` (drawn on `pbft-threshold`): lies with its threshold share, every message validly
 * signed with its own key (it holds its own share and nobody else's).
 * - Its checkpoints carry, alternately, its valid share of another state digest (a partial of a
 *   statement the checkpoint does not make) and bytes that are no partial at all: correct replicas
 *   must refuse the share (`bad-share`) and still combine the correct replicas' q.
 * - Its view-changes claim a stable checkpoint a log window above its real one, for a made-up state
 *   digest, proven by a "certificate" whose signature is its own partial of that statement (one share,
 *   not q) — or, alternately, by its real certificate's group signature with the digest changed.
 *   Correct replicas must refuse them (`bad-threshold-signature`): accepted, the new view would
 *   start above sequence numbers that committed, from a state nobody has.
 * - Every third view-change instead keeps its real checkpoint and lies with prepared certificates
 *   (group signatures when authentication is `signatures`): at every sequence number it has seen
 *   in the window, the null request prepared in the latest view before the new one of which it is
 *   the primary — its own validly signed pre-prepare, "proven" by its own partial (one share, not
 *   q). Correct replicas must refuse them (`invalid-certificate`): accepted, the new view would
 *   re-propose the null request over batches that committed in earlier views.
 * - Its prepares carry, alternately, its valid share of another digest and bytes that are no
 *   partial: refused (`bad-share`), the correct replicas' shares still prepare.
 */
export function badShare(): Adversary<PbftMessage> {
  let lies = 0;
  let viewChanges = 0;
  let prepareLies = 0;
  const seen = new Set<number>();
  return {
    name: "bad-share",
    onSend(e, ctx) {
      const m = e.message;
      const keys = simulationKeys.thresholdKeysOf(e.from, ctx.members);
      const secretKey = simulationKeys.secretKeyOf(e.from);
      if (m.type === "prePrepare" || m.type === "prepare" || m.type === "commit") {
        if (!seen.has(m.seq) && seen.size >= MAX_REPLAY_BUFFER) seen.delete(seen.values().next().value as number);
        seen.add(m.seq);
      }
      if (m.type === "prepare" && m.share !== undefined) {
        const share =
          prepareLies++ % 2 === 0
            ? keys.scheme.signShare(keys.share, preparedCertificateStatement(m.view, m.seq, simulationKeys.provider.sha256(m.digest))).signature
            : m.share.map((byte, i) => byte ^ (i + 1));
        ctx.emit(e.to, { ...m, share });
        return;
      }
      if (m.type === "viewChange" && viewChanges++ % 3 === 2 && m.view > 0) {
        const lie = lieWithPrepared(m, e.from, ctx.members, keys, [...seen]);
        if (lie !== undefined) {
          ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, secretKey, lie));
          return;
        }
      }
      if (m.type === "checkpoint" && m.share !== undefined) {
        const otherDigest = simulationKeys.provider.sha256(m.stateDigest);
        const share =
          lies++ % 2 === 0
            ? keys.scheme.signShare(keys.share, checkpointCertificateStatement(m.seq, otherDigest)).signature
            : m.share.map((byte, i) => byte ^ (i + 1));
        const { sig: _sig, ...rest } = m;
        ctx.emit(e.to, sign<Checkpoint>(simulationKeys.provider, secretKey, { ...rest, share }));
        return;
      }
      if (m.type === "viewChange") {
        const real = m.checkpointCertificate;
        const madeUp = simulationKeys.provider.sha256(new Uint8Array([lies & 0xff, m.view & 0xff]));
        const above = m.stableSeq + AHEAD;
        const ownPartial = (): Uint8Array => keys.scheme.signShare(keys.share, checkpointCertificateStatement(above, madeUp)).signature;
        const certificate =
          real !== undefined && lies++ % 2 === 0
            ? { seq: real.seq, stateDigest: madeUp, signature: real.signature }
            : { seq: above, stateDigest: madeUp, signature: ownPartial() };
        const { sig: _sig, ...rest } = m;
        // Its prepared certificates at or below the claimed checkpoint go (a well-formed view-change has none there).
        const prepared = m.prepared.filter((cert) => cert.prePrepare.seq > certificate.seq);
        const lie = { ...rest, stableSeq: certificate.seq, checkpointProof: [], checkpointCertificate: certificate, prepared };
        ctx.emit(e.to, sign<ViewChange>(simulationKeys.provider, secretKey, lie));
        return;
      }
      ctx.emit(e.to, m);
    },
  };
}

const NULL_DIGEST = batchDigest(simulationKeys.provider, []);

/**
 * The prepared-certificate lie of {@link badShare}: `m` (unsigned) with, at every sequence number of
 * `seen` in its window, the null request prepared in the latest view below `m.view` whose primary
 * is `self` (it signs that pre-prepare itself), the group signature replaced by its own partial.
 * Only where prepared certificates are group signatures (a real one carries `signature`, or it
 * prepared nothing: then the lie is told whenever it has seen a sequence number).
 * @returns the lie, or undefined (no view of its own below, nothing seen in the window, or plain certificates)
 */
function lieWithPrepared(
  m: ViewChange,
  self: NodeId,
  members: readonly NodeId[],
  keys: PbftThresholdKeys,
  seen: readonly number[],
): Omit<ViewChange, "sig"> | undefined {
  if (m.prepared.some((cert) => cert.signature === undefined) || m.preparedClaims.length > 0 || m.prePrepared.length > 0) return undefined;
  let view = m.view - 1;
  while (view >= 0 && primaryOf(members, view) !== self) view--;
  const window = PBFT_SIM_CONFIG.windowSize ?? 32;
  const seqs = seen.filter((seq) => seq > m.stableSeq && seq <= m.stableSeq + window).sort((x, y) => x - y);
  if (view < 0 || seqs.length === 0) return undefined;
  const secretKey = simulationKeys.secretKeyOf(self);
  const forged = (seq: number): PreparedCertificate => {
    const unsigned = { type: "prePrepare" as const, view, seq, digest: NULL_DIGEST, requests: [], replica: self };
    const prePrepare = sign<PrePrepare>(simulationKeys.provider, secretKey, unsigned);
    return { prePrepare, prepares: [], signature: keys.scheme.signShare(keys.share, preparedCertificateStatement(view, seq, NULL_DIGEST)).signature };
  };
  const lied = new Set(seqs);
  const kept = m.prepared.filter((cert) => !lied.has(cert.prePrepare.seq));
  const prepared = [...kept, ...seqs.map(forged)].sort((x, y) => x.prePrepare.seq - y.prePrepare.seq);
  const { sig: _sig, ...rest } = m;
  return { ...rest, prepared };
}

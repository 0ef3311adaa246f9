import { checkpointCertificateStatement, PBFT_SIM_CONFIG, sign, simulationKeys, type Checkpoint, type PbftMessage, type ViewChange } from "@synod/pbft";
import type { Adversary } from "./adversary.js";

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
 */
export function badShare(): Adversary<PbftMessage> {
  let lies = 0;
  return {
    name: "bad-share",
    onSend(e, ctx) {
      const m = e.message;
      const keys = simulationKeys.thresholdKeysOf(e.from, ctx.members);
      const secretKey = simulationKeys.secretKeyOf(e.from);
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

import { combinePartialSignatures, dealThresholdKey, seededRandomBytes, signShare, verifyThresholdSignature } from "@synod/security";
import { nodeProvider } from "@synod/security/node";
import type { BenchRow, BenchSuite } from "../harness.js";
import { measureOpsPerSec } from "./security.js";

/**
 * What a threshold-signature mode would change for PBFT's certificates (a checkpoint or view-change
 * certificate is 2f+1 signed messages): the signatures' size and the time to verify them, as 2f+1
 * Ed25519 signatures (node:crypto) against one BLS12-381 threshold signature combined from 2f+1
 * partial signatures (@noble/curves, pure JS). Figures only: PBFT itself does not have this mode.
 * Certificate bytes count signatures and 2-byte replica indices, not the signed messages.
 */
export const suite: BenchSuite = {
  name: "threshold-certificates",
  description: "PBFT certificate signatures: 2f+1 Ed25519 vs one BLS threshold signature (size, verify time)",
  async run({ quick }) {
    const rows: BenchRow[] = [];
    const message = new TextEncoder().encode("checkpoint seq=128 digest=...");
    const random = seededRandomBytes(77);
    for (const f of quick ? [1] : [1, 3, 10]) {
      const n = 3 * f + 1;
      const quorum = 2 * f + 1;
      const keys = Array.from({ length: quorum }, () => nodeProvider.generateKeyPair(random));
      const signatures = keys.map((k) => nodeProvider.sign(k.secretKey, message));
      const plain = measureOpsPerSec(() => keys.forEach((k, i) => nodeProvider.verify(k.publicKey, message, signatures[i]!)), quick ? 20 : 300, 3);
      const dealt = dealThresholdKey(quorum, n, random);
      if (!dealt.ok) throw dealt.error;
      const { group, shares } = dealt.value;
      const partials = shares.slice(0, quorum).map((share) => signShare(share, message));
      const combined = combinePartialSignatures(group, message, partials);
      if (!combined.ok) throw combined.error;
      const signature = combined.value.signature;
      const verify = measureOpsPerSec(() => verifyThresholdSignature(group, message, signature), quick ? 20 : 300, 2);
      const combine = measureOpsPerSec(() => combinePartialSignatures(group, message, partials), quick ? 20 : 300, 1);
      const ms = (us: number, digits: number): number => Number((us / 1000).toFixed(digits));
      rows.push({ name: `f=${f} (n=${n}), plain: ${quorum} x Ed25519`, certificateBytes: quorum * (64 + 2), verifyMs: ms(plain.meanUs, 3) });
      rows.push({ name: `f=${f} (n=${n}), threshold: 1 x BLS`, certificateBytes: 96, verifyMs: ms(verify.meanUs, 1), combineMs: ms(combine.meanUs, 1) });
    }
    return {
      rows,
      notes: [
        "combineMs: Lagrange interpolation of 2f+1 partial signatures plus one verification (optimistic path, all partials good),",
        "paid once by whoever forms the certificate.",
        "The threshold signature is constant-size; verifying it costs two pairings in pure JS, more than 2f+1 OpenSSL Ed25519 verifications at these sizes.",
      ],
    };
  },
};

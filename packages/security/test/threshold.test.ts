import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BLS_SCALAR_ORDER,
  blsSign,
  bytesToBigIntBE,
  combinePartialSignatures,
  dealThresholdKey,
  lagrangeCoefficientsAtZero,
  seededRandomBytes,
  signShare,
  verifyKeyShare,
  verifyPartialSignature,
  verifyThresholdSignature,
  type KeyShare,
  type PartialSignature,
} from "../src/index.js";

function deal(t: number, n: number, seed: number) {
  const dealt = dealThresholdKey(t, n, seededRandomBytes(seed));
  if (!dealt.ok) throw dealt.error;
  return dealt.value;
}

describe("t-of-n BLS threshold signatures", () => {
  it("any t valid shares combine to a signature valid under the group key; t-1 do not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: t, max: 4 }))).chain(([t, n]) => fc.tuple(fc.constant(t), fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: t, maxLength: t }))),
        fc.uint8Array({ maxLength: 32 }),
        ([t, n, chosen], message) => {
          const { group, shares } = deal(t, n, t * 100 + n);
          const partials = chosen.map((i) => signShare(shares[i]!, message));
          const combined = combinePartialSignatures(group, message, partials);
          expect(combined.ok).toBe(true);
          if (!combined.ok) return;
          expect(verifyThresholdSignature(group, message, combined.value.signature)).toBe(true);
          expect(verifyThresholdSignature(group, new Uint8Array([...message, 1]), combined.value.signature)).toBe(false);
          const fewer = combinePartialSignatures(group, message, partials.slice(0, t - 1));
          expect(fewer).toMatchObject({ ok: false, error: { reason: "insufficient-shares" } });
        },
      ),
      { seed: 61, numRuns: 5 },
    );
  });

  it("the combined signature equals a direct signature with the group secret (Lagrange in the exponent)", () => {
    // Recover the secret from the shares in the clear (test only) and sign with it directly.
    const { group, shares } = deal(3, 5, 62);
    const subset = [shares[4]!, shares[0]!, shares[2]!];
    const lambdas = lagrangeCoefficientsAtZero(subset.map((s) => s.index));
    let secret = 0n;
    subset.forEach((share, k) => (secret = (secret + lambdas[k]! * bytesToBigIntBE(share.secretKey)) % BLS_SCALAR_ORDER));
    const secretKey = new Uint8Array(32);
    for (let i = 31, x = secret; i >= 0; i--, x >>= 8n) secretKey[i] = Number(x & 0xffn);
    const message = new Uint8Array([4, 2]);
    const combined = combinePartialSignatures(group, message, shares.slice(1, 4).map((s) => signShare(s, message)));
    expect(combined.ok && combined.value.signature).toEqual(blsSign(secretKey, message));
  });

  it("a corrupted share makes combination fail with exactly t shares, naming it; with spares it is left out", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.nat(), fc.constantFrom("other-message", "other-share", "garbage"), (t, pick, corruption) => {
        const n = t + 1;
        const { group, shares } = deal(t, n, 63 + t);
        const message = new Uint8Array([7]);
        const partials: PartialSignature[] = shares.map((s) => signShare(s, message));
        const bad = pick % n;
        const corrupted: PartialSignature =
          corruption === "other-message" ? signShare(shares[bad]!, new Uint8Array([8]))
          : corruption === "other-share" ? { index: bad + 1, signature: partials[(bad + 1) % n]!.signature }
          : { index: bad + 1, signature: new Uint8Array(96).fill(0xab) };
        partials[bad] = { index: bad + 1, signature: corrupted.signature };
        expect(verifyPartialSignature(group, message, partials[bad]!)).toBe(false);
        const exact = [partials[bad]!, ...partials.filter((_, i) => i !== bad).slice(0, t - 1)];
        expect(combinePartialSignatures(group, message, exact)).toMatchObject({ ok: false, error: { reason: "bad-share", details: { badIndices: [bad + 1] } } });
        const withSpare = combinePartialSignatures(group, message, partials);
        expect(withSpare).toMatchObject({ ok: true, value: { rejectedIndices: [bad + 1] } });
        if (withSpare.ok) expect(verifyThresholdSignature(group, message, withSpare.value.signature)).toBe(true);
      }),
      { seed: 63, numRuns: 4 },
    );
  });

  it("shares check against the dealer's Feldman commitments; a tampered share is caught", () => {
    const { group, shares } = deal(2, 3, 64);
    for (const share of shares) expect(verifyKeyShare(group, share).ok).toBe(true);
    const tampered: KeyShare = { index: 1, secretKey: shares[1]!.secretKey };
    expect(verifyKeyShare(group, tampered)).toMatchObject({ ok: false, error: { reason: "bad-share" } });
  });

  it("bad parameters: t > n, t < 1, n too large, bad indices — typed errors", () => {
    const random = seededRandomBytes(65);
    expect(dealThresholdKey(4, 3, random)).toMatchObject({ ok: false, error: { code: "crypto", reason: "bad-parameters" } });
    expect(dealThresholdKey(0, 3, random)).toMatchObject({ ok: false, error: { reason: "bad-parameters" } });
    expect(dealThresholdKey(1.5, 3, random)).toMatchObject({ ok: false, error: { reason: "bad-parameters" } });
    expect(dealThresholdKey(1, 5000, random)).toMatchObject({ ok: false, error: { reason: "bad-parameters" } });
    const { group, shares } = deal(2, 3, 66);
    const message = new Uint8Array([1]);
    const good = signShare(shares[0]!, message);
    expect(combinePartialSignatures(group, message, [good, { index: 9, signature: good.signature }])).toMatchObject({ ok: false, error: { reason: "bad-share", details: { badIndices: [9] } } });
    expect(combinePartialSignatures(group, message, [good, good])).toMatchObject({ ok: false, error: { reason: "insufficient-shares" } });
    expect(() => lagrangeCoefficientsAtZero([1, 1])).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
  });
});

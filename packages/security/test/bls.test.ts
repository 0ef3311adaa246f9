import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateBlsSignatures,
  blsProvePossession,
  blsPublicKey,
  blsSign,
  blsVerify,
  fromHex,
  generateBlsKeyPair,
  parseBlsPublicKey,
  parseBlsSignature,
  seededRandomBytes,
  toHex,
  verifyBlsAggregate,
  verifyBlsAggregateDistinct,
  verifyBlsPossession,
  type VerifiedBlsPublicKey,
} from "../src/index.js";
import { flipBit } from "./helpers.js";
import { BLS_AGGREGATE_56, BLS_PUBLIC_KEYS, BLS_SECRET_KEYS, BLS_SIGNATURE_00_KEY0, BLS_SIGNATURES_56 } from "./vectors.js";

const M56 = new Uint8Array(32).fill(0x56);
const M00 = new Uint8Array(32);

function verified(secretKey: Uint8Array): VerifiedBlsPublicKey {
  const result = verifyBlsPossession(blsPublicKey(secretKey), blsProvePossession(secretKey));
  if (!result.ok) throw result.error;
  return result.value;
}

describe("BLS12-381 known answers (Ethereum consensus-spec vectors, POP ciphersuite)", () => {
  it("public keys from secret keys", () => {
    BLS_SECRET_KEYS.forEach((sk, i) => expect(toHex(blsPublicKey(fromHex(sk)))).toBe(BLS_PUBLIC_KEYS[i]));
  });
  it("sign and verify", () => {
    BLS_SECRET_KEYS.forEach((sk, i) => {
      const signature = blsSign(fromHex(sk), M56);
      expect(toHex(signature)).toBe(BLS_SIGNATURES_56[i]);
      expect(blsVerify(fromHex(BLS_PUBLIC_KEYS[i]!), M56, signature)).toBe(true);
    });
    expect(toHex(blsSign(fromHex(BLS_SECRET_KEYS[0]), M00))).toBe(BLS_SIGNATURE_00_KEY0);
    expect(blsVerify(fromHex(BLS_PUBLIC_KEYS[1]), M56, fromHex(BLS_SIGNATURES_56[0]))).toBe(false); // wrong key
  });
  it("aggregate, and fast-aggregate-verify with proofs of possession", () => {
    const aggregate = aggregateBlsSignatures(BLS_SIGNATURES_56.map(fromHex));
    expect(aggregate.ok && toHex(aggregate.value)).toBe(BLS_AGGREGATE_56);
    const keys = BLS_SECRET_KEYS.map((sk) => verified(fromHex(sk)));
    expect(verifyBlsAggregate(keys, M56, fromHex(BLS_AGGREGATE_56))).toBe(true);
    expect(verifyBlsAggregate(keys.slice(0, 2), M56, fromHex(BLS_AGGREGATE_56))).toBe(false);
    expect(verifyBlsAggregate(keys, M00, fromHex(BLS_AGGREGATE_56))).toBe(false);
  });
});

describe("BLS aggregate signatures", () => {
  it("sign -> verify holds and single-bit changes fail (few runs: pairings are slow)", () => {
    const random = seededRandomBytes(51);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(), (message, bit) => {
        const keys = generateBlsKeyPair(random);
        const signature = blsSign(keys.secretKey, message);
        expect(blsVerify(keys.publicKey, message, signature)).toBe(true);
        expect(blsVerify(keys.publicKey, flipBit(message, bit), signature)).toBe(false);
        expect(blsVerify(keys.publicKey, message, flipBit(signature, bit))).toBe(false);
        expect(blsVerify(flipBit(keys.publicKey, bit), message, signature)).toBe(false);
      }),
      { seed: 51, numRuns: 5 },
    );
  });

  it("stops the rogue-key attack: a key without a proof of possession is never accepted", () => {
    const random = seededRandomBytes(52);
    const honest = generateBlsKeyPair(random);
    const attacker = generateBlsKeyPair(random);
    // Rogue key pk' = pk_attacker − pk_honest: then pk_honest + pk' = pk_attacker, so the attacker
    // alone can produce an "aggregate" on behalf of both. Its proof of possession cannot be made.
    const honestPoint = parseBlsPublicKey(honest.publicKey);
    const attackerPoint = parseBlsPublicKey(attacker.publicKey);
    if (!honestPoint.ok || !attackerPoint.ok) throw new Error("setup");
    const rogue = attackerPoint.value.subtract(honestPoint.value).toBytes();
    const message = new Uint8Array([1]);
    const forged = blsSign(attacker.secretKey, message);
    // The attack works against naive aggregation (this is what PoP prevents)...
    expect(blsVerify(attacker.publicKey, message, forged)).toBe(true);
    // ...but the rogue key cannot pass verifyBlsPossession with the proofs the attacker can make (it lacks the secret of pk'),
    expect(verifyBlsPossession(rogue, blsProvePossession(attacker.secretKey))).toMatchObject({ ok: false, error: { reason: "bad-proof" } });
    // and unverified keys are refused by the aggregate verifier even if the caller forges the type.
    const fake = { publicKey: rogue } as VerifiedBlsPublicKey;
    expect(verifyBlsAggregate([verified(honest.secretKey), fake], message, forged)).toBe(false);
  });

  it("verifies aggregates over distinct messages and refuses repeated messages", () => {
    const random = seededRandomBytes(53);
    const a = generateBlsKeyPair(random);
    const b = generateBlsKeyPair(random);
    const ma = new Uint8Array([1]);
    const mb = new Uint8Array([2]);
    const aggregate = aggregateBlsSignatures([blsSign(a.secretKey, ma), blsSign(b.secretKey, mb)]);
    if (!aggregate.ok) throw aggregate.error;
    expect(verifyBlsAggregateDistinct([{ publicKey: a.publicKey, message: ma }, { publicKey: b.publicKey, message: mb }], aggregate.value)).toBe(true);
    expect(verifyBlsAggregateDistinct([{ publicKey: a.publicKey, message: mb }, { publicKey: b.publicKey, message: ma }], aggregate.value)).toBe(false);
    expect(verifyBlsAggregateDistinct([{ publicKey: a.publicKey, message: ma }, { publicKey: b.publicKey, message: ma }], aggregate.value)).toBe(false);
  });

  it("bad input: wrong lengths, points not on the curve, the identity — typed errors", () => {
    expect(parseBlsPublicKey(new Uint8Array(47))).toMatchObject({ ok: false, error: { code: "crypto", reason: "bad-length" } });
    expect(parseBlsSignature(new Uint8Array(95))).toMatchObject({ ok: false, error: { reason: "bad-length" } });
    // Compressed flag set, x = 4 is not the x of a G1 point of the subgroup (or not on the curve).
    const offCurve = new Uint8Array(48);
    offCurve[0] = 0x80;
    offCurve[47] = 4;
    expect(parseBlsPublicKey(offCurve)).toMatchObject({ ok: false, error: { reason: "not-on-curve" } });
    const identity = new Uint8Array(48);
    identity[0] = 0xc0;
    expect(parseBlsPublicKey(identity)).toMatchObject({ ok: false, error: { reason: "small-order" } });
    const garbage = new Uint8Array(96).fill(0xff);
    expect(parseBlsSignature(garbage)).toMatchObject({ ok: false, error: { reason: "not-on-curve" } });
    expect(blsVerify(offCurve, M56, garbage)).toBe(false);
    expect(aggregateBlsSignatures([])).toMatchObject({ ok: false, error: { reason: "bad-parameters" } });
    expect(aggregateBlsSignatures([fromHex(BLS_SIGNATURES_56[0]), garbage])).toMatchObject({ ok: false, error: { reason: "not-on-curve", details: { index: 1 } } });
    expect(() => blsSign(new Uint8Array(32), M56)).toThrow(expect.objectContaining({ reason: "non-canonical" }));
    expect(() => blsSign(new Uint8Array(32).fill(0xff), M56)).toThrow(expect.objectContaining({ reason: "non-canonical" }));
  });
});

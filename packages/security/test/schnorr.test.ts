import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkKnowledge, nobleProvider, proveKnowledge, seededRandomBytes, utf8, verifyKnowledge } from "../src/index.js";
import { flipBit } from "./helpers.js";

describe("Schnorr proof of knowledge (Fiat–Shamir over Ed25519)", () => {
  it("completeness and soundness against tampering: valid proofs verify; any bit flip of proof, key or context fails", () => {
    const random = seededRandomBytes(31);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.constantFrom("proof", "key", "context"), (context, bit, target) => {
        const keys = nobleProvider.generateKeyPair(random);
        const proof = proveKnowledge(keys.secretKey, context, random);
        expect(verifyKnowledge(keys.publicKey, context, proof)).toBe(true);
        if (target === "proof") expect(verifyKnowledge(keys.publicKey, context, flipBit(proof, bit))).toBe(false);
        if (target === "key") expect(verifyKnowledge(flipBit(keys.publicKey, bit), context, proof)).toBe(false);
        if (target === "context") expect(verifyKnowledge(keys.publicKey, flipBit(context, bit), proof)).toBe(false);
      }),
      { seed: 31, numRuns: 40 },
    );
  });

  it("is bound to the key: a proof for one key does not verify for another", () => {
    const random = seededRandomBytes(32);
    const a = nobleProvider.generateKeyPair(random);
    const b = nobleProvider.generateKeyPair(random);
    const proof = proveKnowledge(a.secretKey, utf8("ctx"), random);
    expect(checkKnowledge(b.publicKey, utf8("ctx"), proof)?.reason).toBe("bad-proof");
    expect(checkKnowledge(a.publicKey, utf8("ctx"), proof)).toBeUndefined();
  });

  it("rejects malformed proofs with typed reasons, without throwing", () => {
    const keys = nobleProvider.generateKeyPair(seededRandomBytes(33));
    expect(checkKnowledge(keys.publicKey, utf8("c"), new Uint8Array(63))?.reason).toBe("bad-length");
    // z = 2^256 - 1 >= L: non-canonical scalar
    const proof = proveKnowledge(keys.secretKey, utf8("c"), seededRandomBytes(1));
    proof.fill(0xff, 32);
    expect(verifyKnowledge(keys.publicKey, utf8("c"), proof)).toBe(false);
    expect(() => proveKnowledge(new Uint8Array(31), utf8("c"), seededRandomBytes(1))).toThrow(expect.objectContaining({ reason: "bad-length" }));
  });
});

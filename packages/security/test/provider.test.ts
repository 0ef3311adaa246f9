import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromHex, seededRandomBytes, toHex } from "../src/index.js";
import { flipBit, PROVIDERS } from "./helpers.js";
import { RFC4231_VECTORS } from "./vectors.js";

const SEED = 0x5ec0;

describe.each(PROVIDERS)("CryptoProvider contract: %s", (_name, provider) => {
  it("HMAC-SHA256 matches RFC 4231 test cases 1-7 (case 5 compared on its published 128 bits)", () => {
    for (const vector of RFC4231_VECTORS) {
      const mac = provider.hmacSha256(fromHex(vector.key), fromHex(vector.data));
      expect(mac.length, vector.name).toBe(32);
      expect(toHex(mac.subarray(0, vector.mac.length / 2)), vector.name).toBe(vector.mac);
    }
  });

  it("SHA-256 of 'abc' is the FIPS 180-2 value", () => {
    expect(toHex(provider.sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("sign -> verify holds, and any single-bit change of message, signature or key fails", () => {
    const random = seededRandomBytes(SEED);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(), fc.constantFrom("message", "signature", "key"), (message, bit, target) => {
        const keys = provider.generateKeyPair(random);
        const signature = provider.sign(keys.secretKey, message);
        expect(signature.length).toBe(64);
        expect(provider.verify(keys.publicKey, message, signature)).toBe(true);
        if (target === "message") expect(provider.verify(keys.publicKey, flipBit(message, bit), signature)).toBe(false);
        if (target === "signature") expect(provider.verify(keys.publicKey, message, flipBit(signature, bit))).toBe(false);
        if (target === "key") expect(provider.verify(flipBit(keys.publicKey, bit), message, signature)).toBe(false);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it("proof of possession verifies for its key and context only", () => {
    const random = seededRandomBytes(SEED + 1);
    const keys = provider.generateKeyPair(random);
    const other = provider.generateKeyPair(random);
    const context = new TextEncoder().encode("n1");
    const proof = provider.provePossession(keys.secretKey, context, random);
    expect(provider.verifyPossession(keys.publicKey, context, proof)).toBe(true);
    expect(provider.verifyPossession(other.publicKey, context, proof)).toBe(false);
    expect(provider.verifyPossession(keys.publicKey, new TextEncoder().encode("n2"), proof)).toBe(false);
    expect(provider.verifyPossession(keys.publicKey, context, flipBit(proof, 3))).toBe(false);
  });

  it("shared secrets agree on both sides and differ between pairs", () => {
    const random = seededRandomBytes(SEED + 2);
    const a = provider.generateKeyPair(random);
    const b = provider.generateKeyPair(random);
    const c = provider.generateKeyPair(random);
    expect(toHex(provider.sharedSecret(a.secretKey, b.publicKey))).toBe(toHex(provider.sharedSecret(b.secretKey, a.publicKey)));
    expect(toHex(provider.sharedSecret(a.secretKey, b.publicKey))).not.toBe(toHex(provider.sharedSecret(a.secretKey, c.publicKey)));
  });

  it("bad input: wrong-length keys and signatures are typed errors or false, never library exceptions", () => {
    const keys = provider.generateKeyPair(seededRandomBytes(SEED + 3));
    const message = new Uint8Array([1, 2, 3]);
    const signature = provider.sign(keys.secretKey, message);
    for (const length of [0, 31, 33, 64]) {
      expect(() => provider.sign(new Uint8Array(length), message)).toThrow(expect.objectContaining({ code: "crypto", reason: "bad-length" }));
      expect(provider.verify(new Uint8Array(length), message, signature)).toBe(false);
      expect(provider.checkPublicKey(new Uint8Array(length))?.reason).toBe("bad-length");
    }
    for (const length of [0, 63, 65, 128]) {
      expect(provider.verify(keys.publicKey, message, new Uint8Array(length))).toBe(false);
      expect(provider.checkSignature(new Uint8Array(length))?.reason).toBe("bad-length");
    }
    expect(() => provider.sharedSecret(keys.secretKey, new Uint8Array(5))).toThrow(expect.objectContaining({ reason: "bad-length" }));
  });

  it("is deterministic: the same seed gives the same keys and signatures", () => {
    const first = provider.generateKeyPair(seededRandomBytes(77));
    const second = provider.generateKeyPair(seededRandomBytes(77));
    expect(toHex(first.publicKey)).toBe(toHex(second.publicKey));
    const message = new Uint8Array([9]);
    expect(toHex(provider.sign(first.secretKey, message))).toBe(toHex(provider.sign(second.secretKey, message)));
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as ed from "@noble/ed25519";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bigIntToBytesLE, bytesToBigIntLE, concatBytes, ED25519_GROUP_ORDER, fromHex, nobleProvider, seededRandomBytes, toHex } from "../src/index.js";
import { nodeProvider, nodeRandomBytes } from "../src/node.js";
import { flipBit } from "./helpers.js";

const SEED = 4242;

describe("node:crypto provider", () => {
  it("agrees with noble on random inputs: same public keys, same signatures, same verdicts", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 512 }), fc.nat(), (secretKey, message, bit) => {
        const publicKey = nodeProvider.getPublicKey(secretKey);
        expect(toHex(publicKey)).toBe(toHex(nobleProvider.getPublicKey(secretKey)));
        const signature = nodeProvider.sign(secretKey, message);
        expect(toHex(signature)).toBe(toHex(nobleProvider.sign(secretKey, message)));
        const tampered = flipBit(signature, bit);
        expect(nodeProvider.verify(publicKey, message, tampered)).toBe(nobleProvider.verify(publicKey, message, tampered));
        expect(nodeProvider.verify(publicKey, message, signature)).toBe(true);
        const key = new Uint8Array(message.slice(0, 64));
        expect(toHex(nodeProvider.hmacSha256(key, message))).toBe(toHex(nobleProvider.hmacSha256(key, message)));
        expect(toHex(nodeProvider.sha256(message))).toBe(toHex(nobleProvider.sha256(message)));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("agrees with noble on random 64-byte strings as signatures (nearly all malformed or invalid)", () => {
    const keys = nobleProvider.generateKeyPair(seededRandomBytes(SEED));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (signature, message) => {
        expect(nodeProvider.verify(keys.publicKey, message, signature)).toBe(nobleProvider.verify(keys.publicKey, message, signature));
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("agrees on adversarial inputs: small-order keys, and mixed-order R that only cofactored verification accepts", () => {
    const message = new Uint8Array([1, 2, 3]);
    // Identity key, R = identity, S = 0: OpenSSL alone would accept this for any message.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const trivial = new Uint8Array(64);
    trivial[0] = 1;
    expect(nodeProvider.verify(identity, message, trivial)).toBe(false);
    expect(nobleProvider.verify(identity, message, trivial)).toBe(false);
    // A Byzantine signer adds an order-8 point T to R: R' = rB + T, S = r + H(R' || A || M)·a.
    const secretKey = seededRandomBytes(SEED + 1)(32);
    const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey);
    const a = scalar % ED25519_GROUP_ORDER;
    const torsion = ed25519.Point.fromBytes(fromHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"));
    let checked = 0;
    for (let r = 11n; checked < 8; r += 1n) {
      const rPrime = ed25519.Point.BASE.multiply(r).add(torsion).toBytes();
      const k = bytesToBigIntLE(sha512(concatBytes(rPrime, pointBytes, message))) % ED25519_GROUP_ORDER;
      const signature = concatBytes(rPrime, bigIntToBytesLE((r + k * a) % ED25519_GROUP_ORDER, 32));
      // Not vacuous: the cofactored equation (what @noble/ed25519's own verify checks) accepts it.
      expect(ed.verify(signature, message, pointBytes, { zip215: false })).toBe(true);
      expect(nodeProvider.verify(pointBytes, message, signature)).toBe(false);
      expect(nobleProvider.verify(pointBytes, message, signature)).toBe(false);
      checked += 1;
    }
  });

  it("nodeRandomBytes returns the requested number of bytes, differing between calls", () => {
    const a = nodeRandomBytes(32);
    expect(a.length).toBe(32);
    expect(toHex(a)).not.toBe(toHex(nodeRandomBytes(32)));
  });
});

import { describe, expect, it } from "vitest";
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { bigIntToBytesLE, bytesToBigIntLE, checkedX25519, concatBytes, ED25519_GROUP_ORDER, fromHex, nobleProvider, toHex } from "../src/index.js";
import { nodeProvider } from "../src/node.js";
import { RFC8032_VECTORS } from "./vectors.js";

describe.each([
  ["noble", nobleProvider],
  ["node", nodeProvider],
] as const)("Ed25519 RFC 8032 known answers: %s", (_name, provider) => {
  it.each(RFC8032_VECTORS.map((v) => [v.name, v] as const))("%s: public key, signature and verification", (_vector, vector) => {
    const secretKey = fromHex(vector.secretKey);
    const message = fromHex(vector.message);
    expect(toHex(provider.getPublicKey(secretKey))).toBe(vector.publicKey);
    const signature = provider.sign(secretKey, message);
    expect(toHex(signature)).toBe(vector.signature);
    expect(provider.verify(fromHex(vector.publicKey), message, signature)).toBe(true);
  });

  it("rejects a non-canonical signature (S + L, which a lax verifier would accept)", () => {
    const vector = RFC8032_VECTORS[0];
    const signature = fromHex(vector.signature);
    const s = bytesToBigIntLE(signature.subarray(32));
    const malleated = signature.slice();
    malleated.set(bigIntToBytesLE(s + ED25519_GROUP_ORDER, 32), 32);
    expect(provider.checkSignature(malleated)?.reason).toBe("non-canonical");
    expect(provider.verify(fromHex(vector.publicKey), fromHex(vector.message), malleated)).toBe(false);
  });

  it("strict policy: refuses a small-order R even when the cofactorless equation holds", () => {
    // A key holder signs with R = the identity: S = k·a, so [S]B = [k]A = R + [k]A holds exactly.
    const seed = fromHex(RFC8032_VECTORS[0].secretKey);
    const publicKey = fromHex(RFC8032_VECTORS[0].publicKey);
    const message = fromHex("72");
    const R = ed25519.Point.ZERO.toBytes();
    const a = bytesToBigIntLE(clampedScalar(seed)) % ED25519_GROUP_ORDER;
    const k = bytesToBigIntLE(sha512(concatBytes(R, publicKey, message))) % ED25519_GROUP_ORDER;
    const S = (k * a) % ED25519_GROUP_ORDER;
    const holds = ed25519.Point.BASE.multiply(S).equals(ed25519.Point.fromBytes(publicKey).multiply(k));
    expect(holds).toBe(true);
    expect(provider.verify(publicKey, message, concatBytes(R, bigIntToBytesLE(S, 32)))).toBe(false);
  });

  it("rejects a non-canonical R encoding (y >= p)", () => {
    const vector = RFC8032_VECTORS[1];
    const signature = fromHex(vector.signature);
    signature.set(fromHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 0);
    expect(provider.checkSignature(signature)?.reason).toBe("non-canonical");
    expect(provider.verify(fromHex(vector.publicKey), fromHex(vector.message), signature)).toBe(false);
  });

  it("rejects public keys off the curve, non-canonical or of small order", () => {
    // y = 2 is not the y of any Ed25519 point (x² would be a non-residue).
    const offCurve = new Uint8Array(32);
    offCurve[0] = 2;
    expect(provider.checkPublicKey(offCurve)?.reason).toBe("not-on-curve");
    // The identity (0, 1) and the order-2 point (0, -1) are small-order keys.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expect(provider.checkPublicKey(identity)?.reason).toBe("small-order");
    expect(provider.checkPublicKey(fromHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))?.reason).toBe("small-order");
    expect(provider.checkPublicKey(fromHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))?.reason).toBe("non-canonical");
    expect(provider.checkPublicKey(fromHex(RFC8032_VECTORS[0].publicKey))).toBeUndefined();
  });
});

/** The RFC 8032 secret scalar of a seed: the clamped first half of SHA-512(seed), little-endian bytes. */
function clampedScalar(seed: Uint8Array): Uint8Array {
  const h = sha512(seed).slice(0, 32);
  h[0]! &= 248;
  h[31]! &= 127;
  h[31]! |= 64;
  return h;
}

describe("checkedX25519", () => {
  it("refuses an all-zero shared secret with small-order, whatever the implementation returns", () => {
    const allZero = (): Uint8Array => new Uint8Array(32);
    expect(() => checkedX25519(allZero, new Uint8Array(32), new Uint8Array(32))).toThrow(expect.objectContaining({ reason: "small-order" }));
  });
});

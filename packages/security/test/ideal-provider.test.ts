import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { concatBytes, createIdealProvider, seededRandomBytes, toHex, utf8 } from "../src/index.js";

describe("ideal-signature provider", () => {
  it("a node without the secret key cannot produce a signature that verifies (exhaustive over its own keys)", () => {
    const ideal = createIdealProvider(seededRandomBytes(1));
    const random = seededRandomBytes(2);
    const honest = ideal.generateKeyPair(random);
    const byzantine = ideal.generateKeyPair(random);
    const message = new Uint8Array([1, 2, 3]);
    // The adversary signs with its own key and tries to pass it off as the honest node's.
    expect(ideal.verify(honest.publicKey, message, ideal.sign(byzantine.secretKey, message))).toBe(false);
    // Nor can it use the honest node's public key as a secret key.
    expect(ideal.verify(honest.publicKey, message, ideal.sign(honest.publicKey, message))).toBe(false);
    expect(ideal.verify(honest.publicKey, message, ideal.sign(honest.secretKey, message))).toBe(true);
  });

  it("signatures from one simulation's registry do not verify in another's", () => {
    const a = createIdealProvider(seededRandomBytes(1));
    const b = createIdealProvider(seededRandomBytes(3));
    const secretKey = seededRandomBytes(4)(32);
    const message = new Uint8Array([7]);
    expect(b.verify(b.getPublicKey(secretKey), message, a.sign(secretKey, message))).toBe(false);
  });

  it("is reproducible from the seed", () => {
    const a = createIdealProvider(seededRandomBytes(5));
    const b = createIdealProvider(seededRandomBytes(5));
    const secretKey = seededRandomBytes(6)(32);
    expect(toHex(a.sign(secretKey, new Uint8Array([1])))).toBe(toHex(b.sign(secretKey, new Uint8Array([1]))));
  });

  it("rejects signatures whose padding is not zero", () => {
    const ideal = createIdealProvider(seededRandomBytes(7));
    const keys = ideal.generateKeyPair(seededRandomBytes(8));
    const signature = ideal.sign(keys.secretKey, new Uint8Array([1]));
    signature[63] = 1;
    expect(ideal.checkSignature(signature)?.reason).toBe("non-canonical");
    expect(ideal.verify(keys.publicKey, new Uint8Array([1]), signature)).toBe(false);
  });
  it("is its documented model: public key HMAC(master, pk-label ‖ secret key), signature HMAC(master, sig-label ‖ public key ‖ message) padded with zeros, and SHA-256", () => {
    const master = seededRandomBytes(5)(32);
    const ideal = createIdealProvider(seededRandomBytes(5));
    const keys = ideal.generateKeyPair(seededRandomBytes(6));
    const publicKey = hmac(sha256, master, concatBytes(utf8("synod/ideal/pk"), keys.secretKey));
    expect(toHex(keys.publicKey)).toBe(toHex(publicKey));
    for (const message of [new Uint8Array(0), new Uint8Array([1, 2, 3]), new Uint8Array(200).fill(9)]) {
      const mac = hmac(sha256, master, concatBytes(utf8("synod/ideal/sig"), publicKey, message));
      // Signed twice with the same key array: the second signature comes through the memoised public key.
      for (let i = 0; i < 2; i++) expect(toHex(ideal.sign(keys.secretKey, message))).toBe(toHex(concatBytes(mac, new Uint8Array(32))));
    }
    for (const size of [0, 3, 55, 56, 64, 65, 200]) {
      const data = new Uint8Array(size).fill(size);
      for (let i = 0; i < 2; i++) expect(toHex(ideal.sha256(data))).toBe(toHex(sha256(data)));
    }
    keys.secretKey[0] = (keys.secretKey[0] as number) ^ 1; // a key changed in place is looked up afresh
    const changed = hmac(sha256, master, concatBytes(utf8("synod/ideal/pk"), keys.secretKey));
    expect(toHex(ideal.getPublicKey(keys.secretKey))).toBe(toHex(changed));
  });

  it("hmacSha256 is HMAC-SHA256 under any key, reused or changed in place (the keyed state is memoised per key array)", () => {
    const ideal = createIdealProvider(seededRandomBytes(5));
    for (const keySize of [0, 16, 32, 64, 65, 100]) {
      const key = seededRandomBytes(keySize + 1)(keySize);
      for (const size of [0, 3, 55, 56, 64, 65, 200]) {
        const data = new Uint8Array(size).fill(size);
        for (let i = 0; i < 2; i++) expect(toHex(ideal.hmacSha256(key, data))).toBe(toHex(hmac(sha256, key, data)));
      }
      if (keySize === 0) continue;
      key[0] = (key[0] as number) ^ 1; // a key changed in place is keyed afresh
      expect(toHex(ideal.hmacSha256(key, utf8("x")))).toBe(toHex(hmac(sha256, key, utf8("x"))));
    }
  });
});

import { describe, expect, it } from "vitest";
import { createIdealProvider, seededRandomBytes, toHex, type CryptoProvider } from "@synod/security";
import type { PbftKeys } from "../src/keys.js";
import type { Request } from "../src/messages.js";
import { requestDigest, requestStatement } from "../src/signing.js";
import { VerifiedRequests } from "../src/verified-requests.js";

/** An ideal provider that counts its verifications. */
function counting(): { provider: CryptoProvider; verifications: () => number } {
  const inner = createIdealProvider(seededRandomBytes(3));
  let count = 0;
  const provider: CryptoProvider = {
    ...inner,
    verify(publicKey, message, signature) {
      count++;
      return inner.verify(publicKey, message, signature);
    },
  };
  return { provider, verifications: () => count };
}

describe("VerifiedRequests: a replica checks each client request once", () => {
  const { provider, verifications } = counting();
  const random = seededRandomBytes(4);
  let client7 = provider.generateKeyPair(random);
  const keys: PbftKeys = { provider, secretKey: new Uint8Array(32), replicaKey: () => undefined, clientKey: (c) => (c === 7 ? client7.publicKey : undefined) };
  const signed = (timestamp: number, command: Uint8Array): Request => {
    const sig = provider.sign(client7.secretKey, requestStatement({ client: 7, timestamp, command }));
    return { client: 7, timestamp, command, sig, proxy: "n1" };
  };

  it("verifies a request, then answers for the same request (another copy, another proxy) without verifying again", () => {
    const verified = new VerifiedRequests(keys);
    const request = signed(1, new Uint8Array([1, 2, 3]));
    expect(verified.verify(request)).toBe(true);
    const before = verifications();
    const copy = { ...request, command: request.command.slice(), sig: request.sig.slice(), proxy: "n2" };
    expect(verified.verify(copy)).toBe(true);
    expect(verifications()).toBe(before);
    expect(toHex(verified.digest(copy))).toBe(toHex(requestDigest(provider, request)));
  });

  it("verifies afresh, and refuses, a forged signature, a changed command or timestamp of a request it has checked", () => {
    const verified = new VerifiedRequests(keys);
    const request = signed(2, new Uint8Array([4]));
    expect(verified.verify(request)).toBe(true);
    const forgedSig = request.sig.slice();
    forgedSig[0] = (forgedSig[0] as number) ^ 1;
    const before = verifications();
    expect(verified.verify({ ...request, sig: forgedSig })).toBe(false);
    expect(verified.verify({ ...request, command: new Uint8Array([5]) })).toBe(false);
    expect(verified.verify({ ...request, timestamp: 3 })).toBe(false);
    expect(verifications()).toBe(before + 3);
    expect(verified.verify(request)).toBe(true); // the checked one is still remembered
    expect(verifications()).toBe(before + 3);
    expect(verified.verify({ ...request, client: 8 })).toBe(false); // no key: refused without a verification
  });

  it("verifies again once the client's key has changed, and refuses what the old key signed", () => {
    const verified = new VerifiedRequests(keys);
    const request = signed(4, new Uint8Array([6]));
    expect(verified.verify(request)).toBe(true);
    client7 = provider.generateKeyPair(random);
    expect(verified.verify(request)).toBe(false);
    expect(verified.verify(signed(4, new Uint8Array([6])))).toBe(true);
  });

  it("gives the digest of a request it never verified (the batch digest does not depend on the check)", () => {
    const verified = new VerifiedRequests(keys);
    const unsigned: Request = { client: 9, timestamp: 1, command: new Uint8Array([7]), sig: new Uint8Array(64), proxy: "n3" };
    expect(toHex(verified.digest(unsigned))).toBe(toHex(requestDigest(provider, unsigned)));
  });
});

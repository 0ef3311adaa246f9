import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeMac,
  createAuthenticator,
  createIdentity,
  derivePairwiseKeys,
  PairwiseKeyTable,
  seededRandomBytes,
  toHex,
  verifyAuthenticator,
  verifyMac,
  type CryptoProvider,
} from "../src/index.js";
import { flipBit, PROVIDERS } from "./helpers.js";

function cluster(provider: CryptoProvider, n: number, seed: number) {
  const random = seededRandomBytes(seed);
  const identities = Array.from({ length: n }, (_, i) => createIdentity(provider, `n${i + 1}`, random));
  const tables = identities.map((self) => {
    const table = new PairwiseKeyTable(provider, self);
    for (const peer of identities) if (peer !== self) expect(table.addPeer(peer.nodeId, peer.publicKey).ok).toBe(true);
    return table;
  });
  return { identities, tables };
}

describe.each(PROVIDERS)("pairwise keys and MAC authenticators: %s", (_name, provider) => {
  it("pairwise keys agree across the pair, per direction, and differ between pairs", () => {
    const { identities } = cluster(provider, 3, 1);
    const [a, b, c] = identities as [never, never, never];
    const ab = derivePairwiseKeys(provider, a, "n2", (b as { publicKey: Uint8Array }).publicKey);
    const ba = derivePairwiseKeys(provider, b, "n1", (a as { publicKey: Uint8Array }).publicKey);
    const ac = derivePairwiseKeys(provider, a, "n3", (c as { publicKey: Uint8Array }).publicKey);
    expect(toHex(ab.sendKey)).toBe(toHex(ba.receiveKey));
    expect(toHex(ab.receiveKey)).toBe(toHex(ba.sendKey));
    expect(toHex(ab.sendKey)).not.toBe(toHex(ab.receiveKey));
    expect(toHex(ab.sendKey)).not.toBe(toHex(ac.sendKey));
  });

  it("authenticator vectors verify at every receiver; a tampered message or MAC fails", () => {
    const n = 4;
    const { tables } = cluster(provider, n, 2);
    fc.assert(
      fc.property(fc.nat({ max: n - 1 }), fc.uint8Array({ maxLength: 200 }), fc.nat(), (senderIndex, message, bit) => {
        const sender = tables[senderIndex]!;
        const receivers = tables.filter((t) => t !== sender);
        const auth = createAuthenticator(provider, sender, receivers.map((t) => t.nodeId), message);
        expect(Object.keys(auth.macs).length).toBe(n - 1);
        for (const receiver of receivers) {
          expect(verifyAuthenticator(provider, receiver, auth, message).ok).toBe(true);
          expect(verifyAuthenticator(provider, receiver, auth, flipBit(message, bit))).toMatchObject({ error: { reason: "bad-signature" } });
          const macs = { ...auth.macs, [receiver.nodeId]: flipBit(auth.macs[receiver.nodeId]!, bit) };
          expect(verifyAuthenticator(provider, receiver, { ...auth, macs }, message)).toMatchObject({ error: { reason: "bad-signature" } });
        }
      }),
      { seed: 9, numRuns: 20 },
    );
  });

  it("a MAC cannot be reflected or claimed by another sender", () => {
    const { tables } = cluster(provider, 3, 3);
    const [t1, t2, t3] = tables as [PairwiseKeyTable, PairwiseKeyTable, PairwiseKeyTable];
    const message = new Uint8Array([1]);
    const auth = createAuthenticator(provider, t1, ["n2", "n3"], message);
    // n2 relabels n1's authenticator as its own, to n3: keys differ, so it fails.
    expect(verifyAuthenticator(provider, t3, { ...auth, sender: "n2" }, message).ok).toBe(false);
    // Missing entry, unknown sender.
    expect(verifyAuthenticator(provider, t2, { sender: "n1", macs: {} }, message)).toMatchObject({ error: { reason: "bad-length" } });
    expect(verifyAuthenticator(provider, t2, { sender: "zz", macs: auth.macs }, message)).toMatchObject({ error: { reason: "unknown-signer" } });
    // Malformed shapes from a peer are typed errors, not exceptions.
    expect(verifyAuthenticator(provider, t2, { sender: "n1", macs: null } as never, message)).toMatchObject({ error: { reason: "bad-length" } });
    expect(verifyAuthenticator(provider, t2, { sender: "n1", macs: { n2: "x" } } as never, message)).toMatchObject({ error: { reason: "bad-length" } });
  });

  it("computeMac / verifyMac round trip and reject wrong lengths", () => {
    const key = new Uint8Array(32).fill(7);
    const mac = computeMac(provider, key, new Uint8Array([1, 2]));
    expect(verifyMac(provider, key, new Uint8Array([1, 2]), mac)).toBe(true);
    expect(verifyMac(provider, key, new Uint8Array([1, 2]), mac.subarray(0, 16))).toBe(false);
  });
});

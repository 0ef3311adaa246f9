import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIdentity, createKeyRegistration, Keyring, rotateIdentity, seededRandomBytes, utf8, type CryptoProvider } from "../src/index.js";
import { PROVIDERS } from "./helpers.js";

function setup(provider: CryptoProvider, seed: number) {
  const random = seededRandomBytes(seed);
  const keyring = new Keyring(provider, { maxNodes: 8, maxRetainedEpochs: 4 });
  const alice = createIdentity(provider, "alice", random);
  expect(keyring.register(createKeyRegistration(provider, alice, random)).ok).toBe(true);
  return { random, keyring, alice };
}

describe.each(PROVIDERS)("Keyring: %s", (_name, provider) => {
  it("registration needs a valid proof of possession bound to the node id", () => {
    const { random, keyring, alice } = setup(provider, 1);
    const mallory = createIdentity(provider, "mallory", random);
    // Mallory replays alice's registration under her own name: the proof is bound to "alice".
    const stolen = { ...createKeyRegistration(provider, alice, random), nodeId: "mallory" };
    expect(keyring.register(stolen)).toMatchObject({ ok: false, error: { reason: "bad-proof" } });
    // Registering a key without knowing its secret: a proof made with another key.
    const forged = { nodeId: "bob", publicKey: alice.publicKey, proof: createKeyRegistration(provider, { ...mallory, nodeId: "bob" }, random).proof };
    expect(keyring.register(forged)).toMatchObject({ ok: false, error: { reason: "bad-proof" } });
    // Re-registering the same key is a no-op; another key for a known id is refused.
    expect(keyring.register(createKeyRegistration(provider, alice, random)).ok).toBe(true);
    expect(keyring.register(createKeyRegistration(provider, { ...mallory, nodeId: "alice" }, random))).toMatchObject({ ok: false, error: { reason: "bad-parameters" } });
  });

  it("rotation keeps old signatures verifiable under their epoch only", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.uint8Array({ maxLength: 64 }), (rotations, message) => {
        const { random, keyring, alice } = setup(provider, 2 + rotations);
        const identities = [alice];
        for (let i = 0; i < rotations; i++) {
          const next = rotateIdentity(provider, identities[identities.length - 1]!, random);
          expect(keyring.applyRotation(next.certificate)).toEqual({ ok: true, value: i + 1 });
          identities.push(next.identity);
        }
        expect(keyring.currentEpoch("alice")).toBe(rotations);
        for (const identity of identities) {
          const signature = provider.sign(identity.secretKey, message);
          const superseded = identity.epoch < rotations;
          // Under its own epoch: valid as a historical signature; valid as fresh only if current.
          expect(keyring.verify("alice", identity.epoch, message, signature, { allowSuperseded: true }).ok).toBe(true);
          expect(keyring.verify("alice", identity.epoch, message, signature).ok).toBe(!superseded);
          if (superseded) expect(keyring.verify("alice", identity.epoch, message, signature)).toMatchObject({ error: { reason: "stale-epoch" } });
          // Under every other epoch: never.
          for (const other of identities) {
            if (other.epoch === identity.epoch) continue;
            expect(keyring.verify("alice", other.epoch, message, signature, { allowSuperseded: true })).toMatchObject({ ok: false, error: { reason: "bad-signature" } });
          }
        }
      }),
      { seed: 2, numRuns: 6 },
    );
  });

  it("rejects rotations not signed by the current key, skipping epochs, or replayed from the past", () => {
    const { random, keyring, alice } = setup(provider, 10);
    const mallory = createIdentity(provider, "alice", random); // same id, different key
    const forged = rotateIdentity(provider, mallory, random);
    expect(keyring.applyRotation(forged.certificate)).toMatchObject({ ok: false, error: { reason: "bad-signature" } });
    const first = rotateIdentity(provider, alice, random);
    const skipping = rotateIdentity(provider, first.identity, random);
    expect(keyring.applyRotation(skipping.certificate)).toMatchObject({ ok: false, error: { reason: "stale-epoch" } });
    expect(keyring.applyRotation(first.certificate)).toEqual({ ok: true, value: 1 });
    expect(keyring.applyRotation(first.certificate)).toEqual({ ok: true, value: 1 }); // idempotent
    // A different epoch-1 rotation signed by the old key, delivered late, is refused.
    const late = rotateIdentity(provider, alice, random);
    expect(keyring.applyRotation(late.certificate)).toMatchObject({ ok: false, error: { reason: "stale-epoch" } });
    // A rotation whose proof of possession of the new key is wrong.
    const second = rotateIdentity(provider, first.identity, random);
    const badProof = { ...second.certificate, proof: late.certificate.proof };
    expect(keyring.applyRotation(badProof)).toMatchObject({ ok: false, error: { reason: "bad-proof" } });
  });

  it("revocation: revoked keys and nodes fail with revoked-key; unknown signers are typed", () => {
    const { random, keyring, alice } = setup(provider, 11);
    const message = utf8("m");
    const signature = provider.sign(alice.secretKey, message);
    expect(keyring.verify("alice", 0, message, signature).ok).toBe(true);
    expect(keyring.verify("bob", 0, message, signature)).toMatchObject({ error: { reason: "unknown-signer" } });
    expect(keyring.verify("alice", 5, message, signature)).toMatchObject({ error: { reason: "unknown-signer" } });
    expect(keyring.revokeKey("alice", 0)).toBe(true);
    expect(keyring.verify("alice", 0, message, signature)).toMatchObject({ error: { reason: "revoked-key" } });
    // A revoked key cannot sign a rotation.
    expect(keyring.applyRotation(rotateIdentity(provider, alice, random).certificate)).toMatchObject({ error: { reason: "revoked-key" } });
    const bob = createIdentity(provider, "bob", random);
    keyring.register(createKeyRegistration(provider, bob, random));
    keyring.revokeNode("bob");
    expect(keyring.verify("bob", 0, message, provider.sign(bob.secretKey, message))).toMatchObject({ error: { reason: "revoked-key" } });
    expect(keyring.register(createKeyRegistration(provider, bob, random))).toMatchObject({ error: { reason: "revoked-key" } });
  });

  it("forgets epochs beyond maxRetainedEpochs and is bounded in nodes", () => {
    const { random, keyring, alice } = setup(provider, 12);
    let identity = alice;
    for (let i = 0; i < 4; i++) {
      const next = rotateIdentity(provider, identity, random);
      keyring.applyRotation(next.certificate);
      identity = next.identity;
    }
    expect(keyring.keysOf("alice").map((k) => k.epoch)).toEqual([1, 2, 3, 4]);
    expect(keyring.resolve("alice", 0, { allowSuperseded: true })).toMatchObject({ error: { reason: "stale-epoch" } });
    for (let i = 0; i < 7; i++) expect(keyring.registerTrusted(`n${i}`, createIdentity(provider, `n${i}`, random).publicKey).ok).toBe(true);
    expect(keyring.registerTrusted("n99", createIdentity(provider, "n99", random).publicKey)).toMatchObject({ error: { reason: "limit" } });
  });
});

import { describe, expect, it } from "vitest";
import { applyRevocation, createIdentity, createRevocation, Keyring, nobleProvider, rotateIdentity, seededRandomBytes } from "../src/index.js";

describe("revocation certificates", () => {
  const provider = nobleProvider;
  const random = seededRandomBytes(24);
  const alice = createIdentity(provider, "alice", random);

  it("only the revoked key can sign its revocation; the keyring then refuses that key", () => {
    const keyring = new Keyring(provider);
    keyring.registerTrusted("alice", alice.publicKey);
    const mallory = createIdentity(provider, "mallory", random);
    const forged = createRevocation(provider, "alice", 0, mallory.secretKey);
    expect(applyRevocation(keyring, provider, forged)).toMatchObject({ ok: false, error: { reason: "bad-signature" } });
    expect(applyRevocation(keyring, provider, createRevocation(provider, "alice", 0, alice.secretKey)).ok).toBe(true);
    expect(keyring.resolve("alice", 0)).toMatchObject({ ok: false, error: { reason: "revoked-key" } });
  });

  it("a revocation of a key the keyring does not know yet waits (unknown-signer), and applies after the rotation", () => {
    const keyring = new Keyring(provider);
    keyring.registerTrusted("alice", alice.publicKey);
    const { identity: next, certificate } = rotateIdentity(provider, alice, random);
    const revocation = createRevocation(provider, "alice", 1, next.secretKey);
    expect(applyRevocation(keyring, provider, revocation)).toMatchObject({ ok: false, error: { reason: "unknown-signer" } });
    expect(keyring.applyRotation(certificate).ok).toBe(true);
    expect(applyRevocation(keyring, provider, revocation).ok).toBe(true);
  });
});

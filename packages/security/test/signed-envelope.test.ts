import fc from "fast-check";
import { createCodec, s } from "@synod/core";
import { describe, expect, it } from "vitest";
import {
  createIdentity,
  createKeyRegistration,
  EnvelopeSigner,
  EnvelopeVerifier,
  Keyring,
  rotateIdentity,
  seededRandomBytes,
  SequenceLease,
  signedEnvelopeSchema,
  type CryptoProvider,
  type SignedEnvelope,
} from "../src/index.js";
import { flipBit, PROVIDERS } from "./helpers.js";

function setup(provider: CryptoProvider, seed: number, replayWindow = 16) {
  const random = seededRandomBytes(seed);
  const keyring = new Keyring(provider);
  const alice = createIdentity(provider, "alice", random);
  keyring.register(createKeyRegistration(provider, alice, random));
  return { random, keyring, alice, signer: new EnvelopeSigner(provider, alice, new SequenceLease(0, () => {})), verifier: new EnvelopeVerifier(provider, keyring, { replayWindow }) };
}

describe.each(PROVIDERS)("signed envelopes: %s", (_name, provider) => {
  it("accepts each envelope once, in any order within the window; replays are rejected", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 11 }), { minLength: 1, maxLength: 40 }), (deliveries) => {
        const { signer, verifier } = setup(provider, 1);
        const sent = Array.from({ length: 12 }, (_, i) => signer.seal(new Uint8Array([i])));
        const accepted = new Set<number>();
        for (const index of deliveries) {
          const result = verifier.open(sent[index]!);
          if (accepted.has(index)) expect(result).toMatchObject({ ok: false, error: { reason: "replayed" } });
          else expect(result.ok).toBe(true);
          accepted.add(index);
        }
        expect(verifier.counters.accepted).toBe(accepted.size);
        expect(verifier.counters.replayed).toBe(deliveries.length - accepted.size);
      }),
      { seed: 7, numRuns: 15 },
    );
  });

  it("rejects envelopes older than the replay window", () => {
    const { signer, verifier } = setup(provider, 2, 4);
    const sent = Array.from({ length: 10 }, () => signer.seal(new Uint8Array(0)));
    expect(verifier.open(sent[9]!).ok).toBe(true);
    expect(verifier.open(sent[6]!).ok).toBe(true); // within 4 of 10
    expect(verifier.open(sent[2]!)).toMatchObject({ error: { reason: "replayed" } }); // too old to tell
  });

  it("any single-bit change of payload or signature, or a changed sender, epoch or seq, fails", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.nat(), fc.constantFrom("payload", "signature", "seq", "epoch", "sender"), (payload, bit, field) => {
        const { signer, verifier, keyring, random } = setup(provider, 3);
        const bob = createIdentity(provider, "bob", random);
        keyring.register(createKeyRegistration(provider, bob, random));
        const envelope = signer.seal(payload);
        const tampered: SignedEnvelope =
          field === "payload" ? { ...envelope, payload: flipBit(payload, bit) }
          : field === "signature" ? { ...envelope, signature: flipBit(envelope.signature, bit) }
          : field === "seq" ? { ...envelope, seq: envelope.seq + 1 + (bit % 5) }
          : field === "epoch" ? { ...envelope, epoch: 1 }
          : { ...envelope, sender: "bob" };
        const result = verifier.open(tampered);
        expect(result.ok).toBe(false);
        // The untampered envelope is still accepted afterwards: a forgery does not poison the window.
        expect(verifier.open(envelope).ok).toBe(true);
      }),
      { seed: 8, numRuns: 25 },
    );
  });

  it("typed failures: unknown signer, revoked key, stale epoch, malformed signature", () => {
    const { signer, verifier, keyring, random, alice } = setup(provider, 4);
    const stranger = createIdentity(provider, "carol", random);
    expect(verifier.open(new EnvelopeSigner(provider, stranger, new SequenceLease(0, () => {})).seal(new Uint8Array(1)))).toMatchObject({ error: { reason: "unknown-signer" } });
    const old = signer.seal(new Uint8Array([1]));
    const rotated = rotateIdentity(provider, alice, random);
    keyring.applyRotation(rotated.certificate);
    expect(verifier.open(old)).toMatchObject({ error: { reason: "stale-epoch" } });
    signer.useIdentity(rotated.identity);
    const fresh = signer.seal(new Uint8Array([2]));
    expect(verifier.open(fresh).ok).toBe(true);
    expect(verifier.open({ ...signer.seal(new Uint8Array([3])), signature: new Uint8Array(12) })).toMatchObject({ error: { reason: "bad-length" } });
    keyring.revokeKey("alice", 1);
    expect(verifier.open(signer.seal(new Uint8Array([4])))).toMatchObject({ error: { reason: "revoked-key" } });
    expect(verifier.counters["unknown-signer"]).toBe(1);
    expect(verifier.counters["revoked-key"]).toBe(1);
  });

  it("round-trips through the codec and decodes typed payloads", () => {
    const { signer, verifier } = setup(provider, 5);
    const messageCodec = createCodec(s.object({ term: s.uint(), text: s.string() }));
    const envelopeCodec = createCodec(signedEnvelopeSchema());
    const bytes = envelopeCodec.encode(signer.sealValue(messageCodec, { term: 3, text: "hi" }));
    const decoded = envelopeCodec.decode(bytes);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(verifier.openValue(messageCodec, decoded.value)).toMatchObject({ ok: true, value: { sender: "alice", seq: 1, message: { term: 3, text: "hi" } } });
  });
});

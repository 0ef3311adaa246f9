// A signer and a verifier restart from what they persisted: the signer never reuses a sequence
// number (its high-water mark is reserved durably before use) and the verifier still refuses every
// envelope it accepted before the restart.
import { describe, expect, it } from "vitest";
import {
  createIdentity,
  createKeyRegistration,
  EnvelopeSigner,
  EnvelopeVerifier,
  Keyring,
  nobleProvider,
  seededRandomBytes,
  SequenceLease,
  type AcceptedEnvelope,
  type SequenceReservation,
  type SignedEnvelope,
} from "../src/index.js";

const provider = nobleProvider;
const random = seededRandomBytes(2026);
const alice = createIdentity(provider, "alice", random);
const keyring = new Keyring(provider);
keyring.register(createKeyRegistration(provider, alice, random));

/** A disk that keeps what was persisted, as a crash leaves it. */
function disk<T>(): { records: T[]; write: (record: T) => void } {
  const records: T[] = [];
  return { records, write: (record) => records.push(record) };
}

describe("sequence lease and signer restart", () => {
  it("reserves a block before its first number is used: one write per block", () => {
    const reservations = disk<SequenceReservation>();
    const lease = new SequenceLease(0, reservations.write, 4);
    const reservedWhenTaken = Array.from({ length: 9 }, () => {
      const seq = lease.take();
      return { seq, reserved: reservations.records.at(-1)?.reservedThrough ?? 0 };
    });
    for (const { seq, reserved } of reservedWhenTaken) expect(seq).toBeLessThanOrEqual(reserved);
    expect(reservations.records).toEqual([{ reservedThrough: 4 }, { reservedThrough: 8 }, { reservedThrough: 12 }]);
  });

  it("a signer restarted from its reservations never reuses a sequence number, across many crashes", () => {
    const reservations = disk<SequenceReservation>();
    const used = new Set<number>();
    for (let life = 0; life < 6; life++) {
      const signer = new EnvelopeSigner(provider, alice, SequenceLease.recover(reservations.records, reservations.write, 3));
      for (let k = 0; k < life + 1; k++) {
        const { seq } = signer.seal(Uint8Array.of(life, k));
        expect(used.has(seq), `seq ${seq} reused in life ${life}`).toBe(false);
        used.add(seq);
      }
      // crash: the signer's memory is lost, the reservations stay
    }
  });

  it("a receiver accepts the restarted signer's envelopes (gaps are fine), not a reused number", () => {
    const reservations = disk<SequenceReservation>();
    const verifier = new EnvelopeVerifier(provider, keyring, { replayWindow: 8 });
    const before = new EnvelopeSigner(provider, alice, SequenceLease.recover([], reservations.write, 8));
    for (let k = 0; k < 3; k++) expect(verifier.open(before.seal(Uint8Array.of(k))).ok).toBe(true);
    const after = new EnvelopeSigner(provider, alice, SequenceLease.recover(reservations.records, reservations.write, 8));
    const envelope = after.seal(Uint8Array.of(9));
    expect(envelope.seq).toBe(9);
    expect(verifier.open(envelope).ok).toBe(true);
  });

  it("refuses a bad high-water mark or block size with a typed error", () => {
    expect(() => new SequenceLease(-1, () => {})).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
    expect(() => new SequenceLease(0, () => {}, 0)).toThrow(expect.objectContaining({ reason: "bad-parameters" }));
  });
});

describe("verifier restart", () => {
  function sealed(count: number): SignedEnvelope[] {
    const signer = new EnvelopeSigner(provider, alice, new SequenceLease(0, () => {}));
    return Array.from({ length: count }, (_, k) => signer.seal(Uint8Array.of(k)));
  }

  it("refuses, after a restart from its records, every envelope it accepted before", () => {
    const accepted = disk<AcceptedEnvelope>();
    const envelopes = sealed(6);
    const first = new EnvelopeVerifier(provider, keyring, { replayWindow: 4, persist: accepted.write });
    for (const envelope of [envelopes[0]!, envelopes[2]!, envelopes[5]!]) expect(first.open(envelope).ok).toBe(true);
    const restarted = new EnvelopeVerifier(provider, keyring, { replayWindow: 4, recovered: accepted.records, persist: accepted.write });
    for (const envelope of [envelopes[0]!, envelopes[2]!, envelopes[5]!]) expect(restarted.open(envelope)).toMatchObject({ ok: false, error: { reason: "replayed" } });
    // envelope 4 (seq 5) was never accepted and is inside the window: still accepted once
    expect(restarted.open(envelopes[4]!).ok).toBe(true);
    expect(restarted.open(envelopes[4]!)).toMatchObject({ ok: false, error: { reason: "replayed" } });
  });

  it("a compacted replay state rebuilds the same answers as the full record list", () => {
    const accepted = disk<AcceptedEnvelope>();
    const envelopes = sealed(40);
    const verifier = new EnvelopeVerifier(provider, keyring, { replayWindow: 4, persist: accepted.write });
    for (const index of [0, 3, 9, 20, 22, 35, 37, 38]) verifier.open(envelopes[index]!);
    const compacted = verifier.replayState();
    expect(compacted.length).toBeLessThan(accepted.records.length);
    const fromRecords = new EnvelopeVerifier(provider, keyring, { replayWindow: 4, recovered: accepted.records });
    const fromSnapshot = new EnvelopeVerifier(provider, keyring, { replayWindow: 4, recovered: compacted });
    for (const envelope of envelopes) expect(fromSnapshot.open(envelope).ok, `seq ${envelope.seq}`).toBe(fromRecords.open(envelope).ok);
  });
});

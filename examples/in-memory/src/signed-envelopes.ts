// Signed envelopes between two nodes: registration with proof of possession, a signed message
// accepted once, a replay, a tampered payload, a key rotation and a revoked key — each rejection a
// typed CryptoError with its reason. Run: pnpm example:signed-envelopes
import { nodeProvider, nodeRandomBytes } from "@synod/security/node";
import {
  createIdentity,
  createKeyRegistration,
  EnvelopeSigner,
  EnvelopeVerifier,
  Keyring,
  rotateIdentity,
  SequenceLease,
  type SequenceReservation,
  type SignedEnvelope,
} from "@synod/security";

const provider = nodeProvider; // OpenSSL's Ed25519 under Node; nobleProvider anywhere else
const text = new TextEncoder();

// n1 makes its key and a registration (its public key with a proof of possession); n2 checks and records it.
const n1 = createIdentity(provider, "n1", nodeRandomBytes);
const keyringOfN2 = new Keyring(provider);
const registered = keyringOfN2.register(createKeyRegistration(provider, n1, nodeRandomBytes));
if (!registered.ok) throw registered.error;

// Sequence numbers are leased in blocks whose reservation is made durable before use, so a restarted
// signer never reuses one (here the "disk" is an array; a real driver fsyncs it).
const reservations: SequenceReservation[] = [];
const signer = new EnvelopeSigner(provider, n1, SequenceLease.recover(reservations, (r) => reservations.push(r)));
const verifier = new EnvelopeVerifier(provider, keyringOfN2);
function deliver(label: string, envelope: SignedEnvelope): boolean {
  const result = verifier.open(envelope);
  console.log(`${label.padEnd(34)} → ${result.ok ? `accepted: "${new TextDecoder().decode(result.value.payload)}"` : `rejected (${result.error.reason}): ${result.error.message}`}`);
  return result.ok;
}

const hello = signer.seal(text.encode("hello from n1"));
const verdicts = [
  deliver("a signed message", hello),
  !deliver("the same message again (a replay)", hello),
  !deliver("a tampered payload", { ...signer.seal(text.encode("pay 10")), payload: text.encode("pay 1000") }),
];

// n1 rotates its key: the new key is certified by the old one; n2 applies the certificate.
const rotated = rotateIdentity(provider, n1, nodeRandomBytes);
const applied = keyringOfN2.applyRotation(rotated.certificate);
if (!applied.ok) throw applied.error;
const oldKeyMessage = signer.seal(text.encode("signed with the old key after the rotation"));
signer.useIdentity(rotated.identity);
verdicts.push(deliver("signed with the new key (epoch 1)", signer.seal(text.encode("after rotation"))));
keyringOfN2.revokeKey("n1", 0);
verdicts.push(!deliver("signed with the revoked old key", oldKeyMessage));
if (verdicts.some((v) => !v)) throw new Error("an envelope got the wrong verdict");
console.log("counters:", JSON.stringify(verifier.counters));

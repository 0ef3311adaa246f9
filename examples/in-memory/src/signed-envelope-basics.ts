import { createIdentity, createKeyRegistration, EnvelopeSigner, EnvelopeVerifier, Keyring, SequenceLease, signedEnvelopeCodec, type SequenceReservation } from "@synod/security";
import { nodeProvider, nodeRandomBytes } from "@synod/security/node"; // drivers under Node only

const provider = nodeProvider; // or nobleProvider (anywhere), or createIdealProvider(seeded) in the simulator
const codec = signedEnvelopeCodec();

// The sender, n1: its identity, and sequence numbers leased durably before use (the "disk" is an array here).
const n1 = createIdentity(provider, "n1", nodeRandomBytes);
const saved: SequenceReservation[] = [];
const signer = new EnvelopeSigner(provider, n1, SequenceLease.recover(saved, (reservation) => saved.push(reservation)));

// The receiver records n1's key registration (its public key with a proof of possession; on a real
// network it arrives as bytes from n1), then opens what n1 sends.
const keyring = new Keyring(provider);
const registered = keyring.register(createKeyRegistration(provider, n1, nodeRandomBytes));
if (!registered.ok) throw registered.error;
const verifier = new EnvelopeVerifier(provider, keyring);

const bytes = codec.encode(signer.seal(new TextEncoder().encode("hello"))); // what goes on the wire
const decoded = codec.decode(bytes); // a Result: malformed bytes are a DecodeError, never a throw
if (!decoded.ok) throw decoded.error;
const opened = verifier.open(decoded.value); // a Result: a CryptoError says why (replay, bad signature, unknown key, …)
if (!opened.ok) throw opened.error;
console.log(`${opened.value.sender} says ${new TextDecoder().decode(opened.value.payload)}`); // n1 says hello

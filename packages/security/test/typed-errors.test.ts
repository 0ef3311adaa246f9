import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConfigError, SynodError } from "@synod/core";
import { createIdealProvider, createIdentity, createKeyRegistration, CryptoError, EnvelopeSigner, EnvelopeVerifier, Keyring, nobleProvider, rotateIdentity, seededRandomBytes, SequenceLease } from "../src/index.js";
import { nodeProvider } from "../src/node.js";

const anyValue = fc.oneof(fc.anything(), fc.constantFrom(null, undefined, 0, "n1", [], {}, new Uint8Array(32)));

describe("security entry points fed by peers return a Result for any value (fast-check, seed 15)", () => {
  it("Keyring.register, Keyring.applyRotation and EnvelopeVerifier.open: err(CryptoError), never a TypeError", () => {
    const provider = createIdealProvider(seededRandomBytes(1));
    const keyring = new Keyring(provider);
    const n1 = createIdentity(provider, "n1", seededRandomBytes(2));
    expect(keyring.register(createKeyRegistration(provider, n1, seededRandomBytes(3))).ok).toBe(true);
    const verifier = new EnvelopeVerifier(provider, keyring);
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const call of [() => keyring.register(value as never), () => keyring.applyRotation(value as never), () => verifier.open(value as never)]) {
          const result = call();
          if (!result.ok) expect(result.error).toBeInstanceOf(CryptoError);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
    // Before: each of these threw a TypeError reading a property of null.
    for (const result of [keyring.register(null as never), keyring.applyRotation(null as never), verifier.open(null as never)]) {
      expect(result.ok === false && result.error.reason).toBe("bad-parameters");
    }
  });

  it("createIdentity and SequenceLease.recover with any arguments: a SynodError, never a TypeError", () => {
    const provider = createIdealProvider(seededRandomBytes(1));
    const typed = (f: () => unknown): void => {
      try {
        f();
      } catch (error) {
        expect(error, String(error)).toBeInstanceOf(SynodError);
      }
    };
    fc.assert(
      fc.property(anyValue, anyValue, (a, b) => {
        typed(() => createIdentity(a as never, "n1", seededRandomBytes(2)));
        typed(() => createIdentity(provider, "n1", a as never));
        typed(() => SequenceLease.recover(a as never, b as never));
        typed(() => SequenceLease.recover([a] as never, () => undefined));
      }),
      { seed: 15, numRuns: 300 },
    );
    expect(() => SequenceLease.recover(null as never, () => undefined)).toThrow(CryptoError); // before: recovered.reduce is not a function
  });

  it("every provider's sign refuses a message that is not bytes with CryptoError bad-parameters (it was each library's own TypeError)", () => {
    const providers = [createIdealProvider(seededRandomBytes(4)), nobleProvider, nodeProvider];
    fc.assert(
      fc.property(anyValue, (value) => {
        if (value instanceof Uint8Array) return;
        for (const provider of providers) {
          const { secretKey } = provider.generateKeyPair(seededRandomBytes(5));
          expect(() => provider.sign(secretKey, value as never), provider.name).toThrow(CryptoError);
          try {
            provider.sign(secretKey, value as never);
          } catch (error) {
            expect((error as CryptoError).reason).toBe("bad-parameters");
          }
        }
      }),
      { seed: 15, numRuns: 100 },
    );
  });

  it("createKeyRegistration, rotateIdentity and EnvelopeSigner refuse anything but an identity with ConfigError naming it (they threw TypeErrors)", () => {
    const provider = createIdealProvider(seededRandomBytes(6));
    const good = createIdentity(provider, "n1", seededRandomBytes(7));
    const lease = new SequenceLease(0, () => undefined);
    const calls = (value: unknown): (() => unknown)[] => [
      () => createKeyRegistration(provider, value as never, seededRandomBytes(8)),
      () => rotateIdentity(provider, value as never, seededRandomBytes(9)),
      () => new EnvelopeSigner(provider, value as never, lease),
      () => new EnvelopeSigner(provider, good, lease).useIdentity(value as never),
    ];
    fc.assert(
      fc.property(anyValue, (value) => {
        for (const call of calls(value)) expect(call).toThrow(ConfigError);
      }),
      { seed: 15, numRuns: 100 },
    );
    for (const call of calls({ ...good, epoch: -1 })) expect(call).toThrow(/identity: epoch must be a non-negative integer/);
    expect(() => createKeyRegistration(provider, good, seededRandomBytes(8))).not.toThrow();
  });
});


import { describe, expect, it } from "vitest";
import { AdmissionControl, createIdentity, issueMembershipCertificate, Keyring, seededRandomBytes } from "../src/index.js";
import { flipBit, PROVIDERS } from "./helpers.js";

describe.each(PROVIDERS)("AdmissionControl: %s", (_name, provider) => {
  const random = seededRandomBytes(91);
  const authority = provider.generateKeyPair(random);
  const impostor = provider.generateKeyPair(random);
  const node = createIdentity(provider, "n5", random);

  it("admits only nodes with an unexpired certificate from the configured authority", () => {
    const admission = new AdmissionControl(provider, authority.publicKey, { maxMembers: 2 });
    const certificate = issueMembershipCertificate(provider, authority.secretKey, "n5", node.publicKey, 100);
    expect(admission.admit(certificate, 10).ok).toBe(true);
    expect(admission.isMember("n5", 10)).toBe(true);
    // Self-issued (Sybil) certificate, wrong authority.
    const sybil = issueMembershipCertificate(provider, impostor.secretKey, "n6", impostor.publicKey, 100);
    expect(admission.admit(sybil, 10)).toMatchObject({ ok: false, error: { reason: "not-admitted" } });
    // Tampered certificate: another node id or key under the authority's signature.
    expect(admission.admit({ ...certificate, nodeId: "n7" }, 10)).toMatchObject({ error: { reason: "not-admitted" } });
    expect(admission.admit({ ...certificate, expiresAtTick: 1000 }, 10)).toMatchObject({ error: { reason: "not-admitted" } });
    expect(admission.admit({ ...certificate, signature: flipBit(certificate.signature, 5) }, 10)).toMatchObject({ error: { reason: "not-admitted" } });
    // Expired.
    expect(admission.admit(certificate, 101)).toMatchObject({ error: { reason: "not-admitted" } });
    expect(admission.isMember("n5", 101)).toBe(false);
    expect(admission.expire(101)).toEqual(["n5"]);
  });

  it("revoked nodes cannot rejoin; membership is bounded; admitted keys feed the keyring", () => {
    const admission = new AdmissionControl(provider, authority.publicKey, { maxMembers: 1 });
    const certificate = issueMembershipCertificate(provider, authority.secretKey, "n5", node.publicKey, 100);
    expect(admission.admit(certificate, 0).ok).toBe(true);
    const other = createIdentity(provider, "n6", random);
    expect(admission.admit(issueMembershipCertificate(provider, authority.secretKey, "n6", other.publicKey, 100), 0)).toMatchObject({ error: { reason: "limit" } });
    const keyring = new Keyring(provider);
    expect(keyring.registerTrusted(certificate.nodeId, certificate.publicKey).ok).toBe(true);
    admission.revoke("n5");
    expect(admission.admit(certificate, 0)).toMatchObject({ error: { reason: "not-admitted" } });
  });

  it("rejects a malformed authority key at construction with a typed error", () => {
    expect(() => new AdmissionControl(provider, new Uint8Array(3))).toThrow(expect.objectContaining({ code: "crypto", reason: "bad-length" }));
  });
});

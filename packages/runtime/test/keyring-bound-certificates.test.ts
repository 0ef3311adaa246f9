/**
 * Certificates bound to the keyring: the CA vouches for a node's id, `@synod/security`'s keyring for
 * its key. A certificate from the right CA for the right id is still refused when its key is not the
 * one the keyring holds for that id now (a rotated-away key, a key the node never registered).
 */
import { ConfigError } from "@synod/core";
import { createIdentity, Keyring, nobleProvider, rotateIdentity, seededRandomBytes, type NodeIdentity } from "@synod/security";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateClusterCertificates } from "../src/tls/cluster-certificates.js";
import { readNodeKeysFile, writeNodeKeysFile } from "../src/tls/node-keys-file.js";
import { keyringPeerKeys } from "../src/transport/peer-keys.js";
import { Transport } from "../src/transport/transport.js";
import { until } from "./support/until.js";
import type { Address, TlsMaterial, TransportSecurity } from "../src/transport/transport-options.js";

const random = seededRandomBytes(41);
const n1 = createIdentity(nobleProvider, "n1", random);
const n2 = createIdentity(nobleProvider, "n2", random);
const dir = mkdtempSync(join(tmpdir(), "synod-bound-certs-"));
// n1 and n2 are certified for their identity keys; n3's certificate has a fresh P-256 key.
const certs = generateClusterCertificates(dir, ["n1", "n2", "n3"], 1, { nodeKeys: new Map([["n1", n1.secretKey], ["n2", n2.secretKey]]) });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const started: Transport[] = [];
afterEach(async () => {
  for (const t of started.splice(0)) await t.close();
});

/** A keyring that trusts the given identities' current keys (static configuration). */
function keyringOf(...identities: NodeIdentity[]): Keyring {
  const keyring = new Keyring(nobleProvider);
  for (const identity of identities) expect(keyring.registerTrusted(identity.nodeId, identity.publicKey).ok).toBe(true);
  return keyring;
}

const bound = (id: string, keyring: Keyring): TransportSecurity => ({ mode: "tls", tls: certs.get(id) as TlsMaterial, peerKeys: keyringPeerKeys(keyring) });

async function start(id: string, peers: Map<string, Address>, security: TransportSecurity, inbox: string[]): Promise<Transport> {
  const t = await Transport.start({ id, listen: { host: "127.0.0.1", port: 0 }, peers, security, onMessage: (from, body) => inbox.push(`${from}:${body.toString("utf8")}`) });
  started.push(t);
  return t;
}


describe("keyring-bound certificates", () => {
  it("a node's certificate carries its identity's Ed25519 key", () => {
    const cert = new X509Certificate((certs.get("n1") as TlsMaterial).cert);
    expect(cert.publicKey.asymmetricKeyType).toBe("ed25519");
    expect(Buffer.from(cert.publicKey.export({ format: "jwk" }).x as string, "base64url")).toEqual(Buffer.from(n1.publicKey));
    expect(cert.subjectAltName).toBe("URI:urn:synod:node:n1");
  });

  it("a node whose keyring holds its peer's key connects and delivers over TLS 1.3, in both roles", async () => {
    const keyring = keyringOf(n1, n2);
    const inbox1: string[] = [];
    const inbox2: string[] = [];
    const b = await start("n2", new Map([["n1", { host: "127.0.0.1", port: 1 }]]), bound("n2", keyring), inbox2);
    const a = await start("n1", new Map([["n2", b.address]]), bound("n1", keyring), inbox1);
    a.send("n2", Buffer.from("hello"));
    await until(() => inbox2.length === 1, "n1's message at n2");
    expect(inbox2).toEqual(["n1:hello"]);
    expect(a.stats.connectsOut).toBe(1);
    expect(b.stats.rejected["key-mismatch"]).toBe(0);
  });

  it("after n1 rotates its key, n2 refuses n1's old certificate at the next connection, though the CA signed it for n1", async () => {
    const keyring = keyringOf(n1, n2);
    const { certificate } = rotateIdentity(nobleProvider, n1, random);
    expect(keyring.applyRotation(certificate)).toEqual({ ok: true, value: 1 });
    const inbox2: string[] = [];
    const b = await start("n2", new Map([["n1", { host: "127.0.0.1", port: 1 }]]), bound("n2", keyring), inbox2);
    const a = await start("n1", new Map([["n2", b.address]]), bound("n1", keyring), []);
    a.send("n2", Buffer.from("from a superseded key"));
    await until(() => b.stats.rejected["key-mismatch"] >= 1, "the key mismatch at n2");
    expect(inbox2).toEqual([]);
  });

  it("a dialler refuses a server whose certificate carries no keyring key: it never counts the connection", async () => {
    const keyring = keyringOf(n1, n2);
    // n3 answers with its certificate: the right CA and the right id, but a P-256 key the keyring never held.
    const server = await start("n3", new Map([["n1", { host: "127.0.0.1", port: 1 }]]), { mode: "tls", tls: certs.get("n3") as TlsMaterial }, []);
    const dialler = await start("n1", new Map([["n3", server.address]]), bound("n1", keyring), []);
    dialler.send("n3", Buffer.from("never delivered"));
    await new Promise((r) => setTimeout(r, 300));
    expect(dialler.stats.connectsOut).toBe(0);
  });

  it("an inbound peer with a CA certificate but no key in the keyring is refused and counted", async () => {
    const keyring = keyringOf(n1, n2); // n3 holds no key
    const inbox1: string[] = [];
    const server = await start("n1", new Map([["n3", { host: "127.0.0.1", port: 1 }]]), bound("n1", keyring), inbox1);
    const n3 = await start("n3", new Map([["n1", server.address]]), { mode: "tls", tls: certs.get("n3") as TlsMaterial }, []);
    n3.send("n1", Buffer.from("let me in"));
    await until(() => server.stats.rejected["key-mismatch"] >= 1, "the refusal");
    expect(inbox1).toEqual([]);
  });

  it("the node-keys file round-trips, is absent without binding, and a bad entry is a ConfigError saying what to do", () => {
    const keysDir = mkdtempSync(join(dir, "keys-"));
    expect(readNodeKeysFile(keysDir)).toBeUndefined();
    writeNodeKeysFile(keysDir, new Map([["n1", n1.publicKey], ["n2", n2.publicKey]]));
    expect(readNodeKeysFile(keysDir)).toEqual(new Map([["n1", n1.publicKey], ["n2", n2.publicKey]]));
    writeFileSync(join(keysDir, "node-keys.json"), JSON.stringify({ n1: "zz" }));
    expect(() => readNodeKeysFile(keysDir)).toThrow(ConfigError);
    expect(() => readNodeKeysFile(keysDir)).toThrow(/64 lowercase hex digits/);
    writeFileSync(join(keysDir, "node-keys.json"), "{not json");
    expect(() => readNodeKeysFile(keysDir)).toThrow(/remove it to run without key binding/);
  });
});

import { createPrivateKey, X509Certificate } from "node:crypto";
import type { PeerCertificate } from "node:tls";

/** The DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Length of an Ed25519 secret key (seed) and public key, in bytes. */
const ED25519_KEY_BYTES = 32;

/**
 * The PEM (PKCS#8) form of an Ed25519 secret key given as its 32-byte seed — the form
 * `@synod/security`'s providers use for a `NodeIdentity.secretKey` — so that TLS can use it.
 * @throws {RangeError} when the key is not 32 bytes (a programming error: identities are checked on creation)
 */
export function ed25519SecretKeyPem(secretKey: Uint8Array): string {
  if (secretKey.length !== ED25519_KEY_BYTES) throw new RangeError(`an Ed25519 secret key is ${ED25519_KEY_BYTES} bytes, got ${secretKey.length}`);
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, secretKey]);
  return createPrivateKey({ key: der, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }) as string;
}

/**
 * The 32-byte seed of an Ed25519 private key in PEM (the inverse of {@link ed25519SecretKeyPem}):
 * how a node reads its identity's secret key back from its TLS key file.
 * @returns the seed, or undefined when the PEM does not hold an Ed25519 private key
 */
export function ed25519SecretKeyOfPem(pem: string | Buffer): Uint8Array | undefined {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== "ed25519") return undefined;
    const d = key.export({ format: "jwk" }).d;
    return typeof d === "string" ? new Uint8Array(Buffer.from(d, "base64url")) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The raw 32-byte Ed25519 public key a certificate carries.
 * @returns the key, or undefined when the certificate is missing, unparsable or holds another kind of key
 */
export function ed25519KeyOfCertificate(cert: PeerCertificate | undefined): Uint8Array | undefined {
  const raw = cert?.raw;
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  try {
    const key = new X509Certificate(raw).publicKey;
    if (key.asymmetricKeyType !== "ed25519") return undefined;
    const x = key.export({ format: "jwk" }).x;
    return typeof x === "string" ? new Uint8Array(Buffer.from(x, "base64url")) : undefined;
  } catch {
    return undefined;
  }
}

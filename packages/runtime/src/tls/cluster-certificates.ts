import type { NodeId } from "@synod/core";
import { SynodError } from "@synod/core";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TlsMaterial } from "../transport/transport-options.js";
import { NODE_ID_URI_PREFIX } from "../transport/node-certificate.js";
import { ed25519SecretKeyPem } from "./ed25519-key.js";

/**
 * Generate a throwaway cluster CA and one certificate per node with the `openssl` CLI: P-256 keys,
 * each node certificate carrying its id as the URI SAN `urn:synod:node:<id>` and usable as both
 * TLS server and client. The CA's key is deleted once the node certificates are signed. For tests
 * and the local example cluster only — production certificates come from the operator's CA.
 *
 * A node given in `options.nodeKeys` gets a certificate for that Ed25519 key (its `NodeIdentity`'s
 * secret key from `@synod/security`) instead of a fresh P-256 key, so that transports checking
 * `peerKeys` against a keyring accept it.
 *
 * @param dir - where to write `ca.crt`, `<id>.key`, `<id>.crt` (created; existing files are replaced)
 * @param ids - the node ids
 * @param validDays - validity of every certificate
 * @param options - `nodeKeys`: node id → 32-byte Ed25519 secret key, for the nodes whose certificate binds their identity key
 * @returns each node's TLS material
 * @throws {SynodError} code `unsupported` when `openssl` is not installed
 */
export function generateClusterCertificates(
  dir: string,
  ids: readonly NodeId[],
  validDays = 7,
  options: { readonly nodeKeys?: ReadonlyMap<NodeId, Uint8Array> } = {},
): Map<NodeId, TlsMaterial> {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]): void => {
    try {
      execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
      throw new SynodError(missing ? "unsupported" : "config", missing ? "the openssl CLI is needed to generate test certificates" : `openssl ${args[0]} failed: ${String((cause as { stderr?: Buffer }).stderr ?? cause)}`);
    }
  };
  const days = String(validDays);
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", days, "-subj", "/CN=synod test cluster CA");
  const ca = readFileSync(join(dir, "ca.crt"));
  const result = new Map<NodeId, TlsMaterial>();
  for (const id of ids) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw new SynodError("usage", `node id ${JSON.stringify(id)} cannot be put in a certificate (letters, digits, . _ - only)`);
    writeFileSync(join(dir, `${id}.ext`), `subjectAltName=URI:${NODE_ID_URI_PREFIX}${id}\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n`);
    const identityKey = options.nodeKeys?.get(id);
    if (identityKey === undefined) {
      openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", `${id}.key`, "-out", `${id}.csr`, "-subj", `/CN=${id}`);
    } else {
      writeFileSync(join(dir, `${id}.key`), ed25519SecretKeyPem(identityKey), { mode: 0o600 });
      openssl("req", "-new", "-key", `${id}.key`, "-out", `${id}.csr`, "-subj", `/CN=${id}`);
    }
    openssl("x509", "-req", "-in", `${id}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${id}.crt`, "-days", days, "-extfile", `${id}.ext`);
    rmSync(join(dir, `${id}.csr`));
    rmSync(join(dir, `${id}.ext`));
    result.set(id, { key: readFileSync(join(dir, `${id}.key`)), cert: readFileSync(join(dir, `${id}.crt`)), ca });
  }
  rmSync(join(dir, "ca.key"));
  rmSync(join(dir, "ca.srl"), { force: true });
  return result;
}

/** @returns the TLS material of `id` from a directory written by {@link generateClusterCertificates} */
export function loadNodeCertificates(dir: string, id: NodeId): TlsMaterial {
  return { key: readFileSync(join(dir, `${id}.key`)), cert: readFileSync(join(dir, `${id}.crt`)), ca: readFileSync(join(dir, "ca.crt")) };
}

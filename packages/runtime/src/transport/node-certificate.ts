import type { PeerCertificate } from "node:tls";

/** The URI subject alternative name that binds a certificate to a node id: `urn:synod:node:<id>`. */
export const NODE_ID_URI_PREFIX = "urn:synod:node:";

/**
 * The node id a certificate is issued to: its single `urn:synod:node:<id>` URI SAN.
 * @returns the id, or undefined when the certificate names no node or more than one
 */
export function nodeIdOfCertificate(cert: PeerCertificate | undefined): string | undefined {
  const san = cert?.subjectaltname;
  if (typeof san !== "string") return undefined;
  const ids = san
    .split(/,\s*/)
    .filter((part) => part.startsWith(`URI:${NODE_ID_URI_PREFIX}`))
    .map((part) => part.slice(4 + NODE_ID_URI_PREFIX.length));
  return ids.length === 1 ? ids[0] : undefined;
}

import { s, type Infer } from "@synod/core";
import { rotationCertificateSchema } from "../rotation.js";
import { revocationCertificateSchema } from "./revocation.js";

/** A self-authenticating statement about a member's keys: a rotation or a revocation certificate. */
export const keyStatementSchema = s.variant("kind", {
  rotation: { certificate: rotationCertificateSchema },
  revocation: { certificate: revocationCertificateSchema },
});

/** A key statement. */
export type KeyStatement = Infer<typeof keyStatementSchema>;

/** @returns a stable id of a statement: kind, node, epoch (two statements with one id are the same or conflicting) */
export function statementId(statement: KeyStatement): string {
  return `${statement.kind} ${statement.certificate.nodeId} ${statement.certificate.epoch}`;
}

import type { NodeId } from "@synod/core";
import { equalBytes, SIGNATURE_BYTES } from "@synod/security";
import type { Commit, PrePrepare, Prepare } from "./messages.js";
import type { PbftKeys } from "./keys.js";
import { verifySigned } from "./signing.js";

/**
 * One signed agreement statement of a replica, as evidence carries it: a pre-prepare, prepare or
 * commit without its batch (the signature covers view, sequence number, digest and sender only).
 */
export interface SignedStatement {
  readonly type: "prePrepare" | "prepare" | "commit";
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * Misbehaviour evidence: two statements of one kind that `culprit` signed for the same view and
 * sequence number with different digests. A correct replica signs one pre-prepare (as primary), one
 * prepare and one commit per view and sequence number, and persists each before it leaves, so two
 * that differ prove their signer faulty to anyone holding its public key.
 */
export interface MisbehaviourEvidence {
  readonly first: SignedStatement;
  readonly second: SignedStatement;
}

/** The statement part of a pre-prepare, prepare or commit (a pre-prepare's batch dropped). */
export function signedStatementOf(message: PrePrepare | Prepare | Commit): SignedStatement {
  const { type, view, seq, digest, replica, sig } = message;
  return { type, view, seq, digest, replica, sig };
}

/** Whether two statements contradict each other: same kind, signer, view and sequence number, different digests. */
export function contradicts(a: SignedStatement, b: SignedStatement): boolean {
  return a.type === b.type && a.replica === b.replica && a.view === b.view && a.seq === b.seq && !equalBytes(a.digest, b.digest);
}

/**
 * @returns whether `evidence` proves its culprit faulty: both statements are signatures (a MAC
 * proves nothing to a third replica) that verify under the culprit's key, a member's, and they
 * contradict each other; never throws
 */
export function evidenceIsValid(keys: PbftKeys, members: readonly NodeId[], evidence: MisbehaviourEvidence): boolean {
  const { first, second } = evidence;
  if (!members.includes(first.replica) || !contradicts(first, second)) return false;
  for (const statement of [first, second]) {
    if (!(statement.sig instanceof Uint8Array) || statement.sig.length !== SIGNATURE_BYTES) return false;
    // The signed statement of a pre-prepare, prepare or commit is its view, sequence number, digest and sender only.
    if (!verifySigned(keys.provider, keys.replicaKey(statement.replica), statement as unknown as Prepare)) return false;
  }
  return true;
}

/**
 * What each replica has signed, as this replica has seen it: the first signed statement per
 * (signer, kind, view, sequence number). Noting a second one that differs yields the evidence.
 * Fed only statements whose signature was checked (accepted messages, verified certificates), so
 * the evidence it yields is valid; forgotten below the stable checkpoint.
 */
export class StatementLedger {
  /** By sequence number, signer and view: the first statement of each kind (no string key built per statement). */
  private readonly bySeq = new Map<number, Map<NodeId, Map<number, Partial<Record<SignedStatement["type"], SignedStatement>>>>>();

  /** @returns evidence when `statement` contradicts one noted before, else undefined (and it is noted when new) */
  note(statement: SignedStatement): MisbehaviourEvidence | undefined {
    if (statement.sig.length !== SIGNATURE_BYTES) return undefined; // MAC-authenticated: proves nothing to others
    let bySigner = this.bySeq.get(statement.seq);
    if (bySigner === undefined) this.bySeq.set(statement.seq, (bySigner = new Map()));
    let byView = bySigner.get(statement.replica);
    if (byView === undefined) bySigner.set(statement.replica, (byView = new Map()));
    let held = byView.get(statement.view);
    if (held === undefined) byView.set(statement.view, (held = {}));
    const first = held[statement.type];
    if (first === undefined) {
      held[statement.type] = statement;
      return undefined;
    }
    return contradicts(first, statement) ? { first, second: statement } : undefined;
  }

  /** Forget the statements at or below `seq` (a stable checkpoint: nothing there is decided again). */
  forgetThrough(seq: number): void {
    for (const s of this.bySeq.keys()) if (s <= seq) this.bySeq.delete(s);
  }
}

import type { NodeId } from "@synod/core";
import { equalBytes, SIGNATURE_BYTES } from "@synod/security";
import type { Checkpoint, Commit, NewView, PrePrepare, Prepare, ViewChange } from "./messages.js";
import type { PbftKeys } from "./keys.js";
import { statementOf, verifySigned } from "./signing.js";

/**
 * One signed agreement statement of a replica, as evidence carries it: a pre-prepare, prepare or
 * commit without its batch (the signature covers view, sequence number, digest and sender only).
 */
export interface AgreementStatement {
  readonly type: "prePrepare" | "prepare" | "commit";
  readonly view: number;
  readonly seq: number;
  readonly digest: Uint8Array;
  readonly replica: NodeId;
  readonly sig: Uint8Array;
}

/**
 * One signed statement of a replica, as evidence carries it: an agreement statement, or a whole
 * checkpoint, view-change or new-view message (always signed, in every authentication mode: their
 * signatures cover the whole message).
 */
export type SignedStatement = AgreementStatement | Checkpoint | ViewChange | NewView;

/**
 * Misbehaviour evidence: two statements of one kind that `culprit` signed that a correct replica
 * never signs both of — a pre-prepare, prepare or commit for one view and sequence number with
 * different digests; a checkpoint for one sequence number with different state digests; a
 * view-change, or a new-view, for one view with different contents. A correct replica signs one of
 * each (its state at a checkpoint is the same everywhere) and persists each before it leaves, so
 * two that differ prove their signer faulty to anyone holding its public key.
 */
export interface MisbehaviourEvidence {
  readonly first: SignedStatement;
  readonly second: SignedStatement;
}

/** The statement part of a pre-prepare, prepare or commit (a pre-prepare's batch dropped). */
export function signedStatementOf(message: PrePrepare | Prepare | Commit): AgreementStatement {
  const { type, view, seq, digest, replica, sig } = message;
  return { type, view, seq, digest, replica, sig };
}

/** Whether two signed view-changes (or new-views) say different things: different bytes signed (equal signatures: the same bytes, checked once). */
function differentContents(a: ViewChange | NewView, b: ViewChange | NewView): boolean {
  if (equalBytes(a.sig, b.sig)) return false;
  return !equalBytes(statementOf(a), statementOf(b));
}

/**
 * Whether two statements contradict each other: same kind and signer, and for an agreement
 * statement the same view and sequence number with different digests; for a checkpoint the same
 * sequence number with different state digests; for a view-change or new-view the same view with
 * different contents. Never throws on well-formed statements.
 */
export function contradicts(a: SignedStatement, b: SignedStatement): boolean {
  if (isAgreement(a) && isAgreement(b)) {
    return a.type === b.type && a.replica === b.replica && a.view === b.view && a.seq === b.seq && !equalBytes(a.digest, b.digest);
  }
  if (a.type !== b.type || a.replica !== b.replica) return false;
  if (a.type === "checkpoint") return checkpointsContradict(a, b as Checkpoint);
  if (a.type !== "viewChange" && a.type !== "newView") return false; // an agreement statement beside another kind
  const other = b as ViewChange | NewView;
  return a.view === other.view && differentContents(a, other);
}

/** Whether two checkpoints of one signer contradict: one sequence number, two state digests (a share is the digest's, never compared). */
function checkpointsContradict(a: Checkpoint, b: Checkpoint): boolean {
  return a.seq === b.seq && !equalBytes(a.stateDigest, b.stateDigest);
}

function isAgreement(statement: SignedStatement): statement is AgreementStatement {
  return statement.type === "prePrepare" || statement.type === "prepare" || statement.type === "commit";
}

/** @returns whether `statement` carries its signer's signature (a MAC proves nothing to a third replica); never throws */
export function statementIsSigned(keys: PbftKeys, statement: SignedStatement): boolean {
  if (!(statement.sig instanceof Uint8Array) || statement.sig.length !== SIGNATURE_BYTES) return false;
  // An agreement statement's signature covers its view, sequence number, digest and sender only;
  // a checkpoint's, view-change's and new-view's the whole message.
  return verifySigned(keys.provider, keys.replicaKey(statement.replica), statement as Prepare | Checkpoint | ViewChange | NewView);
}

/**
 * @returns whether `evidence` proves its culprit faulty: both statements are signatures that verify
 * under the culprit's key, a member's, and they contradict each other; never throws
 */
export function evidenceIsValid(keys: PbftKeys, members: readonly NodeId[], evidence: MisbehaviourEvidence): boolean {
  const { first, second } = evidence;
  try {
    if (!members.includes(first.replica) || !contradicts(first, second)) return false;
  } catch {
    return false;
  }
  for (const statement of [first, second]) {
    if (!(statement.sig instanceof Uint8Array) || statement.sig.length !== SIGNATURE_BYTES) return false;
    // An agreement statement's signature covers its view, sequence number, digest and sender only;
    // a checkpoint's, view-change's and new-view's the whole message (statementOf picks by type).
    if (!verifySigned(keys.provider, keys.replicaKey(statement.replica), statement as unknown as Prepare)) return false;
  }
  return true;
}

/** @returns a one-line description of a statement (reports, invariant messages) */
export function describeStatement(statement: SignedStatement): string {
  const hex = (bytes: Uint8Array) => Array.from(bytes.subarray(0, 6), (x) => x.toString(16).padStart(2, "0")).join("");
  switch (statement.type) {
    case "prePrepare":
    case "prepare":
    case "commit":
      return `${statement.type} view ${statement.view} seq ${statement.seq} digest ${hex(statement.digest)}`;
    case "checkpoint":
      return `checkpoint seq ${statement.seq} state digest ${hex(statement.stateDigest)}`;
    case "viewChange":
    case "newView":
      return `${statement.type} view ${statement.view} signature ${hex(statement.sig)}`;
  }
}

/** Most checkpoint statements kept per signer (sequence numbers at or above the stable checkpoint; the highest are dropped first). */
export const CHECKPOINT_STATEMENTS_PER_SIGNER = 8;
/** Most views whose view-change and new-view are kept per signer (views at or above the current one; the highest are dropped first). */
export const VIEW_STATEMENTS_PER_SIGNER = 4;

/**
 * What each replica has signed, as this replica has seen it: the first signed agreement statement
 * per (signer, kind, view, sequence number), the first checkpoint per (signer, sequence number) at
 * or above the stable checkpoint, the first view-change and new-view per (signer, view) at or above
 * the current view. Noting a second one that contradicts it yields the evidence. Fed only
 * statements whose signature was checked (accepted messages, verified certificates, forwarded
 * statements checked on arrival), so the evidence it yields is valid. Bounded: agreement statements
 * are forgotten below the stable checkpoint, checkpoints below it and beyond
 * {@link CHECKPOINT_STATEMENTS_PER_SIGNER} per signer, view statements below the current view and
 * beyond {@link VIEW_STATEMENTS_PER_SIGNER} per signer (a faulty signer crowding its own entries
 * with far-ahead ones loses those first).
 */
export class StatementLedger {
  /** By sequence number, signer and view: the first statement of each kind (no string key built per statement). */
  private readonly bySeq = new Map<number, Map<NodeId, Map<number, Partial<Record<AgreementStatement["type"], AgreementStatement>>>>>();
  /** By signer and sequence number: the first checkpoint, and whether this replica forwarded it as disputed. */
  private readonly checkpoints = new Map<NodeId, Map<number, { checkpoint: Checkpoint; disputed: boolean }>>();
  /** Checkpoints below this sequence number (the stable checkpoint) are neither kept nor noted. */
  private checkpointFloor = 0;
  /** By signer and view: the first view-change (and whether this replica forwarded it as disputed) and new-view. */
  private readonly views = new Map<NodeId, Map<number, { viewChange?: ViewChange; viewChangeDisputed?: boolean; newView?: NewView }>>();

  /** @returns evidence when `statement` contradicts one noted before, else undefined (and it is noted when new) */
  note(statement: AgreementStatement): MisbehaviourEvidence | undefined {
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

  /**
   * Note a signed checkpoint (below the stable checkpoint: ignored); `disputed`: this replica
   * forwards it already (a dispute recovered from its durable record), {@link takeDisputed} skips it.
   * @returns evidence when it contradicts the one its signer signed for that sequence number before
   */
  noteCheckpoint(checkpoint: Checkpoint, disputed = false): MisbehaviourEvidence | undefined {
    if (checkpoint.seq < this.checkpointFloor || checkpoint.sig.length !== SIGNATURE_BYTES) return undefined;
    let bySeq = this.checkpoints.get(checkpoint.replica);
    if (bySeq === undefined) this.checkpoints.set(checkpoint.replica, (bySeq = new Map()));
    const held = bySeq.get(checkpoint.seq);
    if (held !== undefined) return contradicts(held.checkpoint, checkpoint) ? { first: held.checkpoint, second: checkpoint } : undefined;
    if (bySeq.size >= CHECKPOINT_STATEMENTS_PER_SIGNER) {
      const highest = Math.max(...bySeq.keys());
      if (checkpoint.seq > highest) return undefined;
      bySeq.delete(highest);
    }
    bySeq.set(checkpoint.seq, { checkpoint, disputed });
    return undefined;
  }

  /**
   * The checkpoints noted at `seq` whose state digest is not `stateDigest` and that this replica has
   * not yet forwarded as disputed; each is marked forwarded (so each is forwarded once).
   */
  takeDisputed(seq: number, stateDigest: Uint8Array): Checkpoint[] {
    const disputed: Checkpoint[] = [];
    for (const bySeq of this.checkpoints.values()) {
      const held = bySeq.get(seq);
      if (held === undefined || held.disputed || equalBytes(held.checkpoint.stateDigest, stateDigest)) continue;
      held.disputed = true;
      disputed.push(held.checkpoint);
    }
    return disputed;
  }

  /**
   * Note a signed view-change or new-view (for a view below `currentView`: ignored, and the signer's
   * entries below it forgotten).
   * @returns evidence when it contradicts the one of its kind its signer signed for that view before
   */
  noteView(statement: ViewChange | NewView, currentView: number): MisbehaviourEvidence | undefined {
    if (statement.sig.length !== SIGNATURE_BYTES) return undefined;
    let byView = this.views.get(statement.replica);
    if (byView === undefined) this.views.set(statement.replica, (byView = new Map()));
    for (const view of byView.keys()) if (view < currentView) byView.delete(view);
    if (statement.view < currentView) return undefined;
    let held = byView.get(statement.view);
    if (held === undefined) {
      if (byView.size >= VIEW_STATEMENTS_PER_SIGNER) {
        const highest = Math.max(...byView.keys());
        if (statement.view > highest) return undefined;
        byView.delete(highest);
      }
      byView.set(statement.view, (held = {}));
    }
    const first = statement.type === "viewChange" ? held.viewChange : held.newView;
    if (first === undefined) {
      if (statement.type === "viewChange") held.viewChange = statement;
      else held.newView = statement;
      return undefined;
    }
    return contradicts(first, statement) ? { first, second: statement } : undefined;
  }

  /**
   * Whether `vc` is the view-change noted for its signer and view (the first) and this replica has
   * not yet forwarded it as disputed; it is marked forwarded (so each is forwarded once).
   */
  takeViewChangeToDispute(vc: ViewChange): boolean {
    const held = this.views.get(vc.replica)?.get(vc.view);
    if (held?.viewChange === undefined || held.viewChangeDisputed === true || !equalBytes(held.viewChange.sig, vc.sig)) return false;
    held.viewChangeDisputed = true;
    return true;
  }

  /** Forget the agreement statements at or below `seq`, and the checkpoints below it (a stable checkpoint: nothing there is decided again). */
  forgetThrough(seq: number): void {
    for (const s of this.bySeq.keys()) if (s <= seq) this.bySeq.delete(s);
    this.checkpointFloor = Math.max(this.checkpointFloor, seq);
    for (const [signer, bySeq] of this.checkpoints) {
      for (const s of bySeq.keys()) if (s < seq) bySeq.delete(s);
      if (bySeq.size === 0) this.checkpoints.delete(signer);
    }
  }
}

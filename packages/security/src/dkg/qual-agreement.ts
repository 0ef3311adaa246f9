import type { NodeId } from "@synod/core";
import { toHex } from "../bytes.js";
import { statementBytes } from "../statement.js";
import type { DkgKeys } from "./dkg-keys.js";
import { dkgValueCodec, type DkgMessage, type DkgValue, type PreparedCertificate, type SignedViewChange } from "./dkg-messages.js";
import { VoteTally, type SignedVote } from "./vote-tally.js";

/** The agreement's messages (a subset of {@link DkgMessage}). */
export type AgreementMessage = DkgMessage & { readonly type: "viewChange" | "propose" | "prepare" | "commit" | "decided" };

type Vote = AgreementMessage & { readonly type: "prepare" | "commit" };
type ViewChange = AgreementMessage & { readonly type: "viewChange" };
type Proposal = AgreementMessage & { readonly type: "propose" };

/** A decided value with the signed commits of a quorum in one view (a decision certificate). */
export interface Decision {
  readonly view: number;
  readonly value: DkgValue;
  readonly votes: readonly SignedVote[];
}

/** Timing of the agreement, in ticks. */
export interface AgreementTiming {
  /** Resend interval of view-changes, proposals and votes (lost messages are re-sent, never assumed delivered). */
  readonly retransmitTicks: number;
  /** A view that has not made this participant decide within this many ticks is abandoned for the next. */
  readonly ballotTicks: number;
}

/** What the agreement asks of the DKG about a value (it treats values as opaque otherwise). */
export interface ValueRules {
  /** Whether `value` may decide at all: complete dealings only, enough of them (`valueFault`). Checked by everyone, always. */
  valid(value: DkgValue): boolean;
  /**
   * Whether this member accepts `value` as a leader's free choice (no lock binds the view): it
   * names every dealer this member requires (see `DkgNode`). A value a justification binds is
   * accepted without this check.
   */
  acceptsFree(value: DkgValue): boolean;
  /** A valid value was proposed: its complete dealings are evidence this member may propose too. */
  learn(value: DkgValue): void;
}

/** Views more than this far ahead of a member's own are not tallied (their votes are resent later). */
export const MAX_VIEWS_AHEAD = 64;

/** @returns Q = ⌈(n+f+1)/2⌉: two quorums share f+1 members (one correct), and n−f ≥ Q correct ones exist when n ≥ 3f+1 */
export function agreementQuorum(n: number, faults: number): number {
  return Math.ceil((n + faults + 1) / 2);
}

/** @returns the bytes a member signs to prepare the value with `digest` in `view` */
export function prepareStatement(view: number, digest: Uint8Array): Uint8Array {
  return statementBytes("synod/dkg/prepare/v1", view, digest);
}

/** @returns the bytes a member signs to commit the value with `digest` in `view` */
export function commitStatement(view: number, digest: Uint8Array): Uint8Array {
  return statementBytes("synod/dkg/commit/v1", view, digest);
}

/** @returns the bytes a member signs to move to `view` locked on `prepared` (or on nothing) */
export function viewChangeStatement(view: number, prepared: PreparedCertificate | undefined): Uint8Array {
  return statementBytes("synod/dkg/view-change/v1", view, prepared === undefined ? 0 : prepared.view + 1, prepared?.digest ?? new Uint8Array(0));
}

/**
 * Byzantine agreement on one value (the qualified set) with signed votes, single-shot PBFT: views
 * with rotating leaders (view v is led by member v mod n), quorums of Q = ⌈(n+f+1)/2⌉, safe with
 * up to f Byzantine members when n ≥ 3f+1 (any two quorums share a correct member), under any
 * loss, duplication, reordering, delay and partition; live once the network is stable with at most
 * n−Q members faulty (crashed, withdrawn or Byzantine). With f = 0 the quorums are majorities and
 * it is a crash-tolerant protocol for n ≥ 2c+1 crashes.
 * 1. *Propose*: the leader of view 0 proposes its value when ready; the leader of view v > 0
 *    first collects Q signed view-changes for v and proposes the value of the highest prepared
 *    certificate among them (or, with none, its own), with those view-changes as justification.
 * 2. *Prepare*: a member in view v prepares (signed, to everyone) the first proposal of v's leader
 *    whose value is valid and whose justification binds it — or, unbound, that it accepts freely.
 * 3. *Commit*: a member that prepared a digest and holds Q prepares of it in its current view is
 *    *locked* on it (its prepared certificate) and commits (signed, to everyone).
 * 4. *Decide* on Q commits of one digest in one view; the commits are the certificate a decided
 *    member answers anyone still talking with.
 * A view lasts `ballotTicks`; a member then sends a view-change for the next carrying its lock; it
 * also jumps to a higher view once f+1 members (one correct) said they are there, and enters a
 * view on a justified proposal for it. It never prepares or commits in a view below its own.
 * Why a decided value stays: Q commits in view v mean at least Q−f correct members locked on it
 * before leaving v; any Q view-changes for a later view include one of them, so the highest
 * certificate there is from view ≥ v, and certificates of views ≥ v are all for that value
 * (two prepare quorums of one view share a correct member, who prepares once a view; a leader of
 * a later view must propose that value, and correct members check the justification).
 */
export class QualAgreement {
  /** The view this participant is in. */
  view = 0;
  /** The decision, once made. */
  decision: Decision | undefined;
  /** Proposals, view-changes and votes refused (bad signatures, unjustified or invalid values). */
  refused = 0;
  private viewStart = 0;
  /** The highest prepared certificate, with its value: what this member is locked on. */
  private locked: { readonly cert: PreparedCertificate; readonly value: DkgValue } | undefined;
  private myViewChange: ViewChange | undefined;
  private myPrepare: Vote | undefined;
  private myCommit: Vote | undefined;
  private proposing: Proposal | undefined;
  /** Each member's latest verified view-change (the highest view it said it is in). */
  private readonly viewChanges = new Map<NodeId, SignedViewChange>();
  private readonly prepares = new VoteTally(MAX_VIEWS_AHEAD);
  private readonly commits = new VoteTally(MAX_VIEWS_AHEAD);
  /** Valid values seen, by digest (hex): proposals, view-change attachments. */
  private readonly values = new Map<string, DkgValue>();
  /** Validity verdicts by digest (hex), so a resent value is checked once. */
  private readonly validity = new Map<string, boolean>();
  /** Q: prepares that lock, commits that decide, view-changes that justify. */
  readonly quorum: number;

  constructor(
    private readonly self: NodeId,
    private readonly members: readonly NodeId[],
    /** f: Byzantine members tolerated (n ≥ 3f+1 for liveness with f of them faulty). */
    private readonly faults: number,
    private readonly keys: DkgKeys,
    private readonly timing: AgreementTiming,
    private readonly rules: ValueRules,
  ) {
    this.quorum = agreementQuorum(members.length, faults);
  }

  /** @returns the leader of view `v` */
  leaderOf(v: number): NodeId {
    return this.members[v % this.members.length] as NodeId;
  }

  /** One tick: abandon an expired view; as leader, propose once it can; every `retransmitTicks`, resend what this member said in this view. */
  tick(now: number, proposal: () => DkgValue | undefined, send: (to: NodeId, message: AgreementMessage) => void): void {
    if (this.decision !== undefined) return;
    if (now - this.viewStart >= this.timing.ballotTicks) this.enter(this.view + 1, now);
    let resend = (now - this.viewStart) % this.timing.retransmitTicks === 0;
    if (this.leaderOf(this.view) === this.self && this.proposing === undefined) {
      const made = this.propose(proposal);
      if (made !== undefined) {
        this.proposing = made;
        resend = true;
        if (this.onProposal(this.self, made, now, send)) return;
      }
    }
    if (!resend) return;
    for (const member of this.members) {
      if (member === this.self) continue;
      if (this.myViewChange !== undefined) send(member, this.myViewChange);
      if (this.proposing !== undefined) send(member, this.proposing);
      if (this.myPrepare?.view === this.view) send(member, this.myPrepare);
      if (this.myCommit !== undefined) send(member, this.myCommit);
    }
  }

  /**
   * Handle an agreement message from `from` (already known to be another member).
   * @returns whether it decided just now
   */
  receive(from: NodeId, message: AgreementMessage, now: number, send: (to: NodeId, message: AgreementMessage) => void): boolean {
    const certificate = this.certificate();
    if (certificate !== undefined) {
      // Decided: whoever still talks has not; answer with the decision and its certificate.
      if (message.type !== "decided") send(from, certificate);
      return false;
    }
    switch (message.type) {
      case "viewChange":
        this.onViewChange(from, message, now);
        return false;
      case "propose":
        if (from !== this.leaderOf(message.view)) return false;
        return this.onProposal(from, message, now, send);
      case "prepare":
        return this.onPrepare(from, message, send);
      case "commit":
        return this.onCommit(from, message);
      case "decided":
        return this.onDecided(message);
    }
  }

  /** @returns the decision as a message (value and Q signed commits), once decided */
  certificate(): AgreementMessage | undefined {
    const decision = this.decision;
    return decision === undefined ? undefined : { type: "decided", view: decision.view, value: decision.value, votes: [...decision.votes] };
  }

  /** As leader of this view: the proposal, once Q view-changes (view 0: none) and a value are at hand. */
  private propose(proposal: () => DkgValue | undefined): Proposal | undefined {
    if (this.view === 0) {
      const value = proposal();
      return value === undefined ? undefined : { type: "propose", view: 0, value, justification: [] };
    }
    const here = [...this.viewChanges.values()].filter((vc) => vc.view === this.view);
    if (here.length < this.quorum) return undefined;
    here.sort((a, b) => (b.prepared?.view ?? -1) - (a.prepared?.view ?? -1));
    const justification = here.slice(0, this.quorum);
    const highest = justification[0]?.prepared;
    const value = highest === undefined ? proposal() : this.values.get(toHex(highest.digest));
    return value === undefined ? undefined : { type: "propose", view: this.view, value, justification };
  }

  private onProposal(from: NodeId, message: Proposal, now: number, send: (to: NodeId, message: AgreementMessage) => void): boolean {
    const { view, value, justification } = message;
    if (view < this.view || this.myPrepare?.view === view) return false;
    const digest = this.digest(value);
    const hex = toHex(digest);
    const bound = this.binding(view, justification);
    if (bound === null || !this.validValue(hex, value)) {
      this.refused++;
      return false;
    }
    this.values.set(hex, value);
    this.rules.learn(value);
    if (bound !== undefined ? bound !== hex : !this.rules.acceptsFree(value)) {
      if (bound !== undefined) this.refused++;
      return false;
    }
    if (view > this.view) this.enter(view, now);
    const prepare = (this.myPrepare = this.vote("prepare", view, digest));
    if (from !== this.self) for (const member of this.members) if (member !== this.self) send(member, prepare);
    return this.onPrepare(this.self, prepare, send);
  }

  /**
   * What a proposal's justification binds its value to: undefined when nothing (view 0, or no
   * prepared certificate among the view-changes), the digest (hex) of the highest certificate, or
   * null when the justification is not Q valid view-changes for `view` from distinct members.
   */
  private binding(view: number, justification: readonly SignedViewChange[]): string | undefined | null {
    if (view === 0) return justification.length === 0 ? undefined : null;
    const signers = new Set<NodeId>();
    let highest: PreparedCertificate | undefined;
    for (const vc of justification) {
      if (vc.view !== view || signers.has(vc.signer) || !this.validViewChange(vc)) return null;
      signers.add(vc.signer);
      if (vc.prepared !== undefined && (highest === undefined || vc.prepared.view > highest.view)) highest = vc.prepared;
    }
    if (signers.size < this.quorum) return null;
    return highest === undefined ? undefined : toHex(highest.digest);
  }

  private onViewChange(from: NodeId, message: ViewChange, now: number): void {
    const vc: SignedViewChange = { signer: from, view: message.view, prepared: message.prepared, sig: message.sig };
    const known = this.viewChanges.get(from);
    if (known !== undefined && known.view >= vc.view) return;
    if (vc.view === 0 || !this.validViewChange(vc)) {
      this.refused++;
      return;
    }
    this.viewChanges.set(from, vc);
    if (message.value !== undefined && vc.prepared !== undefined) {
      const hex = toHex(this.digest(message.value));
      if (hex === toHex(vc.prepared.digest) && this.validValue(hex, message.value)) this.values.set(hex, message.value);
    }
    // f+1 members (one of them correct) are in higher views: catch up with the lowest of them.
    const ahead = [...this.viewChanges.values()].map((v) => v.view).filter((v) => v > this.view).sort((a, b) => b - a);
    const target = ahead[this.faults];
    if (target !== undefined) this.enter(target, now);
  }

  private validViewChange(vc: SignedViewChange): boolean {
    const key = this.keys.publicKeyOf(vc.signer);
    if (key === undefined || !this.keys.provider.verify(key, viewChangeStatement(vc.view, vc.prepared), vc.sig)) return false;
    const cert = vc.prepared;
    return cert === undefined || (cert.view < vc.view && this.countSigners(cert.votes, prepareStatement(cert.view, cert.digest)) >= this.quorum);
  }

  private onPrepare(from: NodeId, vote: Vote, send: (to: NodeId, message: AgreementMessage) => void): boolean {
    if (!this.verifyVote(from, vote, prepareStatement) || !this.prepares.add(vote.view, this.view, from, toHex(vote.digest), vote.sig)) return false;
    const mine = this.myPrepare;
    if (mine === undefined || mine.view !== this.view || this.myCommit?.view === this.view) return false;
    const hex = toHex(mine.digest);
    const votes = this.prepares.votes(mine.view, hex);
    if (votes.length < this.quorum) return false;
    this.locked = { cert: { view: mine.view, digest: mine.digest, votes }, value: this.values.get(hex) as DkgValue };
    const commit = (this.myCommit = this.vote("commit", mine.view, mine.digest));
    for (const member of this.members) if (member !== this.self) send(member, commit);
    return this.onCommit(this.self, commit);
  }

  private onCommit(from: NodeId, vote: Vote): boolean {
    if (!this.verifyVote(from, vote, commitStatement) || !this.commits.add(vote.view, this.view, from, toHex(vote.digest), vote.sig)) return false;
    const hex = toHex(vote.digest);
    const votes = this.commits.votes(vote.view, hex);
    const value = this.values.get(hex);
    if (votes.length < this.quorum || value === undefined) return false;
    this.decision = { view: vote.view, value, votes };
    return true;
  }

  private onDecided(message: Decision): boolean {
    const digest = this.digest(message.value);
    if (!this.validValue(toHex(digest), message.value) || this.countSigners(message.votes, commitStatement(message.view, digest)) < this.quorum) {
      this.refused++;
      return false;
    }
    this.decision = { view: message.view, value: message.value, votes: message.votes };
    return true;
  }

  private verifyVote(from: NodeId, vote: Vote, statement: (view: number, digest: Uint8Array) => Uint8Array): boolean {
    const key = this.keys.publicKeyOf(from);
    if (key !== undefined && this.keys.provider.verify(key, statement(vote.view, vote.digest), vote.sig)) return true;
    this.refused++;
    return false;
  }

  /** @returns how many distinct members signed `statement` among `votes` */
  private countSigners(votes: readonly SignedVote[], statement: Uint8Array): number {
    const signers = new Set<NodeId>();
    for (const { signer, sig } of votes) {
      const key = this.keys.publicKeyOf(signer);
      if (key !== undefined && !signers.has(signer) && this.keys.provider.verify(key, statement, sig)) signers.add(signer);
    }
    return signers.size;
  }

  private validValue(hex: string, value: DkgValue): boolean {
    let verdict = this.validity.get(hex);
    if (verdict === undefined) this.validity.set(hex, (verdict = this.rules.valid(value)));
    return verdict;
  }

  private vote(type: "prepare" | "commit", view: number, digest: Uint8Array): Vote {
    const statement = type === "prepare" ? prepareStatement(view, digest) : commitStatement(view, digest);
    return { type, view, digest, sig: this.keys.provider.sign(this.keys.secretKey, statement) };
  }

  /** Enter view `v` (> the current one): send a signed view-change carrying this member's lock. */
  private enter(v: number, now: number): void {
    this.view = v;
    this.viewStart = now;
    this.proposing = undefined;
    const prepared = this.locked?.cert;
    const sig = this.keys.provider.sign(this.keys.secretKey, viewChangeStatement(v, prepared));
    this.myViewChange = { type: "viewChange", view: v, prepared, sig, value: this.locked?.value };
    this.viewChanges.set(this.self, { signer: this.self, view: v, prepared, sig });
  }

  private digest(value: DkgValue): Uint8Array {
    return this.keys.provider.sha256(dkgValueCodec.encode(value));
  }
}

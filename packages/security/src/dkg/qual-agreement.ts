import type { NodeId } from "@synod/core";
import { toHex } from "../bytes.js";
import { statementBytes } from "../statement.js";
import type { DkgKeys } from "./dkg-keys.js";
import { dkgValueCodec, type DkgMessage, type DkgValue } from "./dkg-messages.js";

/** The agreement's messages (a subset of {@link DkgMessage}). */
export type AgreementMessage = DkgMessage & { readonly type: "ballot" | "prepare" | "promise" | "accept" | "accepted" | "decided" };

type Vote = AgreementMessage & { readonly type: "accepted" };

/** A decided value with the signed votes of a quorum in one ballot (a decision certificate). */
export interface Decision {
  readonly ballot: number;
  readonly value: DkgValue;
  readonly votes: readonly { readonly signer: NodeId; readonly sig: Uint8Array }[];
}

/** Timing of the agreement, in ticks. */
export interface AgreementTiming {
  /** Resend interval of prepares, accepts and votes (lost messages are re-sent, never assumed delivered). */
  readonly retransmitTicks: number;
  /** A ballot whose leader has not made this participant decide within this many ticks is abandoned for the next. */
  readonly ballotTicks: number;
}

/** @returns the bytes an acceptor signs to vote for the value with `digest` in `ballot` */
export function voteStatement(ballot: number, digest: Uint8Array): Uint8Array {
  return statementBytes("synod/dkg/accepted/v1", ballot, digest);
}

/**
 * Agreement on one value (the qualified set): single-decree Paxos among all members with rotating
 * leaders (ballot b is led by member b mod n) and quorums of n−t, so any two quorums share a member
 * (n ≥ 2t+1). Safe under any loss, duplication, reordering, delay and partition — a value decides
 * only with n−t votes in one ballot, and a leader of a later ballot proposes the value accepted in
 * the highest ballot among n−t promises — with up to t members crashed (a restarted member
 * withdraws). Live once the network is stable: a ballot lasts `ballotTicks`, members that move to a
 * ballot tell its leader, and every message is resent until decided. Votes are signed, so a decision
 * travels with its certificate (n−t votes) and a participant that missed the votes learns it from
 * any decided peer. Acceptors accept, and learners decide, only values that pass `valid`.
 */
export class QualAgreement {
  /** The ballot this participant is in (it promised to ignore lower ones). */
  ballot = 0;
  /** The decision, once made. */
  decision: Decision | undefined;
  private ballotStart = 0;
  private lastAccepted: { ballot: number; value: DkgValue } | undefined;
  private myVote: Vote | undefined;
  private readonly promises = new Map<NodeId, { ballot: number; value: DkgValue } | undefined>();
  private proposing: DkgValue | undefined;
  private readonly votes = new Map<string, Map<NodeId, Uint8Array>>();
  /** n−t: votes that decide, promises a leader needs. */
  private readonly quorum: number;
  private readonly values = new Map<string, DkgValue>();

  constructor(
    private readonly self: NodeId,
    private readonly members: readonly NodeId[],
    t: number,
    private readonly keys: DkgKeys,
    private readonly timing: AgreementTiming,
    private readonly valid: (value: DkgValue) => boolean,
  ) {
    this.quorum = members.length - t;
    this.enter(0, 0);
  }

  /** @returns the leader of ballot `b` */
  leaderOf(b: number): NodeId {
    return this.members[b % this.members.length] as NodeId;
  }

  /**
   * One tick: abandon an expired ballot; as leader, prepare, propose (the highest accepted value
   * among the promises, else `proposal()` once it is ready) and resend; as acceptor, resend the last vote.
   */
  tick(now: number, proposal: () => DkgValue | undefined, send: (to: NodeId, message: AgreementMessage) => void): void {
    if (this.decision !== undefined) return;
    if (now - this.ballotStart >= this.timing.ballotTicks) this.enter(this.ballot + 1, now);
    let resend = (now - this.ballotStart) % this.timing.retransmitTicks === 0;
    const leading = this.leaderOf(this.ballot) === this.self;
    if (leading && this.proposing === undefined && this.promises.size >= this.quorum) {
      const value = this.highestAccepted() ?? proposal();
      if (value !== undefined) {
        this.proposing = value;
        if (this.acceptLocally(this.ballot, value)) return;
        resend = true;
      }
    }
    if (!resend) return;
    if (!leading) send(this.leaderOf(this.ballot), { type: "ballot", ballot: this.ballot });
    for (const member of this.members) {
      if (member === this.self) continue;
      if (leading && this.proposing === undefined && !this.promises.has(member)) send(member, { type: "prepare", ballot: this.ballot });
      if (leading && this.proposing !== undefined) send(member, { type: "accept", ballot: this.ballot, value: this.proposing });
      if (this.myVote !== undefined) send(member, this.myVote);
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
      case "ballot":
        if (message.ballot > this.ballot && this.leaderOf(message.ballot) === this.self) this.enter(message.ballot, now);
        return false;
      case "prepare":
        if (from !== this.leaderOf(message.ballot) || message.ballot < this.ballot) return false;
        if (message.ballot > this.ballot) this.enter(message.ballot, now);
        send(from, { type: "promise", ballot: message.ballot, accepted: this.lastAccepted });
        return false;
      case "promise":
        if (message.ballot !== this.ballot || this.leaderOf(message.ballot) !== this.self) return false;
        if (message.accepted !== undefined && !this.valid(message.accepted.value)) return false;
        this.promises.set(from, message.accepted);
        return false;
      case "accept":
        return this.onAccept(from, message.ballot, message.value, now, send);
      case "accepted":
        return this.onVote(from, message.ballot, message.digest, message.sig);
      case "decided":
        return this.onDecided(message);
    }
  }

  /** @returns the decision as a message (value and n−t signed votes), once decided */
  certificate(): AgreementMessage | undefined {
    const decision = this.decision;
    return decision === undefined ? undefined : { type: "decided", ballot: decision.ballot, value: decision.value, votes: [...decision.votes] };
  }

  private onAccept(from: NodeId, ballot: number, value: DkgValue, now: number, send: (to: NodeId, message: AgreementMessage) => void): boolean {
    if (from !== this.leaderOf(ballot) || ballot < this.ballot || (this.lastAccepted?.ballot === ballot) || !this.valid(value)) return false;
    if (ballot > this.ballot) this.enter(ballot, now);
    const decided = this.acceptLocally(ballot, value);
    for (const member of this.members) if (member !== this.self) send(member, this.myVote as Vote);
    return decided;
  }

  /** Accept `value` in `ballot`, sign the vote (resent until decided) and count it. @returns whether that decided */
  private acceptLocally(ballot: number, value: DkgValue): boolean {
    this.lastAccepted = { ballot, value };
    const digest = this.digest(value);
    this.myVote = { type: "accepted", ballot, digest, sig: this.keys.provider.sign(this.keys.secretKey, voteStatement(ballot, digest)) };
    this.values.set(toHex(digest), value);
    return this.onVote(this.self, ballot, digest, this.myVote.sig);
  }

  private onVote(from: NodeId, ballot: number, digest: Uint8Array, sig: Uint8Array): boolean {
    const key = this.keys.publicKeyOf(from);
    if (key === undefined || !this.keys.provider.verify(key, voteStatement(ballot, digest), sig)) return false;
    const id = `${ballot} ${toHex(digest)}`;
    const voters = this.votes.get(id) ?? new Map<NodeId, Uint8Array>();
    voters.set(from, sig);
    this.votes.set(id, voters);
    const value = this.values.get(toHex(digest));
    if (voters.size < this.quorum || value === undefined) return false;
    this.decision = { ballot, value, votes: [...voters].map(([signer, s]) => ({ signer, sig: s })) };
    return true;
  }

  private onDecided(message: Decision): boolean {
    if (!this.valid(message.value)) return false;
    const digest = this.digest(message.value);
    const signers = new Set<NodeId>();
    for (const { signer, sig } of message.votes) {
      const key = this.keys.publicKeyOf(signer);
      if (key !== undefined && this.keys.provider.verify(key, voteStatement(message.ballot, digest), sig)) signers.add(signer);
    }
    if (signers.size < this.quorum) return false;
    this.decision = { ballot: message.ballot, value: message.value, votes: message.votes };
    return true;
  }

  private highestAccepted(): DkgValue | undefined {
    let best: { ballot: number; value: DkgValue } | undefined;
    for (const accepted of this.promises.values()) if (accepted !== undefined && (best === undefined || accepted.ballot > best.ballot)) best = accepted;
    return best?.value;
  }

  private enter(ballot: number, now: number): void {
    this.ballot = ballot;
    this.ballotStart = now;
    this.promises.clear();
    this.proposing = undefined;
    if (this.leaderOf(ballot) === this.self) this.promises.set(this.self, this.lastAccepted);
  }

  private digest(value: DkgValue): Uint8Array {
    return this.keys.provider.sha256(dkgValueCodec.encode(value));
  }
}

import { StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { seededRandomBytes } from "../random.js";
import { blsSecretScalar } from "../bls.js";
import type { DkgKeys } from "./dkg-keys.js";
import { FRESH_DKG, rosterOf, type DkgMode } from "./dkg-mode.js";
import { complaintBodyCodec, dealBodyCodec, dkgMessageCodec, justificationBodyCodec } from "./dkg-messages.js";
import type { DkgItem, DkgMessage, DkgPhase, DkgRecord } from "./dkg-messages.js";
import { agreedCommitments, decideDkg, type DkgOutcome } from "./dkg-outcome.js";
import { DolevStrongPhase } from "./dolev-strong.js";
import { decodeShare, encodeShare, evaluatePolynomial, feldmanPolynomial, shareMatches, type FeldmanPolynomial } from "./feldman.js";

/** Settings of one DKG run. */
export interface DkgConfig {
  /** t: most faulty participants tolerated; the polynomials have degree t and t+1 shares sign. Needs n ≥ 2t+1. */
  readonly t: number;
  /** Ticks per round: must exceed the largest message delay plus the clock offset between participants. */
  readonly roundTicks: number;
  readonly keys: DkgKeys;
  /** What the run makes (default a fresh key; see {@link DkgMode}). */
  readonly mode?: DkgMode;
}

/** What the application sees: the DKG finished with this qualified set and group key. */
export type DkgOutput = { readonly type: "done"; readonly qual: readonly NodeId[]; readonly groupPublicKey: Uint8Array };

/** Counts of what a participant refused or did. */
export interface DkgCounters {
  malformed: number;
  unknownSender: number;
  lateItems: number;
  badItems: number;
  messagesSent: number;
}

type DkgStep = Step<DkgMessage, DkgOutput, DkgRecord>;
type Builder = StepBuilder<DkgMessage, DkgOutput, DkgRecord>;

/**
 * A participant in a dealerless distributed key generation for t-of-n BLS threshold signatures
 * (Pedersen's Joint-Feldman DKG, with Gennaro et al.'s complaint rules), in the synchronous model:
 * 3(t+1) rounds of `roundTicks` ticks from the first tick.
 * 1. deal: draw f_i of degree t, broadcast its Feldman commitments, send f_i(j) to each j privately;
 * 2. complain: broadcast a complaint against each dealer whose share is missing or fails its commitments;
 * 3. justify: each dealer reveals the share of each complainer.
 * Every broadcast is Dolev–Strong (t+1 rounds, signature chains), so correct participants agree on
 * each phase's items, then decide with {@link decideDkg}. A participant that restarts mid-protocol
 * (it recovers its `started` record) stays out: it counts among the t faulty.
 */
export class DkgNode implements ProtocolNode<DkgMessage, never, DkgOutput, DkgRecord> {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  /** Whether this participant restarted mid-protocol (or recovered damaged state) and takes no part. */
  readonly passive: boolean;
  readonly counters: DkgCounters = { malformed: 0, unknownSender: 0, lateItems: 0, badItems: 0, messagesSent: 0 };
  /** The outcome, once the last round ended. */
  outcome: DkgOutcome | undefined;
  /** The tick at which the outcome was decided. */
  decidedAtTick: number | undefined;
  private ticks = 0;
  private readonly phases: DolevStrongPhase[];
  private readonly privateShares = new Map<NodeId, bigint>();
  private polynomial: FeldmanPolynomial | undefined;
  private readonly random;
  private nextPhase = 0;

  constructor(
    ctx: NodeContext<DkgRecord>,
    readonly config: DkgConfig,
  ) {
    this.id = ctx.id;
    this.members = ctx.members;
    this.passive = ctx.recovered.records.length > 0 || ctx.recovered.corrupted > 0;
    this.random = seededRandomBytes(ctx.rng.fork("dkg-polynomial"));
    this.phases = ([0, 1, 2] as const).map((phase) => new DolevStrongPhase(phase, config.t, this.id, config.keys));
  }

  /** Rounds per broadcast phase (t+1). */
  get roundsPerPhase(): number {
    return this.config.t + 1;
  }

  /** The tick at which the outcome is decided: after three phases of t+1 rounds. */
  get decisionTick(): number {
    return 3 * this.roundsPerPhase * this.config.roundTicks;
  }

  /** What this run makes. */
  get mode(): DkgMode {
    return this.config.mode ?? FRESH_DKG;
  }

  /** The current round, 1-based from the first tick. */
  private get round(): number {
    return Math.floor(this.ticks / this.config.roundTicks) + 1;
  }

  tick(): DkgStep {
    const out: Builder = new StepBuilder();
    if (this.passive || this.outcome !== undefined) return out.finish();
    if (this.ticks === 0) out.persist({ started: true });
    while (this.nextPhase < 3 && this.round > this.nextPhase * this.roundsPerPhase) this.startPhase(this.nextPhase++ as DkgPhase, out);
    this.ticks++;
    if (this.ticks >= this.decisionTick) this.decide(out);
    return out.finish();
  }

  receiveBytes(from: NodeId, bytes: Uint8Array): DkgStep {
    const decoded = dkgMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.counters.malformed++;
    return new StepBuilder<DkgMessage, DkgOutput, DkgRecord>().finish();
  }

  receive(from: NodeId, message: DkgMessage): DkgStep {
    const out: Builder = new StepBuilder();
    if (this.passive || this.outcome !== undefined) return out.finish();
    if (!this.members.includes(from) || from === this.id) {
      this.counters.unknownSender++;
      return out.finish();
    }
    if (message.type === "share") {
      const value = decodeShare(message.value);
      if (value !== undefined && !this.privateShares.has(from) && this.round <= this.roundsPerPhase) this.privateShares.set(from, value);
      else this.counters.badItems++;
    } else this.receiveItem(message, out);
    return out.finish();
  }

  request(): DkgStep {
    return new StepBuilder<DkgMessage, DkgOutput, DkgRecord>().finish();
  }

  private receiveItem(item: DkgItem, out: Builder): void {
    const phase = this.phases[item.phase] as DolevStrongPhase;
    const phaseRound = this.round - item.phase * this.roundsPerPhase;
    if (phaseRound > this.roundsPerPhase) {
      this.counters.lateItems++;
      return;
    }
    const refusedBefore = phase.refused;
    const relay = phase.offer(item, phaseRound);
    if (phase.refused > refusedBefore) this.counters.badItems++;
    if (relay !== undefined) this.broadcast(relay, out);
  }

  private startPhase(phase: DkgPhase, out: Builder): void {
    if (phase === 0) this.deal(out);
    else if (phase === 1) this.complain(out);
    else this.justify(out);
  }

  private deal(out: Builder): void {
    const mode = this.mode;
    const roster = rosterOf(mode, this.members);
    if (!roster.dealers.includes(this.id)) return;
    let constant: bigint | undefined;
    if (mode.kind === "refresh") constant = 0n;
    else if (mode.kind === "reshare") {
      if (mode.share === undefined) return; // a previous holder that lost its share cannot deal it
      constant = blsSecretScalar(mode.share.secretKey);
    }
    const polynomial = (this.polynomial = feldmanPolynomial(this.config.t, this.random, constant));
    for (const receiver of roster.receivers) {
      const value = evaluatePolynomial(polynomial.coefficients, roster.receiverIndex(receiver));
      if (receiver === this.id) this.privateShares.set(receiver, value);
      else this.send(receiver, { type: "share", value: encodeShare(value) }, out);
    }
    this.broadcast((this.phases[0] as DolevStrongPhase).originate(dealBodyCodec.encode({ commitments: [...polynomial.commitments] })), out);
  }

  private complain(out: Builder): void {
    const { commitments } = agreedCommitments(this.members, this.config.t, (this.phases[0] as DolevStrongPhase).items(), this.mode);
    const index = rosterOf(this.mode, this.members).receiverIndex(this.id);
    if (index === 0) return; // not receiving in this run: nothing to complain about
    for (const [dealer, vector] of commitments) {
      const share = this.privateShares.get(dealer);
      if (share !== undefined && shareMatches(vector, index, share)) continue;
      this.broadcast((this.phases[1] as DolevStrongPhase).originate(complaintBodyCodec.encode({ accused: dealer })), out);
    }
  }

  private justify(out: Builder): void {
    const polynomial = this.polynomial;
    if (polynomial === undefined) return;
    for (const { origin, body } of (this.phases[1] as DolevStrongPhase).items()) {
      const decoded = complaintBodyCodec.decode(body);
      const index = rosterOf(this.mode, this.members).receiverIndex(origin);
      if (!decoded.ok || decoded.value.accused !== this.id || index === 0) continue;
      const share = encodeShare(evaluatePolynomial(polynomial.coefficients, index));
      this.broadcast((this.phases[2] as DolevStrongPhase).originate(justificationBodyCodec.encode({ complainer: origin, share })), out);
    }
  }

  private decide(out: Builder): void {
    const [deals, complaints, justifications] = this.phases.map((phase) => phase.items()) as [never, never, never];
    this.outcome = decideDkg(this.members, this.config.t, this.id, { deals, complaints, justifications }, this.privateShares, this.mode);
    this.decidedAtTick = this.ticks;
    out.output({ type: "done", qual: this.outcome.qual, groupPublicKey: this.outcome.group.groupPublicKey });
  }

  private broadcast(message: DkgMessage, out: Builder): void {
    for (const member of this.members) if (member !== this.id) this.send(member, message, out);
  }

  private send(to: NodeId, message: DkgMessage, out: Builder): void {
    this.counters.messagesSent++;
    out.send({ from: this.id, to, message });
  }
}

import { ConfigError, requireNodeContext, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Step } from "@synod/core";
import { toHex } from "../bytes.js";
import { seededRandomBytes } from "../random.js";
import { blsSecretScalar } from "../bls.js";
import { commitmentsDigest, minimumQualified, supportStatement, valueDigestHex, valueFault, type DealingRules } from "./complete-dealing.js";
import { DealingCollector } from "./dealing-collector.js";
import type { DkgKeys } from "./dkg-keys.js";
import { FRESH_DKG, rosterOf, type DkgMode, type DkgRoster } from "./dkg-mode.js";
import { dkgMessageCodec, dkgValueCodec, type DkgMessage, type DkgRecord } from "./dkg-messages.js";
import { decideDkg, type DkgOutcome, type PrivateShare } from "./dkg-outcome.js";
import { decodeShare, encodeShare, evaluatePolynomial, feldmanPolynomial, shareMatches, type FeldmanPolynomial } from "./feldman.js";
import { agreementQuorum, QualAgreement, type AgreementMessage, type ValueRules } from "./qual-agreement.js";

/** Settings of one DKG run (times in ticks). */
export interface DkgConfig {
  /** t: the polynomials have degree t and t+1 shares sign (threshold t+1); 2f ≤ t ≤ n−f−1 when f > 0 (see {@link dkgConstraintFault}). */
  readonly t: number;
  /**
   * f: Byzantine members the agreement on the qualified set tolerates (n ≥ 3f+1; quorums of
   * ⌈(n+f+1)/2⌉). Default min(⌊t/2⌋, ⌊(n−1)/3⌋). With 0 the quorums are majorities: a crash-only
   * agreement for up to ⌊(n−1)/2⌋ crashed members, and no Byzantine member at all.
   */
  readonly faults?: number;
  readonly keys: DkgKeys;
  /** What the run makes (default a fresh key; see {@link DkgMode}). */
  readonly mode?: DkgMode;
  /** Resend interval of deals, supports, reveals and agreement messages (default {@link DEFAULT_DKG_TIMING}). */
  readonly retransmitTicks?: number;
  /** A dealer reveals the shares of receivers that have not supported it this long after dealing. */
  readonly revealAfterTicks?: number;
  /** After this long, a leader proposes without the dealers still incomplete (silent or cheating ones). */
  readonly excludeAfterTicks?: number;
  /** Length of an agreement ballot before the next leader takes over. */
  readonly ballotTicks?: number;
}

/** Default timing, in ticks (10 ms each in the simulator). */
export const DEFAULT_DKG_TIMING = Object.freeze({ retransmitTicks: 5, revealAfterTicks: 10, excludeAfterTicks: 300, ballotTicks: 40 });

/** @returns f for `n` members and threshold t+1 when the configuration names none: the largest the constraints allow, min(⌊t/2⌋, ⌊(n−1)/3⌋) */
export function defaultDkgFaults(n: number, t: number): number {
  return Math.min(Math.floor(t / 2), Math.floor((n - 1) / 3));
}

/**
 * Why n members cannot run a DKG of degree t whose agreement tolerates f Byzantine members, or
 * undefined when they can:
 * - n ≥ 3f+1: the agreement's quorums Q = ⌈(n+f+1)/2⌉ intersect in a correct member and n−f ≥ Q;
 * - f ≤ t: f members' shares (t+1 sign) do not sign, and a qualified set of ≥ t+1 dealers has a correct one;
 * - t ≥ 2f when f > 0: a correct dealer reveals at most t−f shares (secrecy: the f Byzantine members
 *   then hold at most t points of its polynomial), so it completes only if at most t−f receivers never
 *   support it — f Byzantine members that stay silent for good would stall every correct dealer otherwise;
 * - t+1 ≤ n−f: the correct members alone are enough dealers to qualify and enough holders to sign.
 */
export function dkgConstraintFault(n: number, t: number, faults: number): string | undefined {
  if (!Number.isSafeInteger(t) || t < 0) return `t must be a non-negative integer, got ${t}`;
  if (!Number.isSafeInteger(faults) || faults < 0) return `faults must be a non-negative integer, got ${faults}`;
  if (n < 3 * faults + 1) return `n = ${n} < 3f+1 = ${3 * faults + 1}`;
  if (faults > t) return `f = ${faults} > t = ${t}: f members would hold a threshold of shares`;
  if (faults > 0 && t < 2 * faults) {
    const suggestion = `choose t ≥ 2f = ${2 * faults} (t+1 ≤ n−f = ${n - faults}) or f ≤ ⌊t/2⌋ = ${Math.floor(t / 2)}`;
    return `t = ${t} < 2f = ${2 * faults}: a correct dealer reveals at most t−f = ${t - faults} shares, so f silent members would stall it; ${suggestion}`;
  }
  if (t + 1 > n - faults) return `t+1 = ${t + 1} > n−f = ${n - faults}: the correct members could not sign`;
  return undefined;
}

/** What the application sees: the DKG finished with this qualified set and group key. */
export type DkgOutput = { readonly type: "done"; readonly qual: readonly NodeId[]; readonly groupPublicKey: Uint8Array };

/** Counts of what a participant refused or did. */
export interface DkgCounters {
  malformed: number;
  unknownSender: number;
  badItems: number;
  messagesSent: number;
}

type DkgStep = Step<DkgMessage, DkgOutput, DkgRecord>;
type Builder = StepBuilder<DkgMessage, DkgOutput, DkgRecord>;

/**
 * A participant in a dealerless distributed key generation for t-of-n BLS threshold signatures
 * (Pedersen's Joint-Feldman DKG) that stays safe under loss, duplication, reordering, delay and
 * partitions, and finishes once the network is stable:
 * 1. deal: draw f_i of degree t; send each member the Feldman commitments, and each receiver
 *    f_i(j), until it supports them;
 * 2. support: a receiver whose share matches the commitments signs a support of them and sends it to everyone;
 * 3. reveal: a dealer reveals (to everyone) the shares of the receivers still not supporting it
 *    `revealAfterTicks` after dealing, at most t−f of them (secrecy against f colluders) — the complaint/justification of
 *    Gennaro et al., with "no support yet" as the complaint;
 * 4. agree: the members agree on the set of complete dealings ({@link QualAgreement}: Paxos, quorums
 *    of n−t); a leader proposes once every dealer is complete or withdrew, or after
 *    `excludeAfterTicks` without the rest. The agreed value is the qualified set: {@link decideDkg}.
 * Every message is resent until acknowledged (a support) or until decided; a decided participant
 * answers any other message with the decision and its certificate. A participant that restarts
 * mid-protocol (it recovers its `started` record) withdraws: it counts among the t faulty.
 */
export class DkgNode implements ProtocolNode<DkgMessage, never, DkgOutput, DkgRecord> {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  /** Whether this participant restarted mid-protocol (or recovered damaged state) and takes no part. */
  readonly passive: boolean;
  readonly counters: DkgCounters = { malformed: 0, unknownSender: 0, badItems: 0, messagesSent: 0 };
  /** The outcome, once decided. */
  outcome: DkgOutcome | undefined;
  /** Hex SHA-256 of the decided value's encoding ("" until decided). */
  decidedDigest = "";
  /** The tick at which the outcome was decided. */
  decidedAtTick: number | undefined;
  private ticks = 0;
  private readonly random;
  private readonly rules: DealingRules;
  private readonly roster: DkgRoster;
  private readonly timing: typeof DEFAULT_DKG_TIMING;
  private readonly collector: DealingCollector;
  private readonly agreement: QualAgreement;
  private readonly privateShares = new Map<NodeId, PrivateShare>();
  /** Dealers complete here when the exclusion timeout passed: a free proposal must name them all. */
  private requiredAfterTimeout: ReadonlySet<NodeId> | undefined;
  private readonly mySupports = new Map<NodeId, { digest: Uint8Array; sig: Uint8Array }>();
  private readonly revealed = new Map<NodeId, Uint8Array>();
  private polynomial: FeldmanPolynomial | undefined;

  constructor(
    ctx: NodeContext<DkgRecord>,
    readonly config: DkgConfig,
  ) {
    requireNodeContext({ ctx }, "DkgNode"); // the context as its driver passed it
    this.id = ctx.id;
    this.members = ctx.members;
    this.passive = ctx.recovered.records.length > 0 || ctx.recovered.corrupted > 0;
    this.random = seededRandomBytes(ctx.rng.fork("dkg-polynomial"));
    this.timing = { ...DEFAULT_DKG_TIMING, ...definedTiming(config) };
    this.rules = { members: this.members, t: config.t, mode: config.mode ?? FRESH_DKG, keys: config.keys };
    this.roster = rosterOf(this.rules.mode, this.members);
    this.collector = new DealingCollector(this.rules);
    const faults = config.faults ?? defaultDkgFaults(this.members.length, config.t);
    const fault = dkgConstraintFault(this.members.length, config.t, faults);
    if (fault !== undefined) throw new ConfigError("DkgConfig", fault, { n: this.members.length, t: config.t, faults });
    this.faults = faults;
    const rules: ValueRules = {
      valid: (value) => valueFault(this.rules, value) === undefined,
      acceptsFree: (value) => this.acceptsFree(value),
      learn: (value) => this.collector.learn(value.dealings),
    };
    this.agreement = new QualAgreement(this.id, this.members, faults, config.keys, this.timing, rules);
  }

  /** f: Byzantine members the agreement tolerates. */
  readonly faults: number;

  /** Q: the agreement's quorum ⌈(n+f+1)/2⌉. */
  get quorum(): number {
    return agreementQuorum(this.members.length, this.faults);
  }

  /** Refusals of the agreement (bad votes, unjustified or invalid proposals). */
  get refusedVotes(): number {
    return this.agreement.refused;
  }

  /** What this run makes. */
  get mode(): DkgMode {
    return this.rules.mode;
  }

  /** The agreement view this participant is in (0 until a leader fails). */
  get ballot(): number {
    return this.agreement.view;
  }

  /**
   * Whether this member prepares `value` as a leader's free choice: before the exclusion timeout it
   * must name every dealer that has not withdrawn (what a correct leader waits for); after it, every
   * dealer whose dealing was complete here when the timeout passed. So a correct dealer is left out
   * only if some correct member lacked its dealing for `excludeAfterTicks`, a faulty leader cannot
   * drop it, and a faulty dealer that completes later at a few members cannot stall the vote.
   */
  private acceptsFree(value: Parameters<typeof valueFault>[1]): boolean {
    const named = new Set(value.dealings.map((d) => d.dealer));
    const required = this.requiredAfterTimeout ?? this.roster.dealers.filter((id) => !this.collector.withdrawn.has(id));
    for (const dealer of required) if (!named.has(dealer)) return false;
    return true;
  }

  tick(): DkgStep {
    const out: Builder = new StepBuilder();
    const resend = this.ticks % this.timing.retransmitTicks === 0;
    if (this.passive) {
      if (resend) this.broadcast({ type: "withdrawn" }, out);
    } else if (this.outcome === undefined) {
      if (this.ticks === 0) {
        out.persist({ started: true });
        this.deal();
      }
      if (resend) this.resend(out);
      if (this.ticks >= this.timing.excludeAfterTicks && this.requiredAfterTimeout === undefined) {
        this.requiredAfterTimeout = new Set(this.roster.dealers.filter((id) => this.collector.dealing(id) !== undefined));
      }
      const proposal = () => this.collector.proposal(minimumQualified(this.rules), this.ticks >= this.timing.excludeAfterTicks);
      this.agreement.tick(this.ticks, proposal, (to, message) => this.send(to, message, out));
      if (this.agreement.decision !== undefined) this.decide(out);
    }
    this.ticks++;
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
    if (this.passive) return out.finish();
    if (!this.members.includes(from) || from === this.id) {
      this.counters.unknownSender++;
      return out.finish();
    }
    const certificate = this.agreement.certificate();
    if (certificate !== undefined && (message.type === "deal" || message.type === "supports" || message.type === "reveal")) {
      this.send(from, certificate, out); // the sender has not decided yet (agreement messages are answered by the agreement)
      return out.finish();
    }
    switch (message.type) {
      case "deal":
        this.onDeal(from, message.commitments, message.share, out);
        break;
      case "supports":
        for (const item of message.items) if (!this.collector.addSupport(from, item.dealer, item.digest, item.sig)) this.counters.badItems++;
        break;
      case "reveal":
        for (const { receiver, share } of message.shares) this.collector.addReveal(from, receiver, share);
        break;
      case "withdrawn":
        this.collector.withdrawn.add(from);
        break;
      default:
        if (this.agreement.receive(from, message as AgreementMessage, this.ticks, (to, m) => this.send(to, m, out))) this.decide(out);
    }
    return out.finish();
  }

  request(): DkgStep {
    return new StepBuilder<DkgMessage, DkgOutput, DkgRecord>().finish();
  }

  /** A dealer's commitments (and this receiver's share): support them if the share matches. */
  private onDeal(dealer: NodeId, commitments: Uint8Array[], shareBytes: Uint8Array | undefined, out: Builder): void {
    this.collector.addCommitments(dealer, commitments);
    const index = this.roster.receiverIndex(this.id);
    if (index === 0 || this.mySupports.has(dealer) || shareBytes === undefined || !this.roster.dealers.includes(dealer)) return;
    const share = decodeShare(shareBytes);
    if (commitments.length !== this.config.t + 1 || share === undefined || !shareMatches(commitments, index, share)) {
      this.counters.badItems++;
      return;
    }
    const digest = commitmentsDigest(this.config.keys.provider, commitments);
    this.privateShares.set(dealer, { digest: toHex(digest), value: share });
    const support = this.sign(dealer, digest);
    this.broadcast({ type: "supports", items: [support] }, out);
  }

  /** Deal: draw the polynomial (its constant fixed by the mode), keep this participant's own share and endorse the commitments. */
  private deal(): void {
    if (!this.roster.dealers.includes(this.id)) return;
    const mode = this.rules.mode;
    let constant: bigint | undefined;
    if (mode.kind === "refresh") constant = 0n;
    else if (mode.kind === "reshare") {
      if (mode.share === undefined) return; // a previous holder that lost its share cannot deal it
      constant = blsSecretScalar(mode.share.secretKey);
    }
    const polynomial = (this.polynomial = feldmanPolynomial(this.config.t, this.random, constant));
    const digest = commitmentsDigest(this.config.keys.provider, polynomial.commitments);
    this.collector.addCommitments(this.id, polynomial.commitments);
    const index = this.roster.receiverIndex(this.id);
    if (index !== 0) this.privateShares.set(this.id, { digest: toHex(digest), value: evaluatePolynomial(polynomial.coefficients, index) });
    this.sign(this.id, digest);
  }

  /** Sign a support of `dealer`'s commitments with `digest` and record it. */
  private sign(dealer: NodeId, digest: Uint8Array): { dealer: NodeId; digest: Uint8Array; sig: Uint8Array } {
    const sig = this.config.keys.provider.sign(this.config.keys.secretKey, supportStatement(dealer, digest));
    this.mySupports.set(dealer, { digest, sig });
    this.collector.addSupport(this.id, dealer, digest, sig);
    return { dealer, digest, sig };
  }

  /** Every `retransmitTicks`: deals to members not supporting yet, this participant's supports, and its reveals. */
  private resend(out: Builder): void {
    const polynomial = this.polynomial;
    if (polynomial !== undefined) {
      for (const member of this.members) {
        if (member === this.id || this.collector.supported(this.id, member)) continue;
        const index = this.roster.receiverIndex(member);
        const share = index === 0 ? undefined : encodeShare(evaluatePolynomial(polynomial.coefficients, index));
        this.send(member, { type: "deal", commitments: [...polynomial.commitments], share }, out);
      }
      if (this.ticks >= this.timing.revealAfterTicks) this.reveal(polynomial, out);
    }
    const items = [...this.mySupports].map(([dealer, { digest, sig }]) => ({ dealer, digest, sig }));
    this.broadcast({ type: "supports", items }, out);
  }

  /** Shares this dealer revealed so far (never more than {@link DkgNode.revealBudget}). */
  get revealedShares(): number {
    return this.revealed.size;
  }

  /**
   * t−f: the most shares a correct dealer reveals. The f Byzantine members hold f points of its
   * polynomial; with at most t−f revealed ones (of correct, possibly only slow, receivers) they know at
   * most t, and its secret stays hidden. With f silent receivers it still completes only when t ≥ 2f.
   */
  get revealBudget(): number {
    return this.config.t - this.faults;
  }

  /**
   * Reveal the shares of the receivers that have not supported this dealer, all at once and only if
   * that keeps the revealed ones within {@link DkgNode.revealBudget}: revealing some of them would
   * spend the budget without completing the dealing.
   */
  private reveal(polynomial: FeldmanPolynomial, out: Builder): void {
    const missing = this.roster.receivers.filter((id) => !this.collector.supported(this.id, id) && !this.revealed.has(id));
    if (missing.length > 0 && this.revealed.size + missing.length <= this.revealBudget) {
      for (const id of missing) {
        const share = encodeShare(evaluatePolynomial(polynomial.coefficients, this.roster.receiverIndex(id)));
        this.revealed.set(id, share);
        this.collector.addReveal(this.id, id, share);
      }
    }
    if (this.revealed.size > 0) this.broadcast({ type: "reveal", shares: [...this.revealed].map(([receiver, share]) => ({ receiver, share })) }, out);
  }

  private decide(out: Builder): void {
    const decision = this.agreement.decision;
    if (decision === undefined || this.outcome !== undefined) return;
    this.outcome = decideDkg(this.rules, this.id, decision.value, this.privateShares);
    this.decidedDigest = valueDigestHex(this.config.keys.provider, dkgValueCodec.encode(decision.value));
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

/** @returns the timing fields `config` sets */
function definedTiming(config: DkgConfig): Partial<typeof DEFAULT_DKG_TIMING> {
  const timing: Record<string, number> = {};
  for (const key of Object.keys(DEFAULT_DKG_TIMING) as (keyof typeof DEFAULT_DKG_TIMING)[]) {
    const value = config[key];
    if (value !== undefined) timing[key] = value;
  }
  return timing;
}

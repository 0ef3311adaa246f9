import { requireNodeContext, StepBuilder, type NodeContext, type NodeId, type ProtocolNode, type Rng, type Step } from "@synod/core";
import { utf8 } from "../bytes.js";
import type { NodeIdentity } from "../identity.js";
import { Keyring } from "../keyring.js";
import type { CryptoProvider } from "../provider.js";
import { seededRandomBytes } from "../random.js";
import { rotateIdentity } from "../rotation.js";
import { statementBytes } from "../statement.js";
import { keyGossipMessageCodec, type KeyGossipMessage, type KeyGossipRecord } from "./key-gossip-messages.js";
import { statementId, type KeyStatement } from "./key-statement.js";
import { applyRevocation, createRevocation, type RevocationCertificate } from "./revocation.js";

/** Settings of a key-gossip member. */
export interface KeyGossipConfig {
  readonly provider: CryptoProvider;
  /** Every member's epoch-0 public key (the bootstrap configuration). */
  readonly initialKeys: ReadonlyMap<NodeId, Uint8Array>;
  /** This member's epoch-0 secret key. */
  readonly initialSecretKey: Uint8Array;
  /** Ticks between two pushes of the known statements to one random peer. */
  readonly gossipEveryTicks: number;
  /** Ticks between two heartbeats to every peer. */
  readonly heartbeatEveryTicks: number;
  /**
   * Scenario: at this tick of its first life the member rotates its key and revokes the previous one
   * (undefined: never). For `leakTicks` ticks after, a thief holding the revoked key sends heartbeats
   * under it from this member's address.
   */
  readonly rotateAtTick?: number;
  readonly leakTicks: number;
}

/** What the application sees: a heartbeat accepted under (sender, epoch). */
export type KeyGossipOutput = { readonly type: "accepted"; readonly from: NodeId; readonly epoch: number };

type KeyGossipStep = Step<KeyGossipMessage, KeyGossipOutput, KeyGossipRecord>;
type Builder = StepBuilder<KeyGossipMessage, KeyGossipOutput, KeyGossipRecord>;

/** @returns the bytes a heartbeat is signed over */
export function heartbeatBytes(from: NodeId, epoch: number, seq: number): Uint8Array {
  return statementBytes("synod/keygossip/heartbeat/v1", utf8(from), epoch, seq);
}

/**
 * A member that distributes key rotations and revocations by push gossip (anti-entropy): every
 * statement is self-authenticating (a rotation is signed by the previous key, a revocation by the
 * revoked key), so any member may relay it and none can forge one. Each member applies what it can
 * to its {@link Keyring} (a rotation needs the one before; a revocation needs the key) and keeps the
 * rest pending; all members converge on the same keyring once every statement reached them. A
 * heartbeat under a key the member knows revoked is rejected and counted.
 * Not handled: a Byzantine owner signing two different rotations for one epoch (keyrings would
 * diverge; equivocation evidence should revoke the node).
 */
export class KeyGossipNode implements ProtocolNode<KeyGossipMessage, never, KeyGossipOutput, KeyGossipRecord> {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  readonly keyring: Keyring;
  readonly counters = { malformed: 0, unknownSender: 0, badStatements: 0, rejectedRevoked: 0, rejectedOther: 0, accepted: 0 };
  private readonly known = new Map<string, KeyStatement>();
  private pending: KeyStatement[] = [];
  private identity: NodeIdentity;
  private leaked: NodeIdentity | undefined;
  private leakUntil = -1;
  private ticks = 0;
  private seq = 0;
  private readonly rng: Rng;
  private readonly restarted: boolean;

  constructor(
    ctx: NodeContext<KeyGossipRecord>,
    private readonly config: KeyGossipConfig,
  ) {
    requireNodeContext({ ctx }, "KeyGossipNode"); // the context as its driver passed it
    this.id = ctx.id;
    this.members = ctx.members;
    this.rng = ctx.rng.fork("key-gossip");
    this.keyring = new Keyring(config.provider, { maxRetainedEpochs: 16 });
    for (const [member, key] of config.initialKeys) this.keyring.registerTrusted(member, key, 0);
    const initialKey = config.initialKeys.get(this.id) as Uint8Array;
    this.identity = { nodeId: this.id, epoch: 0, publicKey: initialKey, secretKey: config.initialSecretKey };
    this.restarted = ctx.recovered.records.length > 0;
    for (const record of ctx.recovered.records) {
      if (record.type === "ownKey") this.identity = { nodeId: this.id, epoch: record.epoch, publicKey: record.publicKey, secretKey: record.secretKey };
      else this.learn(record.statement);
    }
    this.applyPending();
  }

  /** This member's current key epoch. */
  get epoch(): number {
    return this.identity.epoch;
  }

  /** The statements this member knows (applied or pending). */
  statements(): KeyStatement[] {
    return [...this.known.values()];
  }

  tick(): KeyGossipStep {
    const out: Builder = new StepBuilder();
    if (!this.restarted && this.ticks === this.config.rotateAtTick) this.rotateAndRevoke(out);
    if (this.ticks % this.config.gossipEveryTicks === 0 && this.known.size > 0) {
      const peers = this.members.filter((m) => m !== this.id);
      out.send({ from: this.id, to: this.rng.pick(peers), message: { type: "sync", statements: this.statements() } });
    }
    if (this.ticks % this.config.heartbeatEveryTicks === 0) {
      this.heartbeat(this.identity, out);
      if (this.leaked !== undefined && this.ticks <= this.leakUntil) this.heartbeat(this.leaked, out);
    }
    this.ticks++;
    return out.finish();
  }

  receiveBytes(from: NodeId, bytes: Uint8Array): KeyGossipStep {
    const decoded = keyGossipMessageCodec.decode(bytes);
    if (decoded.ok) return this.receive(from, decoded.value);
    this.counters.malformed++;
    return new StepBuilder<KeyGossipMessage, KeyGossipOutput, KeyGossipRecord>().finish();
  }

  receive(from: NodeId, message: KeyGossipMessage): KeyGossipStep {
    const out: Builder = new StepBuilder();
    if (!this.members.includes(from) || from === this.id) {
      this.counters.unknownSender++;
      return out.finish();
    }
    if (message.type === "sync") {
      for (const statement of message.statements) if (this.learn(statement)) out.persist({ type: "statement", statement });
      this.applyPending();
      return out.finish();
    }
    const verdict = this.keyring.verify(from, message.epoch, heartbeatBytes(from, message.epoch, message.seq), message.signature, { allowSuperseded: true });
    if (verdict.ok) {
      this.counters.accepted++;
      out.output({ type: "accepted", from, epoch: message.epoch });
    } else if (verdict.error.reason === "revoked-key") this.counters.rejectedRevoked++;
    else this.counters.rejectedOther++;
    return out.finish();
  }

  request(): KeyGossipStep {
    return new StepBuilder<KeyGossipMessage, KeyGossipOutput, KeyGossipRecord>().finish();
  }

  private rotateAndRevoke(out: Builder): void {
    const previous = this.identity;
    const { identity, certificate } = rotateIdentity(this.config.provider, previous, seededRandomBytes(this.rng.fork(`rotate-${previous.epoch}`)));
    const revocation = createRevocation(this.config.provider, this.id, previous.epoch, previous.secretKey);
    out.persist({ type: "ownKey", epoch: identity.epoch, publicKey: identity.publicKey, secretKey: identity.secretKey });
    for (const statement of [{ kind: "rotation", certificate }, { kind: "revocation", certificate: revocation }] as KeyStatement[]) {
      if (this.learn(statement)) out.persist({ type: "statement", statement });
    }
    this.applyPending();
    this.identity = identity;
    this.leaked = previous;
    this.leakUntil = this.ticks + this.config.leakTicks;
  }

  private heartbeat(identity: NodeIdentity, out: Builder): void {
    const seq = this.seq++;
    const signature = this.config.provider.sign(identity.secretKey, heartbeatBytes(this.id, identity.epoch, seq));
    for (const to of this.members) if (to !== this.id) out.send({ from: this.id, to, message: { type: "heartbeat", epoch: identity.epoch, seq, signature } });
  }

  /** @returns whether the statement is new (then it is pending until applied) */
  private learn(statement: KeyStatement): boolean {
    const id = statementId(statement);
    if (this.known.has(id) || !this.members.includes(statement.certificate.nodeId)) return false;
    this.known.set(id, statement);
    this.pending.push(statement);
    return true;
  }

  private revoke(certificate: RevocationCertificate) {
    return applyRevocation(this.keyring, this.config.provider, certificate);
  }

  /** Apply pending statements until none applies (a rotation may unlock the next one, or a revocation). */
  private applyPending(): void {
    // Rotations first, in epoch order: a revocation of epoch e travels with the rotation away from e,
    // and a keyring refuses a rotation signed by a key it already knows revoked.
    this.pending.sort((a, b) => (a.kind === b.kind ? a.certificate.epoch - b.certificate.epoch : a.kind === "rotation" ? -1 : 1));
    for (let progress = true; progress; ) {
      progress = false;
      const still: KeyStatement[] = [];
      for (const statement of this.pending) {
        const { nodeId, epoch } = statement.certificate;
        const result = statement.kind === "rotation" ? this.keyring.applyRotation(statement.certificate) : this.revoke(statement.certificate);
        const ahead = epoch > (this.keyring.currentEpoch(nodeId) ?? 0);
        const waiting = !result.ok && (result.error.reason === "unknown-signer" || (result.error.reason === "stale-epoch" && ahead));
        if (result.ok) progress = true;
        else if (waiting) still.push(statement);
        else {
          this.counters.badStatements++;
          this.known.delete(statementId(statement));
        }
      }
      this.pending = still;
    }
  }
}

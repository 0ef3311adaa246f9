import type { ClusterView, HistoryEvent, Invariant, NodeId, Step } from "@synod/core";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import { equalBytes, toHex } from "@synod/security";
import { primaryOf } from "../certificates.js";
import { CHECKPOINT_STATEMENTS_PER_SIGNER, describeStatement, VIEW_STATEMENTS_PER_SIGNER } from "../evidence.js";
import { statementOf, verifySigned } from "../signing.js";
import { simulationKeys } from "./simulation-keys.js";
import type { PbftConfig } from "../config.js";
import type { PbftOutput } from "../io.js";
import type { Checkpoint, DisputeMessage, NewView, PbftMessage, ViewChange } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";
import { committedLocal } from "./committed-local.js";
import { DurabilityCheck } from "./durability.js";
import { DurableDisputes } from "./durable-disputes.js";
import { evidenceSpreadWatch } from "./evidence-spread.js";

/** The invariant type of the PBFT simulation target. */
export type PbftInvariant = Invariant<PbftNode<KvResult>, PbftMessage, PbftOutput<KvResult>, PbftRecord, KvOp, KvResult>;
type View = ClusterView<PbftNode<KvResult>, KvOp, KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** The safety properties checked in the simulator, named as in specs/pbft/PBFT.tla. */
export const PBFT_INVARIANT_NAMES = ["Agreement", "Validity", "Integrity", "ViewChangeSafety"] as const;

/**
 * Agreement: no two replicas commit different batches at one sequence number (whatever the views).
 * Every `committed` output is recorded by sequence number with its digest and the first replica.
 */
export function agreement(): PbftInvariant {
  const committed = new Map<number, { digest: Uint8Array; node: NodeId; view: number }>();
  return {
    name: "Agreement",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep) {
      for (const out of step.output) {
        if (out.type !== "committed") continue;
        const held = committed.get(out.seq);
        if (held === undefined) committed.set(out.seq, { digest: out.digest, node: id, view: out.view });
        else if (!equalBytes(held.digest, out.digest)) {
          return `sequence ${out.seq}: ${held.node} committed batch ${toHex(held.digest).slice(0, 12)} in view ${held.view}, ${id} committed ${toHex(out.digest).slice(0, 12)} in view ${out.view}`;
        }
      }
      return undefined;
    },
  };
}

/**
 * Validity: only requests a client issued execute — every executed request is an invocation of
 * the client history (same client, timestamp = invocation id, and the very command the client
 * signed for that operation).
 */
export function validity(): PbftInvariant {
  const invocations = new Map<number, HistoryEvent<KvOp, KvResult> & { type: "invoke" }>();
  let scanned = 0;
  return {
    name: "Validity",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View) {
      for (const out of step.output) {
        if (out.type !== "execute") continue;
        const history = view.history;
        for (; scanned < history.length; scanned++) {
          const event = history[scanned] as HistoryEvent<KvOp, KvResult>;
          if (event.type === "invoke") invocations.set(event.id, event);
        }
        const invoke = invocations.get(out.timestamp);
        if (invoke === undefined || invoke.client !== out.client) return `${id} executed request (client ${out.client}, timestamp ${out.timestamp}) that no client issued`;
        if (!equalBytes(encodeKvCommand({ client: invoke.client, seq: invoke.id, op: invoke.op }), out.command)) {
          return `${id} executed a command for (client ${out.client}, timestamp ${out.timestamp}) other than the one the client issued`;
        }
      }
      return undefined;
    },
  };
}

/** Integrity: each request executes at most once per replica (per node lifetime). */
export function integrity(): PbftInvariant {
  const executed = new WeakMap<object, Set<string>>();
  return {
    name: "Integrity",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View, given) {
      const node = given ?? view.nodes.get(id);
      if (node === undefined) return undefined;
      for (const out of step.output) {
        if (out.type !== "execute") continue;
        let seen = executed.get(node);
        if (seen === undefined) executed.set(node, (seen = new Set()));
        const key = `${out.client}:${out.timestamp}`;
        if (seen.has(key)) return `${id} executed request (client ${out.client}, timestamp ${out.timestamp}) twice (again at sequence ${out.seq})`;
        seen.add(key);
      }
      return undefined;
    },
  };
}

/**
 * ViewChangeSafety: a batch committed at sequence n in view v is the batch every replica accepts
 * at n in every later view. Checked both ways: a commit against the pre-prepares already accepted
 * in later views, and a pre-prepare against the commits of earlier views.
 */
export function viewChangeSafety(): PbftInvariant {
  const committed = new Map<number, { view: number; digest: Uint8Array; node: NodeId }>();
  const accepted = new Map<number, Map<number, { digest: Uint8Array; node: NodeId }>>();
  const conflict = (seq: number, c: { view: number; digest: Uint8Array; node: NodeId }, v: number, a: { digest: Uint8Array; node: NodeId }): string =>
    `sequence ${seq}: ${c.node} committed ${toHex(c.digest).slice(0, 12)} in view ${c.view}, but ${a.node} accepted ${toHex(a.digest).slice(0, 12)} there in later view ${v}`;
  return {
    name: "ViewChangeSafety",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep) {
      for (const out of step.output) {
        if (out.type === "committed") {
          const held = committed.get(out.seq);
          const entry = { view: out.view, digest: out.digest, node: id };
          if (held === undefined || out.view < held.view) committed.set(out.seq, entry);
          for (const [v, a] of accepted.get(out.seq) ?? []) if (v > out.view && !equalBytes(a.digest, out.digest)) return conflict(out.seq, entry, v, a);
        } else if (out.type === "prePrepared") {
          let views = accepted.get(out.seq);
          if (views === undefined) accepted.set(out.seq, (views = new Map()));
          const a = { digest: out.digest, node: id };
          if (!views.has(out.view)) views.set(out.view, a);
          const c = committed.get(out.seq);
          if (c !== undefined && c.view < out.view && !equalBytes(c.digest, out.digest)) return conflict(out.seq, c, out.view, a);
        }
      }
      return undefined;
    },
  };
}

/**
 * Checks of the implementation that the spec has no counterpart for (it has no crashes and no code
 * that can throw, no MACs, no service state and no clocks): `MessagesDurable`, `NoEquivocation` and
 * `ClaimsKept` (durability.ts), `NoInternalError`, `StateAgreement`, `ViewChangesPaced`, `EvidenceSound`,
 * `EvidenceFound`, `CommittedLocal` (committed-local.ts: the spec's committed-local, seen on the
 * wire, where a faulty replica's commits of another digest arrive), and `EvidenceSpread`
 * (evidence-spread.ts: its watch here, its demand a part of the liveness condition after healing).
 */
export const PBFT_IMPLEMENTATION_CHECK_NAMES = [
  "MessagesDurable",
  "NoEquivocation",
  "ClaimsKept",
  "NoInternalError",
  "StateAgreement",
  "ViewChangesPaced",
  "EvidenceSound",
  "EvidenceFound",
  "CommittedLocal",
  "EvidenceSpread",
] as const;

/** Whether more replicas than the cluster tolerates (⌊(n − 1)/3⌋) have been faulty: what PBFT promises no longer holds. */
function beyondF(view: View): boolean {
  return (view.faulty?.size ?? 0) > Math.floor((view.members.length - 1) / 3);
}

/**
 * StateAgreement: correct replicas hold one state at each checkpoint's sequence number — the state
 * digests they sign in their checkpoint messages, and the digests of the states they install by
 * state transfer, are equal. A replicated state machine's replicas go through the same states;
 * Agreement on the batches alone misses a replica whose state came from elsewhere (a transfer not
 * checked against the digest 2f + 1 replicas signed), which then answers from it, or executes the
 * right batches on the wrong state. Faulty replicas are left out (they may sign anything); with
 * more than f faulty, nothing is promised.
 */
export function stateAgreement(): PbftInvariant {
  const states = new Map<number, { digest: Uint8Array; node: NodeId; how: string }>();
  const agree = (seq: number, digest: Uint8Array, node: NodeId, how: string, view: View): string | undefined => {
    const held = states.get(seq);
    if (held === undefined) {
      states.set(seq, { digest, node, how });
      return undefined;
    }
    if (equalBytes(held.digest, digest) || beyondF(view)) return undefined;
    return `sequence ${seq}: ${held.node} ${held.how} state ${toHex(held.digest).slice(0, 12)}, ${node} ${how} state ${toHex(digest).slice(0, 12)}`;
  };
  return {
    name: "StateAgreement",
    // A checkpoint is taken in the step that executes its batch and a transfer ends in an output;
    // the sends of other steps only retransmit a checkpoint already seen.
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View) {
      if (view.faulty?.has(id) === true) return undefined;
      for (const out of step.output) {
        if (out.type !== "stateTransferred") continue;
        const wrong = agree(out.seq, out.stateDigest, id, "installed", view);
        if (wrong !== undefined) return wrong;
      }
      for (const envelope of step.send) {
        const m = envelope.message;
        if (m.type !== "checkpoint" || m.replica !== id) continue;
        const wrong = agree(m.seq, m.stateDigest, id, "checkpointed", view);
        if (wrong !== undefined) return wrong;
      }
      return undefined;
    },
  };
}

/**
 * The fewest ticks a correct replica spends in a started view before it leaves it on its own: the
 * view-change timeout, or with the slow-primary check (`ordering-pace.ts`) twice its least
 * expectation (a request overdue once is forwarded, its clock restarted, and only overdue again
 * replaces the primary; the clocks of requests already waiting restart when the view starts, and
 * the expectation is never below `slowPrimaryMinTicks` nor above the timeout).
 */
export function shortestOwnViewChange(config: PbftConfig): number {
  const timeout = config.viewChangeTimeoutTicks;
  return config.replaceSlowPrimary ? Math.min(timeout, 2 * Math.min(config.slowPrimaryMinTicks, timeout)) : timeout;
}

/**
 * ViewChangesPaced: one faulty replica cannot make the correct ones change views faster than their
 * view-change timeout allows (Castro & Liskov §4.5.2: a replica joins a view change on f + 1
 * view-changes, so the faulty ones alone cannot start one; Aardvark's "no faulty replica can force
 * view changes"). Stated on what can be observed: a correct replica moves up to view w only once
 * some correct replica has spent at least the shortest time after which it leaves a view on its own
 * ({@link shortestOwnViewChange}, ticks of its own clock) in view w − 1 or a later one. A correct
 * replica leaves a view on its own timer or on its slow-primary check (after at least that long in
 * it: hence the bound), or when following a
 * replica alone in a later view (after sixteen times that), or by joining f + 1 view-changes for
 * later views — one of them a correct replica's, for w or later, itself paced — or on a new-view,
 * which 2f + 1 view-changes for w back. One exception, the faulty replica's own doing: a view whose
 * primary is faulty and proven so to a correct replica (misbehaviour evidence, evidence.ts) is
 * skipped at once, so the views reachable are those up to the one after the highest timed out,
 * then past each next view led by a proven-faulty replica. Replicas are looked at after each of their steps (before a
 * crash point after the step takes one down) and after every event. A replica seen restarted is
 * taken at its recovered view (a step that crashed it before its sends may have moved it on its own
 * timer unseen: credited when it had been in its view within one tick of the timeout). Faulty
 * replicas are left out; with more than f, nothing is promised.
 */
export function viewChangesPaced(): PbftInvariant {
  /** By member: the node object last seen, its view, the tick (of that life) it entered the view at, and the ticks spent there when last seen. */
  const seen = new Map<NodeId, { node: PbftNode<KvResult>; view: number; entered: number; spent: number }>();
  /** The highest view some correct replica has spent a full view-change timeout in (−1: none yet). */
  let timedOut = -1;
  /** Faulty replicas some correct replica holds proven faulty: their views as primary may be skipped. */
  const proven = new Set<NodeId>();
  /** The highest view a correct replica may have moved to: past the highest timed out, and past each next one a proven-faulty replica leads. */
  const reachable = (members: readonly NodeId[]): number => {
    let view = timedOut + 1;
    for (let skipped = 0; skipped < members.length && proven.has(primaryOf(members, view)); skipped++) view++;
    return view;
  };
  const observe = (view: View, id: NodeId, node: PbftNode<KvResult> | undefined): string | undefined => {
    if (node === undefined || node.halted !== undefined || view.faulty?.has(id) === true) return undefined;
    for (const culprit of node.provenFaulty.keys()) if (view.faulty?.has(culprit) === true) proven.add(culprit);
    const timeout = shortestOwnViewChange(node.config);
    const held = seen.get(id);
    if (held === undefined || held.node !== node) {
      if (held !== undefined && node.view > held.view && held.spent + 1 >= timeout && held.view > timedOut) timedOut = held.view;
      seen.set(id, { node, view: node.view, entered: 0, spent: node.ticks });
      return undefined;
    }
    const spent = node.ticks - held.entered;
    if (spent >= timeout && held.view > timedOut) timedOut = held.view;
    if (node.view <= held.view) {
      held.spent = spent;
      return undefined;
    }
    const left = held.view;
    held.view = node.view;
    held.entered = node.ticks;
    held.spent = 0;
    if (node.view <= reachable(view.members) || beyondF(view)) return undefined;
    return (
      `${id} moved from view ${left} (after ${spent} ticks there) to view ${node.view}, but no correct replica has spent ` +
      `${timeout} ticks (the least after which it leaves a view on its own) in view ${node.view - 1} or later` +
      `${timedOut >= 0 ? ` (the highest such view is ${timedOut})` : ""}: ` +
      "faulty replicas alone made it change views"
    );
  };
  return {
    name: "ViewChangesPaced",
    // Every step, before a crash point that falls after it takes the node down (its view-change
    // may have left), and after every event (ticks that send nothing included).
    afterStep: (id, _step, view: View, given) => observe(view, id, given ?? view.nodes.get(id)),
    check: (view, changed, given) => (changed === undefined ? undefined : observe(view, changed, given ?? view.nodes.get(changed))),
  };
}

/**
 * EvidenceSound: no correct replica ever holds a correct replica proven faulty. Misbehaviour
 * evidence (evidence.ts) is two contradicting statements signed by the culprit; a correct replica
 * signs one per kind, view and sequence number and persists it before it leaves, so evidence against
 * it can only be forged, or assembled from statements that do not contradict (another view, another
 * kind) — which a replica must refuse. Checked on every `misbehaviour` output of a correct replica.
 */
export function evidenceSound(): PbftInvariant {
  return {
    name: "EvidenceSound",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View) {
      if (view.faulty?.has(id) === true) return undefined;
      for (const out of step.output) {
        if (out.type !== "misbehaviour" || view.faulty?.has(out.culprit) === true) continue;
        const { first, second } = out.evidence;
        return `${id} holds correct replica ${out.culprit} proven faulty by ${describeStatement(first)} against ${describeStatement(second)}`;
      }
      return undefined;
    },
  };
}

/** What {@link evidenceFound} knows one correct replica (one life) was delivered from one faulty signer. */
interface DeliveredFromSigner {
  /** By sequence number (at or above the replica's stable checkpoint): the first signed checkpoint, if one came from its signer or in a dispute. */
  readonly checkpoints: Map<number, Checkpoint | undefined>;
  /** By view (at or above the replica's view): the first signed view-change, if one came directly or in a dispute. */
  readonly views: Map<number, ViewChange | undefined>;
  /** By view (at or above the replica's view): the first signed new-view, if one came from its signer. */
  readonly newViews: Map<number, NewView | undefined>;
  /** More sequence numbers or views than the replica keeps per signer were in play: nothing more is demanded. */
  saturated: boolean;
}

/** Whether `statement` carries its signer's signature (the simulation's keys). */
function signedBySigner(statement: Checkpoint | ViewChange | NewView | DisputeMessage): boolean {
  return verifySigned(simulationKeys.provider, simulationKeys.replicaKey(statement.replica), statement);
}

/**
 * What a delivery brings {@link evidenceFound}: a checkpoint, view-change or new-view from its
 * signer (or a checkpoint or view-change forwarded in a dispute by a replica not held proven
 * faulty), and the signed statements carried inside (a view-change's checkpoint proof; a new-view's
 * view-changes and their proofs).
 */
function statementsDelivered(
  message: PbftMessage,
  from: NodeId,
  node: PbftNode<KvResult>,
): { statement: Checkpoint | ViewChange | NewView | undefined; embedded: (Checkpoint | ViewChange | NewView)[] } {
  const embedded: (Checkpoint | ViewChange | NewView)[] = [];
  if (message.type === "checkpoint" && message.replica === from) return { statement: message, embedded };
  if (message.type === "dispute" && message.replica === from && !node.provenFaulty.has(from) && signedBySigner(message)) {
    return { statement: message.statement, embedded };
  }
  if (message.type === "viewChange" && message.replica === from) return { statement: message, embedded: [...message.checkpointProof] };
  if (message.type === "newView" && message.replica === from) {
    for (const vc of message.viewChanges) embedded.push(vc, ...vc.checkpointProof);
    return { statement: message, embedded };
  }
  return { statement: undefined, embedded };
}

/**
 * EvidenceFound: a correct replica that has been delivered, in one life, two signed statements of a
 * faulty replica that no correct replica signs both of — two checkpoints for one sequence number
 * with different state digests, or two view-changes for one view with different contents (each
 * from its signer, or forwarded in a dispute by a replica it does not hold proven faulty), or two
 * new-views for one view with different contents from their signer — holds that replica proven faulty once it handled the second (evidence.ts), as long as the
 * sequence number is still at or above its stable checkpoint and the view at or above its view (it
 * keeps what is at or above them). Nothing is demanded beyond the statements it keeps per signer
 * ({@link CHECKPOINT_STATEMENTS_PER_SIGNER} sequence numbers, {@link VIEW_STATEMENTS_PER_SIGNER}
 * views, counted here over every statement of the signer delivered, certificates included), nor of
 * a halted replica. The `equivocate-signed` strategy tries (the second half of the correct replicas
 * gets another digest, another view-change, both new-views); disputes bring a checkpoint or
 * view-change of the first half to the second half's replicas and back. A checkpoint the replica
 * forwarded in a dispute counts as delivered in its later lives too, while it keeps it durably
 * ({@link DurableDisputes}: until every peer acknowledged it, the stable checkpoint passed it or the
 * signer is convicted); the `recant-checkpoint` strategy with buggify's
 * `checkpoint-dispute-forwarded` point tries that. Checked on every delivery.
 */
export function evidenceFound(): PbftInvariant {
  const delivered = new WeakMap<PbftNode<KvResult>, Map<NodeId, DeliveredFromSigner>>();
  const durable = new DurableDisputes();
  const entryFor = (id: NodeId, node: PbftNode<KvResult>, signer: NodeId): DeliveredFromSigner => {
    let bySigner = delivered.get(node);
    if (bySigner === undefined) delivered.set(node, (bySigner = new Map()));
    let entry = bySigner.get(signer);
    if (entry === undefined) {
      bySigner.set(signer, (entry = { checkpoints: new Map(), views: new Map(), newViews: new Map(), saturated: false }));
      // What it disputed in earlier lives (or this one) and keeps durably, it holds from its start.
      for (const cp of durable.heldBy(id, signer, node.stableCheckpoint)) entry.checkpoints.set(cp.seq, cp);
    }
    return entry;
  };
  const prune = (node: PbftNode<KvResult>, entry: DeliveredFromSigner): void => {
    for (const seq of entry.checkpoints.keys()) if (seq < node.stableCheckpoint) entry.checkpoints.delete(seq);
    for (const v of entry.views.keys()) if (v < node.view) entry.views.delete(v);
    for (const v of entry.newViews.keys()) if (v < node.view) entry.newViews.delete(v);
    const views = new Set([...entry.views.keys(), ...entry.newViews.keys()]).size; // the replica keeps both kinds of a view in one entry
    if (entry.checkpoints.size > CHECKPOINT_STATEMENTS_PER_SIGNER || views > VIEW_STATEMENTS_PER_SIGNER) entry.saturated = true;
  };
  const missed = (id: NodeId, first: Checkpoint | ViewChange | NewView, second: Checkpoint | ViewChange | NewView): string =>
    `${id} was delivered ${describeStatement(first)} and ${describeStatement(second)}, ` +
    `both signed by faulty ${first.replica}, and does not hold it proven faulty`;
  return {
    name: "EvidenceFound",
    afterStepOn: "every-delivery",
    afterStep(id, step: PbftStep, view: View, given, _member, message, from) {
      if (message === undefined || from === undefined || view.faulty?.has(id) === true) return undefined;
      const node = given ?? view.nodes.get(id);
      if (node === undefined || node.halted !== undefined) return undefined;
      if (view.faulty !== undefined && view.faulty.size > 0) durable.afterDelivery(id, node, step, message, from, view.faulty, view.members);
      const { statement, embedded } = statementsDelivered(message, from, node);
      // Statements it may have kept without a demand here: they count towards what it keeps per signer.
      for (const s of embedded) {
        if (view.faulty?.has(s.replica) !== true) continue;
        const entry = entryFor(id, node, s.replica);
        if (s.type === "checkpoint") {
          if (s.seq >= node.stableCheckpoint && !entry.checkpoints.has(s.seq)) entry.checkpoints.set(s.seq, undefined);
        } else if (s.view >= node.view) {
          const byView = s.type === "viewChange" ? entry.views : entry.newViews;
          if (!byView.has(s.view)) byView.set(s.view, undefined);
        }
        prune(node, entry);
      }
      if (statement === undefined) return undefined;
      const signer = statement.replica;
      if (signer === id || view.faulty?.has(signer) !== true || node.provenFaulty.has(signer)) return undefined;
      if (statement.type === "checkpoint" && statement.seq % node.config.checkpointInterval !== 0) return undefined;
      if (!signedBySigner(statement)) return undefined;
      const entry = entryFor(id, node, signer);
      if (statement.type === "checkpoint") {
        if (statement.seq < node.stableCheckpoint) return undefined;
        const first = entry.checkpoints.get(statement.seq);
        if (first === undefined) entry.checkpoints.set(statement.seq, statement); // (a certificate's copy may have been noted, or not)
        prune(node, entry);
        if (first === undefined || entry.saturated || equalBytes(first.stateDigest, statement.stateDigest)) return undefined;
        return missed(id, first, statement);
      }
      if (statement.view < node.view) return undefined;
      const byView: Map<number, ViewChange | NewView | undefined> = statement.type === "viewChange" ? entry.views : entry.newViews;
      const first = byView.get(statement.view);
      if (!byView.has(statement.view) || first === undefined) byView.set(statement.view, first ?? statement);
      prune(node, entry);
      if (first === undefined || entry.saturated || equalBytes(first.sig, statement.sig)) return undefined;
      if (equalBytes(statementOf(first), statementOf(statement))) return undefined;
      return missed(id, first, statement);
    },
  };
}

/** MessagesDurable, NoEquivocation and ClaimsKept, in one pass over each step (see {@link DurabilityCheck}). */
export function durability(): PbftInvariant {
  const check = new DurabilityCheck();
  return {
    name: "MessagesDurable",
    covers: ["MessagesDurable", "NoEquivocation", "ClaimsKept"],
    afterStep: (id, step: PbftStep, view: View, given) => check.afterStep(id, step, given ?? view.nodes.get(id)),
    check: (view, changed, given) => (changed === undefined ? undefined : check.check(changed, given ?? view.nodes.get(changed))),
  };
}

/** NoInternalError: no replica ever throws while handling a message (its `internalError` alarm fails the run). */
export function noInternalError(): PbftInvariant {
  return {
    name: "NoInternalError",
    afterStepOn: "persist-or-output",
    afterStep(_id, step: PbftStep) {
      for (const out of step.output) if (out.type === "internalError") return out.reason;
      return undefined;
    },
  };
}

/** @returns fresh checkers of {@link PBFT_INVARIANT_NAMES}, in that order, then {@link PBFT_IMPLEMENTATION_CHECK_NAMES} */
export function createPbftInvariants(): PbftInvariant[] {
  return [
    agreement(),
    validity(),
    integrity(),
    viewChangeSafety(),
    durability(),
    noInternalError(),
    stateAgreement(),
    viewChangesPaced(),
    evidenceSound(),
    evidenceFound(),
    committedLocal(),
    evidenceSpreadWatch(),
  ];
}

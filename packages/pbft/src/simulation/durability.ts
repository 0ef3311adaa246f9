import type { NodeId, Step } from "@synod/core";
import { equalBytes, toHex } from "@synod/security";
import type { PbftOutput } from "../io.js";
import { MAX_PRE_PREPARED_PER_SEQ, type PbftMessage, type ViewChange } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";
import type { DurableReplica } from "../recovery.js";

type PbftStep = Step<PbftMessage, PbftOutput<unknown>, PbftRecord>;

/** One replica's durable decisions, shadowed from the records it synced (a compaction replaces them). */
class DurableShadow {
  /** The node object these describe (a restart makes a new one). */
  node: PbftNode<unknown> | undefined;
  view = 0;
  /** The durable stable checkpoint: below it a replica never speaks again, so nothing there needs backing. */
  checkpoint = 0;
  /** `view:seq` → digest of a pre-prepare it accepted or sent. */
  readonly prePrepared = new Map<string, Uint8Array>();
  /** `view:seq` → digest it prepared (and may commit). */
  readonly prepared = new Map<string, Uint8Array>();
  /** Views it sent a view-change for. */
  readonly viewChanges = new Set<number>();
  /** Views it started (a new-view accepted or sent). */
  readonly newViews = new Set<number>();

  /** Restarted: what the replica recovered is its durable state (a crash after a sync may have made more durable than its hooks saw). */
  recovered(d: DurableReplica | undefined): void {
    if (d === undefined) return;
    const records: PbftRecord[] = [];
    if (d.checkpoint !== undefined) records.push({ type: "checkpoint", ...d.checkpoint });
    if (d.active) records.push({ type: "newView", view: d.view });
    else if (d.viewChange !== undefined) records.push({ type: "viewChange", viewChange: d.viewChange });
    for (const prePrepare of d.prePrepares.values()) records.push({ type: "prePrepare", prePrepare });
    for (const certificate of d.prepared.values()) records.push({ type: "prepared", certificate });
    for (const prePrepare of d.committed.values()) records.push({ type: "committed", prePrepare });
    this.adopt(records, false);
  }

  adopt(records: readonly PbftRecord[], compact: boolean): void {
    if (compact) {
      this.prePrepared.clear();
      this.prepared.clear();
      this.viewChanges.clear();
      this.newViews.clear();
      this.checkpoint = 0;
    }
    for (const r of records) {
      if (r.type === "checkpoint") this.checkpoint = Math.max(this.checkpoint, r.seq);
      else if (r.type === "prePrepare" || r.type === "committed") this.prePrepared.set(`${r.prePrepare.view}:${r.prePrepare.seq}`, r.prePrepare.digest);
      else if (r.type === "prepared") {
        const pp = r.certificate.prePrepare;
        this.prepared.set(`${pp.view}:${pp.seq}`, pp.digest);
        this.prePrepared.set(`${pp.view}:${pp.seq}`, pp.digest);
      } else if (r.type === "viewChange") {
        this.viewChanges.add(r.viewChange.view);
        this.view = Math.max(this.view, r.viewChange.view);
      } else if (r.type === "newView") {
        this.newViews.add(r.view);
        this.view = Math.max(this.view, r.view);
      }
    }
  }
}

/**
 * Durability of a replica's word, checked in the simulator (crashes fall anywhere in a step):
 *
 * - `MessagesDurable`: every agreement message a replica sends is backed by what it has synced when
 *   it leaves (the step's records are synced before its sends): a pre-prepare and a prepare by the
 *   accepted pre-prepare with that digest, a new-view by the durable start of its view, a commit by the prepared
 *   certificate, a view-change by its own durable view-change or the durable start of that view (a message at or below the durable
 *   stable checkpoint needs no more: a replica never speaks below its checkpoint again); after every event a running replica's
 *   view is its durable view, and a restarted replica recovers a view at least as recent, its stable
 *   checkpoint and every prepared certificate above it (of that view or a later one).
 * - `NoEquivocation`: no replica's code — a faulty replica's node object included, whose traffic an
 *   adversary rewrites afterwards — ever sends two different digests for one (kind, view, sequence),
 *   across all its lives. This is what crash recovery must keep: a replica that prepared d at (v, n)
 *   never prepares d' there after a restart.
 * - `ClaimsKept` (`macs` mode): a replica's view-change claims to have pre-prepared (its Q set) every
 *   batch it said it pre-prepared — a pre-prepare it sent as primary, a new-view's, a prepare it sent
 *   as backup — above the view-change's checkpoint, at that view or a later one, across all its
 *   lives; unless {@link MAX_PRE_PREPARED_PER_SEQ} digests of views at least as recent fill its claims
 *   there. The new view's rule A2 counts on it: the correct replicas of the quorum that prepared a
 *   batch still claim it (a backup that forgot its claim on restarting in a later view left a
 *   sequence number undecided for good at seed 165 of `pnpm sim pbft-mac --seeds 300 --faults all`).
 */
export class DurabilityCheck {
  private readonly shadows = new Map<NodeId, DurableShadow>();
  /** `id kind view:seq` → digest, over the whole run. */
  private readonly said = new Map<string, Uint8Array>();
  /** `macs` mode, by replica and sequence number: the digests it said it pre-prepared there, each with the latest view it did (over the whole run). */
  private readonly owed = new Map<NodeId, Map<number, { view: number; digest: Uint8Array }[]>>();

  private shadow(id: NodeId): DurableShadow {
    let shadow = this.shadows.get(id);
    if (shadow === undefined) this.shadows.set(id, (shadow = new DurableShadow()));
    return shadow;
  }

  /** After every step of `id` (send-only steps included). */
  afterStep(id: NodeId, step: PbftStep, node: PbftNode<unknown> | undefined): { invariant: string; message: string } | undefined {
    if (node === undefined || node.halted !== undefined) return undefined;
    const shadow = this.shadow(id);
    if (shadow.node !== node) {
      // A restart (or the first life) `check` has not seen yet: take it in first, from what the
      // replica recovered, so that this step's records are adopted on top of it, never skipped.
      const problem = this.attach(id, shadow, node);
      if (problem !== undefined) return problem;
    }
    shadow.adopt(step.persist, step.compact === true);
    const macs = node.config.authentication === "macs";
    let previous: PbftMessage | undefined;
    for (const envelope of step.send) {
      const m = envelope.message;
      // A broadcast sends one message object to every peer: its checks would only repeat (noting
      // what it says again changes nothing, and the shadow does not change within a step).
      if (m === previous) continue;
      previous = m;
      if (macs) this.noteOwed(id, m);
      const claimsKept = macs && m.type === "viewChange" ? this.claimsKept(id, m, node.config.windowSize) : undefined;
      const problem = this.equivocation(id, m) ?? justified(shadow, m) ?? claimsKept;
      if (problem !== undefined) return { ...problem, message: `${id} sent ${m.type} to ${envelope.to} ${problem.message}` };
    }
    return undefined;
  }

  /** `macs` mode: what `m`, sent by `id`, says `id` pre-prepared. */
  private noteOwed(id: NodeId, m: PbftMessage): void {
    const note = (view: number, seq: number, digest: Uint8Array): void => {
      let bySeq = this.owed.get(id);
      if (bySeq === undefined) this.owed.set(id, (bySeq = new Map()));
      const held = bySeq.get(seq) ?? [];
      const same = held.find((e) => equalBytes(e.digest, digest));
      if (same !== undefined) same.view = Math.max(same.view, view);
      else held.push({ view, digest });
      bySeq.set(seq, held);
    };
    if (m.type === "prepare" || (m.type === "prePrepare" && m.replica === id)) note(m.view, m.seq, m.digest);
    else if (m.type === "newView") for (const pp of m.prePrepares) note(pp.view, pp.seq, pp.digest);
  }

  /** `ClaimsKept`: `vc`, sent by `id`, claims every batch `id` said it pre-prepared above its checkpoint (see the class). */
  private claimsKept(id: NodeId, vc: ViewChange, windowSize: number): { invariant: string; message: string } | undefined {
    for (const [seq, held] of this.owed.get(id) ?? []) {
      if (seq <= vc.stableSeq || seq > vc.stableSeq + windowSize) continue;
      const claims = vc.prePrepared.filter((q) => q.seq === seq);
      for (const { view, digest } of held) {
        if (claims.some((q) => q.view >= view && equalBytes(q.digest, digest))) continue;
        if (claims.length >= MAX_PRE_PREPARED_PER_SEQ && claims.every((q) => q.view >= view)) continue; // the oldest forgotten for later ones
        const what = `${toHex(digest).slice(0, 12)} at seq ${seq} (it did in view ${view}; checkpoint ${vc.stableSeq})`;
        const message = `for view ${vc.view} without claiming it pre-prepared ${what}`;
        return { invariant: "ClaimsKept", message };
      }
    }
    return undefined;
  }

  private equivocation(id: NodeId, m: PbftMessage): { invariant: string; message: string } | undefined {
    if (m.type === "prePrepare" || m.type === "prepare" || m.type === "commit") return this.saidOnce(id, m.type, m.view, m.seq, m.digest);
    if (m.type === "newView") {
      for (const pp of m.prePrepares) {
        const problem = this.saidOnce(id, "prePrepare", pp.view, pp.seq, pp.digest);
        if (problem !== undefined) return problem;
      }
    }
    return undefined;
  }

  /** `NoEquivocation` for one statement of `id` (a method, not a closure made for every message sent). */
  private saidOnce(id: NodeId, kind: string, view: number, seq: number, digest: Uint8Array): { invariant: string; message: string } | undefined {
    const key = `${id} ${kind} ${view}:${seq}`;
    const held = this.said.get(key);
    if (held === undefined) this.said.set(key, digest);
    else if (!equalBytes(held, digest)) {
      const message = `for (view ${view}, seq ${seq}) with digest ${toHex(digest).slice(0, 12)}, but it sent ${toHex(held).slice(0, 12)} there before`;
      return { invariant: "NoEquivocation", message };
    }
    return undefined;
  }

  /** After an event of `id`: a running replica's view is durable; a restarted one forgot no view. */
  check(id: NodeId, node: PbftNode<unknown> | undefined): { invariant: string; message: string } | undefined {
    if (node === undefined || node.halted !== undefined) return undefined;
    const shadow = this.shadow(id);
    if (shadow.node === node) {
      if (node.view === shadow.view) return undefined;
      return { invariant: "MessagesDurable", message: `${id} runs in view ${node.view}, but its durable view is ${shadow.view}` };
    }
    return this.attach(id, shadow, node);
  }

  /**
   * A new life of `id` (its first, or a restart): the shadow restarts from what it recovered, which
   * must hold every view it had synced, its stable checkpoint, and every prepared certificate above it
   * (the one it recovers at a sequence number may be of a later view: its view-changes carry the latest).
   */
  private attach(id: NodeId, shadow: DurableShadow, node: PbftNode<unknown>): { invariant: string; message: string } | undefined {
    const restarted = shadow.node !== undefined;
    const durableView = shadow.view;
    const recoveredView = node.recovered?.view ?? 0;
    const lost = restarted ? forgotten(shadow, node.recovered) : undefined;
    shadow.node = node;
    shadow.view = recoveredView;
    shadow.recovered(node.recovered);
    if (restarted && recoveredView < durableView) {
      return { invariant: "MessagesDurable", message: `${id} recovered view ${recoveredView}, but had synced view ${durableView}` };
    }
    return lost === undefined ? undefined : { invariant: "MessagesDurable", message: `${id} ${lost}` };
  }
}

/** @returns what a restarted replica's recovered state lacks of what its shadow says it had synced, or undefined */
function forgotten(shadow: DurableShadow, d: DurableReplica | undefined): string | undefined {
  const checkpoint = d?.checkpoint?.seq ?? 0;
  if (checkpoint < shadow.checkpoint) return `recovered stable checkpoint ${checkpoint}, but had synced checkpoint ${shadow.checkpoint}`;
  for (const key of shadow.prepared.keys()) {
    const [view, seq] = key.split(":").map(Number) as [number, number];
    if (seq <= checkpoint) continue;
    const held = d?.prepared.get(seq);
    if (held === undefined || held.prePrepare.view < view) {
      return `recovered no prepared certificate for seq ${seq} of view ${view} or later, but had synced one of view ${view}`;
    }
  }
  return undefined;
}

/** Whether a durable digest is `digest` (a module function: a closure made in every call of `justified`, once per message sent, cost more than its check). */
function backed(held: Uint8Array | undefined, digest: Uint8Array): boolean {
  return held !== undefined && equalBytes(held, digest);
}

function justified(shadow: DurableShadow, m: PbftMessage): { invariant: string; message: string } | undefined {
  let missing: string | undefined;
  if ((m.type === "prePrepare" || m.type === "prepare" || m.type === "commit") && m.seq <= shadow.checkpoint) return undefined; // the checkpoint backs it
  if (m.type === "prePrepare" || m.type === "prepare") {
    if (!backed(shadow.prePrepared.get(`${m.view}:${m.seq}`), m.digest)) missing = `no durable pre-prepare for (view ${m.view}, seq ${m.seq}) with that digest`;
  } else if (m.type === "commit") {
    if (!backed(shadow.prepared.get(`${m.view}:${m.seq}`), m.digest)) missing = `no durable prepared certificate for (view ${m.view}, seq ${m.seq}) there`;
  } else if (m.type === "viewChange") {
    // A durable start of that view backs it as well: the new primary that gathers the view-changes
    // in the step that sends its own may also compact there, and its durable state then holds the
    // started view, which supersedes its view-change (a restart resumes in that view and never
    // sends another view-change for it).
    if (!shadow.viewChanges.has(m.view) && !shadow.newViews.has(m.view)) missing = `no durable view-change for view ${m.view}`;
  } else if (m.type === "newView") {
    // Its pre-prepares are those of the view-changes it carries; the primary sends it once, on starting the view.
    if (!shadow.newViews.has(m.view)) missing = `no durable start of view ${m.view}`;
  }
  return missing === undefined ? undefined : { invariant: "MessagesDurable", message: `with ${missing}` };
}

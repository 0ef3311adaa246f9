import type { ClusterView, NodeId, Step } from "@synod/core";
import type { KvResult } from "@synod/raft";
import { toHex } from "@synod/security";
import { VIEW_STATEMENTS_PER_SIGNER } from "../evidence.js";
import type { PbftOutput } from "../io.js";
import type { PbftMessage, ViewChange } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";
import { statementOf, verifySigned } from "../signing.js";
import { simulationKeys } from "./simulation-keys.js";
import type { PbftInvariant } from "./invariants.js";

type Node = PbftNode<KvResult>;
type View = ClusterView<Node, unknown, unknown>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** A faulty signer's view-changes delivered to one correct replica (one life), by view: the distinct contents (hex of the signed statement). */
interface SignerViews {
  readonly byView: Map<number, Set<string>>;
  /** More views of this signer than the replica keeps per signer were in play: nothing is demanded of it. */
  saturated: boolean;
}

/**
 * What {@link evidenceSpreadWatch} saw of one run, found again by the liveness check through the
 * run's view object: per correct replica's life, the faulty signers' view-changes delivered to it.
 */
class SpreadWatch {
  readonly delivered = new WeakMap<Node, Map<NodeId, SignerViews>>();
}

const watches = new WeakMap<object, SpreadWatch>();

function watchOf(view: View): SpreadWatch {
  let watch = watches.get(view);
  if (watch === undefined) watches.set(view, (watch = new SpreadWatch()));
  return watch;
}

/**
 * The view-change a delivery brings a replica from its signer's hand: a view-change from its
 * signer, one forwarded in a dispute by a replica it does not hold proven faulty, or one carried in
 * a new-view (the three ways a replica notes a peer's view-change).
 */
function viewChangesIn(message: PbftMessage, from: NodeId, node: Node): readonly ViewChange[] {
  if (message.type === "viewChange" && message.replica === from) return [message];
  if (message.type === "dispute" && message.replica === from && message.statement.type === "viewChange" && !node.provenFaulty.has(from)) {
    return [message.statement];
  }
  if (message.type === "newView" && message.replica === from) return message.viewChanges;
  return [];
}

/**
 * Records, for `EvidenceSpread` (a part of the PBFT liveness condition, {@link evidenceSpreads}),
 * which view-changes of faulty replicas each correct replica was delivered in its current life. It
 * reports nothing itself (a missing conviction is a matter of time: the liveness bound after healing).
 */
export function evidenceSpreadWatch(): PbftInvariant {
  return {
    name: "EvidenceSpread",
    afterStepOn: "every-delivery",
    afterStep(id, _step: PbftStep, view, given, _member, message, from) {
      if (message === undefined || from === undefined) return undefined;
      if (message.type !== "viewChange" && message.type !== "dispute" && message.type !== "newView") return undefined;
      if (view.faulty === undefined || view.faulty.size === 0 || view.faulty.has(id)) return undefined;
      const node = given ?? view.nodes.get(id);
      if (node === undefined || node.halted !== undefined) return undefined;
      const watch = watchOf(view as View);
      for (const vc of viewChangesIn(message, from, node)) {
        if (!view.faulty.has(vc.replica) || vc.replica === id || vc.view < node.view) continue;
        let bySigner = watch.delivered.get(node);
        if (bySigner === undefined) watch.delivered.set(node, (bySigner = new Map()));
        let entry = bySigner.get(vc.replica);
        if (entry === undefined) bySigner.set(vc.replica, (entry = { byView: new Map(), saturated: false }));
        let contents = entry.byView.get(vc.view);
        if (contents === undefined) entry.byView.set(vc.view, (contents = new Set()));
        if (contents.size >= 2) continue; // two contents are all a demand needs
        const key = toHex(statementOf(vc));
        if (contents.has(key) || !verifySigned(simulationKeys.provider, simulationKeys.replicaKey(vc.replica), vc)) continue;
        contents.add(key);
        for (const v of entry.byView.keys()) if (v < node.view) entry.byView.delete(v);
        if (entry.byView.size > VIEW_STATEMENTS_PER_SIGNER) entry.saturated = true;
      }
      return undefined;
    },
  };
}

/**
 * EvidenceSpread (after healing, a part of the liveness condition): every running correct replica
 * holds proven faulty (a) every faulty replica that some correct replica holds proven faulty — a
 * conviction is forwarded to every replica, each forwarding it on first sight — and (b) every
 * faulty replica of which two correct replicas, in their current lives, were delivered two
 * view-changes for one view with different contents, that view being at or above both replicas'
 * views (they keep what is at or above): every peer's view-change is forwarded as disputed to every
 * replica until acknowledged, so the two halves meet wherever they were delivered. Replicas that
 * were delivered more views of the signer than they keep per signer are left out of (b).
 * @returns undefined when it holds, else who misses whom
 */
export function evidenceSpreads(view: View): string | undefined {
  const faulty = view.faulty;
  if (faulty === undefined || faulty.size === 0) return undefined;
  const running: [NodeId, Node][] = [];
  for (const [id, node] of view.nodes) if (node !== undefined && node.halted === undefined && !faulty.has(id)) running.push([id, node]);
  const owed = new Map<NodeId, string>();
  for (const [id, node] of running) {
    for (const culprit of node.provenFaulty.keys()) if (faulty.has(culprit) && !owed.has(culprit)) owed.set(culprit, `${id} holds it proven faulty`);
  }
  const watch = watches.get(view);
  if (watch !== undefined) {
    // signer → view → content → the replica it was delivered to
    const seen = new Map<NodeId, Map<number, Map<string, NodeId>>>();
    for (const [id, node] of running) {
      for (const [signer, entry] of watch.delivered.get(node) ?? []) {
        if (entry.saturated || owed.has(signer)) continue;
        let byView = seen.get(signer);
        if (byView === undefined) seen.set(signer, (byView = new Map()));
        for (const [v, contents] of entry.byView) {
          if (v < node.view) continue;
          let holders = byView.get(v);
          if (holders === undefined) byView.set(v, (holders = new Map()));
          for (const content of contents) if (!holders.has(content)) holders.set(content, id);
          if (holders.size >= 2 && !owed.has(signer)) {
            const [a, b] = [...holders.values()];
            owed.set(signer, `${a} and ${b} were delivered two different view-changes it signed for view ${v}`);
          }
        }
      }
    }
  }
  for (const [culprit, why] of owed) {
    for (const [id, node] of running) if (!node.provenFaulty.has(culprit)) return `${id} does not hold faulty ${culprit} proven faulty, though ${why}`;
  }
  return undefined;
}

import type { ClusterView, Invariant, NodeId, Step } from "@synod/core";
import type { KvOp, KvResult } from "@synod/raft";
import { toHex } from "@synod/security";
import type { PbftOutput } from "../io.js";
import type { PbftMessage } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";

type Node = PbftNode<KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** What one replica (one node object: a restart forgets, as the replica does) has heard: `view:seq:digest` → the senders of such commits. */
type Heard = Map<string, Set<NodeId>>;

const key = (view: number, seq: number, digest: Uint8Array): string => `${view}:${seq}:${toHex(digest)}`;

/**
 * CommittedLocal: a correct replica commits batch d at (v, n) only once q − 1 other replicas'
 * commits of (v, n, d) have reached it since it last started — with its own, the q matching commits
 * of the paper's committed-local(m, v, n, i), the certificate that a quorum prepared d. The check
 * watches the wire, not the replica's log: every commit delivered to the replica, by sender, view,
 * sequence number and digest (a commit it refused, e.g. out of its window or badly signed, still
 * counts: the check only ever lets more through). A commit of another digest is no evidence for d;
 * a replica that counts it commits on fewer matching votes than the rule requires
 * (`pbft/commits-counted-without-digest`, which a faulty replica's commits of a wrong digest — the
 * `wrong-digest` strategy — reveal when they arrive before the last correct commit). Faulty replicas
 * and Twins (`view.faulty`) are left out.
 */
export function committedLocal(): Invariant<Node, PbftMessage, PbftOutput<KvResult>, PbftRecord, KvOp, KvResult> {
  const heard = new WeakMap<Node, Heard>();
  // The stable checkpoint at which a node's `heard` last held no entry at or below it (the sweep
  // below ran, or nothing older came since): while it is still the node's, a sweep would delete
  // nothing, so it is skipped (it rescanned every entry at every delivery once more than 256 were held).
  const sweptAt = new WeakMap<Heard, number>();
  const heardBy = (node: Node): Heard => {
    let h = heard.get(node);
    if (h === undefined) heard.set(node, (h = new Map()));
    return h;
  };
  return {
    name: "CommittedLocal",
    afterStepOn: "every-delivery",
    afterStep(id, step: PbftStep, view: ClusterView<Node, KvOp, KvResult>, given, _member, delivered, from) {
      if (view.faulty?.has(id)) return undefined;
      const node = given ?? view.nodes.get(id);
      if (node === undefined) return undefined;
      const h = heardBy(node);
      if (delivered?.type === "commit" && from !== undefined && from !== id) {
        const k = key(delivered.view, delivered.seq, delivered.digest);
        let senders = h.get(k);
        if (senders === undefined) {
          h.set(k, (senders = new Set()));
          if (delivered.seq <= (sweptAt.get(h) ?? -1)) sweptAt.delete(h);
        }
        senders.add(from);
      }
      for (const out of step.output) {
        if (out.type !== "committed") continue;
        const k = key(out.view, out.seq, out.digest);
        const others = h.get(k)?.size ?? 0;
        if (others + 1 < node.quorum.quorumSize) {
          const batch = `batch ${toHex(out.digest).slice(0, 12)} at sequence ${out.seq} in view ${out.view}`;
          return `${id} committed ${batch} with ${others + 1} matching commits (its own included) of the ${node.quorum.quorumSize} a commit needs`;
        }
        h.delete(k);
      }
      if (h.size > 256 && sweptAt.get(h) !== node.stableCheckpoint) {
        for (const k of [...h.keys()]) if (Number(k.split(":")[1]) <= node.stableCheckpoint) h.delete(k);
        sweptAt.set(h, node.stableCheckpoint);
      }
      return undefined;
    },
  };
}

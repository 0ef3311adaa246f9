import type { ClusterView, NodeId } from "@synod/core";
import type { KvOp, KvReply, KvResult } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { NodeSlot } from "./node-slots.js";

type Node = RaftNode<KvReply>;

/**
 * CorrectPeersWellFormed: a correct node judges no message of a correct peer malformed. The
 * simulated network loses, duplicates, reorders and delays messages but never alters their bytes,
 * and storage faults halt a node rather than let it send from a corrupt state; so a message counted
 * as malformed (undecodable, not well-formed, a snapshot chunk contradicting its snapshot, a snapshot
 * the state machine cannot decode) is a Byzantine peer's or a bug of the receiver's. Judged on every
 * delivery by the receiver's `rejected.malformed` counter (which restarts with each node object);
 * messages to or from a member the run made faulty (`view.faulty`) are left out.
 */
export class WellFormedCheck {
  /**
   * @param slot - the bookkeeping of node `id`: the malformed count of its node object after its
   *   last delivery (`slot.malformedNode`, `slot.malformed`; 0 for a node object not seen yet)
   * @param id - the node that received `delivered`
   * @param node - that node after the step
   * @param delivered - the message the step answered (undefined: not a delivery)
   * @param from - its sender
   * @returns why the delivery breaks the property, or undefined
   */
  afterStep(
    slot: NodeSlot,
    id: NodeId,
    node: Node | undefined,
    view: ClusterView<Node, KvOp, KvResult>,
    delivered: RaftMessage | undefined,
    from: NodeId | undefined,
  ): string | undefined {
    if (node === undefined) return undefined;
    const count = node.metrics.rejected.malformed;
    if (count === (slot.malformedNode === node ? slot.malformed : 0)) return undefined;
    slot.malformedNode = node;
    slot.malformed = count;
    if (from === undefined || view.faulty?.has(from) === true || view.faulty?.has(id) === true) return undefined;
    const chunk = (m: RaftMessage & { type: "snapshot" }): string =>
      `a snapshot chunk (snapshot ${m.snapshot.term}/${m.snapshot.index}, offset ${m.offset}, ${m.data.length} bytes)`;
    const what = delivered === undefined ? "a message" : delivered.type === "snapshot" ? chunk(delivered) : `a ${delivered.type}`;
    return `${id} rejected ${what} from ${from} as malformed, though both are correct and no fault alters a message`;
  }
}

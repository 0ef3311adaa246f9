import type { NodeId } from "@synod/core";
import type { GossipInvariant } from "./invariants.js";

/**
 * How many of a member's latest ping and ping-request sequence numbers are remembered: an answer to
 * an older one is not checked. Bounds the checker's memory (members × this); a member issues a few
 * numbers per probe period (its probe, its relays' pings, its buddy pings), so this reaches back
 * ~30 periods (15 s in the simulation), far past any delay (spikes ≤ 500 ms) or pause (≤ 1 s) the
 * simulator injects before an answer is sent.
 */
const REMEMBERED_REQUESTS = 128;

/**
 * `AckAnswersRequest`: every ack or nack a member sends answers a request, carrying the sequence
 * number of a ping or ping request its receiver sent it — a probe's ack the probe's, a relay's ack and
 * nack the origin's ping request's (not the relay's own ping to the target). An ack under another
 * number matches nothing at its receiver, which drops it as stale: a relayed ack would then never
 * answer the probe it was asked for, and indirect probes (SWIM's defence against a lossy or cut path
 * between two members) would never succeed. Checked on what honest members send (a Byzantine
 * sender's forgeries are made on the wire, after this check).
 * @returns a fresh checker for one run
 */
export function ackAnswersRequest(): GossipInvariant {
  // Member → sequence number → the members it sent a ping or ping request under it (insertion order: oldest first).
  const requests = new Map<NodeId, Map<number, NodeId[]>>();
  return {
    name: "AckAnswersRequest",
    afterStep(id: NodeId, step): string | undefined {
      for (const { to, message } of step.send) {
        if (message.type === "ping" || message.type === "pingReq") {
          let sent = requests.get(id);
          if (sent === undefined) requests.set(id, (sent = new Map()));
          // A restarted member numbers from 0 again: a number reused moves to the back with both receivers.
          const receivers = sent.get(message.seq) ?? [];
          sent.delete(message.seq);
          sent.set(message.seq, receivers.includes(to) ? receivers : [...receivers, to]);
          if (sent.size > REMEMBERED_REQUESTS) sent.delete(sent.keys().next().value as number);
        } else if (message.type === "ack" || message.type === "nack") {
          if (requests.get(to)?.get(message.seq)?.includes(id) !== true) {
            const what = `${id} sent ${to} a${message.type === "ack" ? "n" : ""} ${message.type} with sequence number ${message.seq}`;
            return `${what}, which ${to} never sent ${id} in a ping or ping request: it answers nothing there`;
          }
        }
      }
      return undefined;
    },
  };
}

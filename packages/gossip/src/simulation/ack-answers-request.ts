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
  // Member → sequence number → the member (or members) it sent a ping or ping request under it
  // (insertion order: oldest first). One receiver is the rule: no array is allocated for it.
  const requests = new Map<NodeId, Map<number, NodeId | NodeId[]>>();
  // Member → the highest sequence number it forgot: an answer at or below it that is not remembered goes unchecked.
  const forgotten = new Map<NodeId, number>();
  const answers = (receivers: NodeId | NodeId[] | undefined, id: NodeId): boolean =>
    receivers === id || (Array.isArray(receivers) && receivers.includes(id));
  return {
    name: "AckAnswersRequest",
    afterStep(id: NodeId, step): string | undefined {
      for (const { to, message } of step.send) {
        if (message.type === "ping" || message.type === "pingReq") {
          let sent = requests.get(id);
          if (sent === undefined) requests.set(id, (sent = new Map()));
          // A restarted member numbers from 0 again: a number reused moves to the back with both receivers.
          const receivers = sent.get(message.seq);
          if (receivers !== undefined) sent.delete(message.seq);
          const joined = receivers === undefined || answers(receivers, to) ? (receivers ?? to) : [...(Array.isArray(receivers) ? receivers : [receivers]), to];
          sent.set(message.seq, joined);
          if (sent.size > REMEMBERED_REQUESTS) {
            const oldest = sent.keys().next().value as number;
            sent.delete(oldest);
            if (oldest > (forgotten.get(id) ?? -1)) forgotten.set(id, oldest);
          }
        } else if (message.type === "ack" || message.type === "nack") {
          const receivers = requests.get(to)?.get(message.seq);
          if (receivers === undefined && message.seq <= (forgotten.get(to) ?? -1)) continue; // too old to be remembered
          if (!answers(receivers, id)) {
            const what = `${id} sent ${to} a${message.type === "ack" ? "n" : ""} ${message.type} with sequence number ${message.seq}`;
            return `${what}, which ${to} never sent ${id} in a ping or ping request: it answers nothing there`;
          }
        }
      }
      return undefined;
    },
  };
}

import type { ClusterView, Invariant, NodeId, Step } from "@synod/core";
import type { BroadcastNode } from "./node.js";
import type { BroadcastMessage, BroadcastOutput, BroadcastRecord } from "./messages.js";
import type { BroadcastOp, BroadcastResult } from "./client.js";

type BroadcastInvariant = Invariant<BroadcastNode, BroadcastMessage, BroadcastOutput, BroadcastRecord, BroadcastOp, BroadcastResult>;
type BroadcastView = ClusterView<BroadcastNode, BroadcastOp, BroadcastResult>;

/**
 * `NoDuplication`: no node delivers an id twice in its lifetime, across restarts. Watches every
 * step's outputs, so it remembers deliveries a crashed node has forgotten.
 * @returns a fresh checker for one run
 */
export function noDuplication(): BroadcastInvariant {
  /** node → origin → delivered seqs */
  const seen = new Map<NodeId, Map<NodeId, Set<number>>>();
  return {
    name: "NoDuplication",
    afterStep(id: NodeId, step: Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>): string | undefined {
      const outputs = step.output;
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i] as BroadcastOutput;
        if (output.type !== "deliver") continue;
        let byOrigin = seen.get(id);
        if (byOrigin === undefined) seen.set(id, (byOrigin = new Map()));
        let seqs = byOrigin.get(output.origin);
        if (seqs === undefined) byOrigin.set(output.origin, (seqs = new Set()));
        if (seqs.has(output.seq)) return `${id} delivered (${output.origin}, ${output.seq}) a second time (value ${JSON.stringify(output.value)})`;
        seqs.add(output.seq);
      }
      return undefined;
    },
  };
}

/**
 * `NoCreation`: every delivered (id, value) was broadcast by its origin with that value — the value
 * was requested by a client at node `origin`, and every delivery of the id carries the same value.
 * @returns a fresh checker for one run
 */
export function noCreation(): BroadcastInvariant {
  /** origin → seq → value first delivered */
  const valueOfId = new Map<NodeId, Map<number, string>>();
  const requestedAt = new Set<string>();
  let historyScanned = 0;
  return {
    name: "NoCreation",
    afterStep(id: NodeId, step: Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>, view: BroadcastView): string | undefined {
      const outputs = step.output;
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i] as BroadcastOutput;
        if (output.type !== "deliver") continue;
        let values = valueOfId.get(output.origin);
        if (values === undefined) valueOfId.set(output.origin, (values = new Map()));
        const known = values.get(output.seq);
        if (known === undefined) {
          const history = view.history;
          for (; historyScanned < history.length; historyScanned++) {
            const event = history[historyScanned];
            if (event?.type === "invoke" && event.node !== undefined) requestedAt.add(`${event.node}|${event.op.value}`);
          }
          if (!requestedAt.has(`${output.origin}|${output.value}`)) {
            return `${id} delivered (${output.origin}, ${output.seq}) with value ${JSON.stringify(output.value)}, which no client asked ${output.origin} to broadcast`;
          }
          values.set(output.seq, output.value);
        } else if (known !== output.value) {
          return `${id} delivered (${output.origin}, ${output.seq}) with value ${JSON.stringify(output.value)}, but it was broadcast with ${JSON.stringify(known)}`;
        }
      }
      return undefined;
    },
  };
}

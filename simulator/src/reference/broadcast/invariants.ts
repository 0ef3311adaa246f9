import type { ClusterView, Invariant, NodeId, Step } from "@synod/core";
import type { BroadcastNode } from "./node.js";
import type { BroadcastMessage, BroadcastOutput, BroadcastRecord } from "./messages.js";
import type { BroadcastOp, BroadcastResult } from "./client.js";
import { DENSE_SEQ_LIMIT, SeqSet } from "./seq-set.js";

type BroadcastInvariant = Invariant<BroadcastNode, BroadcastMessage, BroadcastOutput, BroadcastRecord, BroadcastOp, BroadcastResult>;
type BroadcastView = ClusterView<BroadcastNode, BroadcastOp, BroadcastResult>;

/** Member position of each id, for per-member arrays (built once per run from the first view). */
function memberPositions(view: BroadcastView): Map<NodeId, number> {
  return new Map(view.members.map((id, i) => [id, i]));
}

/**
 * `NoDuplication`: no node delivers an id twice in its lifetime, across restarts. Watches every
 * step's outputs, so it remembers deliveries a crashed node has forgotten.
 * @returns a fresh checker for one run
 */
export function noDuplication(): BroadcastInvariant {
  let position: Map<NodeId, number> | undefined;
  /** node position → origin position → delivered seqs */
  const seen: SeqSet[][] = [];
  /** Delivered seqs of an origin that is not a member (only a broken node delivers one). */
  const strangers = new Map<NodeId, Map<NodeId, SeqSet>>();
  return {
    name: "NoDuplication",
    afterStepOn: "persist-or-output",
    afterStep(id: NodeId, step: Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>, view: BroadcastView): string | undefined {
      const outputs = step.output;
      if (outputs.length === 0) return undefined;
      position ??= memberPositions(view);
      const node = position.get(id);
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i] as BroadcastOutput;
        if (output.type !== "deliver") continue;
        const origin = position.get(output.origin);
        let seqs: SeqSet | undefined;
        if (node !== undefined && origin !== undefined) {
          const byOrigin = (seen[node] ??= []);
          seqs = byOrigin[origin] ??= new SeqSet();
        } else {
          let byOrigin = strangers.get(id);
          if (byOrigin === undefined) strangers.set(id, (byOrigin = new Map()));
          seqs = byOrigin.get(output.origin);
          if (seqs === undefined) byOrigin.set(output.origin, (seqs = new SeqSet()));
        }
        if (!seqs.add(output.seq)) return `${id} delivered (${output.origin}, ${output.seq}) a second time (value ${JSON.stringify(output.value)})`;
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
  let position: Map<NodeId, number> | undefined;
  /** origin position → seq → value first delivered (seqs are dense from 0: arrays) */
  const valueOfId: string[][] = [];
  /** The same for seqs beyond the dense range or origins that are not members. */
  const valueOfOddId = new Map<string, string>();
  /** node → values clients asked it to broadcast */
  const requestedAt = new Map<NodeId, Set<string>>();
  let historyScanned = 0;
  return {
    name: "NoCreation",
    afterStepOn: "persist-or-output",
    afterStep(id: NodeId, step: Step<BroadcastMessage, BroadcastOutput, BroadcastRecord>, view: BroadcastView): string | undefined {
      const outputs = step.output;
      if (outputs.length === 0) return undefined;
      position ??= memberPositions(view);
      for (let i = 0; i < outputs.length; i++) {
        const output = outputs[i] as BroadcastOutput;
        if (output.type !== "deliver") continue;
        const origin = position.get(output.origin);
        const dense = origin !== undefined && output.seq < DENSE_SEQ_LIMIT ? (valueOfId[origin] ??= []) : undefined;
        const known = dense !== undefined ? dense[output.seq] : valueOfOddId.get(`${output.origin}|${output.seq}`);
        if (known === undefined) {
          const history = view.history;
          for (; historyScanned < history.length; historyScanned++) {
            const event = history[historyScanned];
            if (event?.type !== "invoke" || event.node === undefined) continue;
            let requested = requestedAt.get(event.node);
            if (requested === undefined) requestedAt.set(event.node, (requested = new Set()));
            requested.add(event.op.value);
          }
          if (requestedAt.get(output.origin)?.has(output.value) !== true) {
            return `${id} delivered (${output.origin}, ${output.seq}) with value ${JSON.stringify(output.value)}, which no client asked ${output.origin} to broadcast`;
          }
          if (dense !== undefined) dense[output.seq] = output.value;
          else valueOfOddId.set(`${output.origin}|${output.seq}`, output.value);
        } else if (known !== output.value) {
          return `${id} delivered (${output.origin}, ${output.seq}) with value ${JSON.stringify(output.value)}, but it was broadcast with ${JSON.stringify(known)}`;
        }
      }
      return undefined;
    },
  };
}

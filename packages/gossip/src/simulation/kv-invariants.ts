import type { InvariantResult, NodeId, Step } from "@synod/core";
import type { GossipNode } from "../gossip-node.js";
import type { GossipMessage, GossipOutput, GossipRecord } from "../messages.js";
import type { GossipInvariant } from "./invariants.js";
import { monitorOf, type GossipView } from "./monitor.js";

/**
 * `KvConsistent` and `KvNoGap` (Scuttlebutt's safety, one pass over each step): every write an owner
 * persists takes a version above its last; every write a member takes from gossip is the owner's
 * write of that version (same key, same value); and after each step, a member that holds an owner up
 * to version v holds every key the owner had written by v, at that version or later, unless the owner
 * wrote it again above v — no write below its version is missing, which a delta cut short newest
 * first would break (`KvHistory.gap`). Owners that
 * recovered from corrupted storage are not checked (they may have lost writes their peers hold).
 * @returns a fresh checker for one run
 */
export function kvConsistent(): GossipInvariant {
  return {
    name: "KvConsistent",
    covers: ["KvConsistent", "KvNoGap"],
    afterStepOn: "persist-or-output",
    afterStep(id: NodeId, step: Step<GossipMessage, GossipOutput, GossipRecord>, view: GossipView, node?: GossipNode, member?: number): InvariantResult {
      const monitor = monitorOf(view);
      const history = monitor.kv;
      member ??= monitor.position(view, id);
      node ??= view.nodes.get(id);
      if (member === undefined) return undefined;
      for (const output of step.output) if (output.type === "alarm") history.tainted.add(member);
      for (const output of step.output) {
        // A write whose step crashed after its sync (its output lost) is told at the restart, before any new one.
        if (output.type !== "kvUpdated" || output.cause !== "recovered") continue;
        if (history.writeAt(member, output.version) !== undefined) continue;
        const wrong = history.write(member, id, output.key, output.value, output.version, view.nowMs);
        if (wrong !== undefined) return { invariant: "KvConsistent", message: wrong };
      }
      for (const record of step.persist) {
        if (record.kv === undefined) continue;
        const [key, value, version] = record.kv;
        const wrong = history.write(member, id, key, value, version, view.nowMs);
        if (wrong !== undefined) return { invariant: "KvConsistent", message: wrong };
      }
      let touched: Set<number> | undefined;
      for (const output of step.output) {
        if (output.type !== "kvUpdated" || output.cause !== "gossip") continue;
        const owner = monitor.position(view, output.owner);
        if (owner === undefined || history.tainted.has(owner)) continue;
        const write = history.writeAt(owner, output.version);
        if (write === undefined || write.key !== output.key || write.value !== output.value) {
          const what = write === undefined ? "" : ` (it wrote ${write.key} there)`;
          const message = `${id} took ${output.owner}'s ${output.key}@${output.version}, which ${output.owner} never wrote${what}`;
          return { invariant: "KvConsistent", message };
        }
        (touched ??= new Set()).add(owner);
      }
      if (touched === undefined || node === undefined) return undefined;
      for (const owner of touched) {
        const held = node.kvOwnerState(owner);
        const missing = held === undefined ? undefined : history.gap(owner, held);
        if (held !== undefined && missing !== undefined) {
          const who = view.members[owner];
          const message = `${id} holds ${who} up to version ${held.max} but not ${who}'s ${missing.key}@${missing.version}, which nothing newer replaced`;
          return { invariant: "KvNoGap", message };
        }
      }
      return undefined;
    },
  };
}

import type { ClusterView, Invariant, NodeId, Step } from "@synod/core";
import type { KvOp, KvResult, RaftRecord } from "@synod/raft";
import type { ChainNode } from "../chain-node.js";
import type { ChainOutput } from "../io.js";
import type { ChainMessage } from "../messages.js";

/** The invariant type of the chain simulation target. */
export type ChainInvariant = Invariant<ChainNode, ChainMessage, ChainOutput, RaftRecord, KvOp, KvResult>;
type View = ClusterView<ChainNode, KvOp, KvResult>;
type ChainStep = Step<ChainMessage, ChainOutput, RaftRecord>;

/** The safety properties checked in the simulator, named as in specs/chain (Linearizable is added by the simulator). */
export const CHAIN_INVARIANT_NAMES = ["CleanReadsAreCommitted", "ChainPrefix", "EpochFencing", "TailCommitsReceived", "SyncedMemberKept"] as const;

/**
 * CleanReadsAreCommitted: a strong read is answered only from a version the tail has acknowledged —
 * its version is at most the highest commit point any node has reached.
 */
export function cleanReadsAreCommitted(): ChainInvariant {
  let maxCommitted = 0;
  return {
    name: "CleanReadsAreCommitted",
    afterStepOn: "persist-or-output",
    afterStep(id, step: ChainStep) {
      for (const out of step.output) {
        if (out.type === "committed") maxCommitted = Math.max(maxCommitted, out.seq);
        else if (out.type === "served" && out.consistency === "strong" && out.version > maxCommitted) {
          return `${id} answered a strong read of ${out.key} from version ${out.version}, but no node has committed beyond ${maxCommitted}`;
        }
      }
      return undefined;
    },
  };
}

/** @returns a violation when `succ`'s writes are not a prefix of `pred`'s (both adjacent members of one epoch) */
function prefixViolation(predId: NodeId, pred: ChainNode, succId: NodeId, succ: ChainNode): string | undefined {
  if (pred.configuration.epoch !== succ.configuration.epoch || pred.position < 0 || succ.position !== pred.position + 1) return undefined;
  const p = pred.store;
  const s = succ.store;
  if (s.received > p.received) {
    return `${succId} holds writes up to ${s.received}, beyond its predecessor ${predId} (${p.received}) in epoch ${pred.configuration.epoch}`;
  }
  const hash = p.hashAt(s.received);
  if (hash !== undefined && hash !== s.receivedHash) {
    return `${succId}'s writes up to ${s.received} differ from its predecessor ${predId}'s (epoch ${pred.configuration.epoch})`;
  }
  return undefined;
}

/**
 * ChainPrefix: in every epoch each member's writes are a prefix of its predecessor's (compared by
 * count and by the running hash of the log). Checked after every event that changed a node, against its neighbours.
 */
export function chainPrefix(): ChainInvariant {
  return {
    name: "ChainPrefix",
    check(view: View, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined || node.position < 0) return undefined;
      const members = node.configuration.members;
      const pred = members[node.position - 1]?.id;
      const succ = members[node.position + 1]?.id;
      const p = pred === undefined ? undefined : view.nodes.get(pred);
      const s = succ === undefined ? undefined : view.nodes.get(succ);
      const before = p === undefined ? undefined : prefixViolation(pred as NodeId, p, changed, node);
      return before ?? (s === undefined ? undefined : prefixViolation(changed, node, succ as NodeId, s));
    },
  };
}

/**
 * EpochFencing: one configuration per epoch (every node that adopts epoch e adopts the same chain);
 * a node's epochs only increase; and a node accepts writes only in its current epoch and only from
 * its predecessor in that epoch's configuration.
 */
export function epochFencing(): ChainInvariant {
  const configurations = new Map<number, readonly NodeId[]>();
  const lastEpoch = new WeakMap<object, number>();
  return {
    name: "EpochFencing",
    afterStepOn: "persist-or-output",
    afterStep(id, step: ChainStep, view: View, given) {
      const node = given ?? view.nodes.get(id);
      for (const out of step.output) {
        if (out.type === "configured") {
          const known = configurations.get(out.epoch);
          if (known === undefined) configurations.set(out.epoch, out.members);
          else if (known.join(",") !== out.members.join(",")) {
            return `epoch ${out.epoch} has two configurations: [${known.join(",")}] and [${out.members.join(",")}] (at ${id})`;
          }
          if (node !== undefined) {
            const previous = lastEpoch.get(node) ?? -1;
            if (out.epoch <= previous) return `${id} adopted epoch ${out.epoch} after epoch ${previous}`;
            lastEpoch.set(node, out.epoch);
          }
        } else if (out.type === "accepted") {
          if (node !== undefined && out.epoch !== node.configuration.epoch) {
            return `${id} accepted writes of epoch ${out.epoch} while in epoch ${node.configuration.epoch}`;
          }
          const members = configurations.get(out.epoch) ?? [];
          const at = members.indexOf(id);
          if (at < 1 || members[at - 1] !== out.from) {
            return `${id} accepted writes from ${out.from}, not its predecessor in epoch ${out.epoch} ([${members.join(",")}])`;
          }
        }
      }
      return undefined;
    },
  };
}

/**
 * TailCommitsReceived: a node that is the tail of the configuration it knows has committed every
 * write it holds — a write reaching the tail is committed there, and a member that becomes the tail
 * commits what it holds at once (else those writes are acknowledged only when a later write
 * arrives, or never). Checked after every event that changed a node.
 */
export function tailCommitsReceived(): ChainInvariant {
  return {
    name: "TailCommitsReceived",
    check(view: View, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined || !node.isTail || node.store.committed === node.store.received) return undefined;
      const { committed, received } = node.store;
      return `${changed} is the tail of epoch ${node.configuration.epoch} but has committed ${committed} of the ${received} writes it holds`;
    },
  };
}

/**
 * SyncedMemberKept: once some member holds every committed write (is synced), every later
 * configuration keeps a member that has held them (same incarnation and membership) — a
 * reconfiguration never leaves only members still catching up, which would lose the committed
 * data while a node holding it is alive. (Not in specs/chain: joins are not modelled there.)
 */
export function syncedMemberKept(): ChainInvariant {
  const everSynced = new Set<string>();
  const key = (id: NodeId, boot: number, since: number): string => `${id}:${boot}:${since}`;
  let previous: { epoch: number; kept: boolean } | undefined;
  return {
    name: "SyncedMemberKept",
    check(view: View, changed, given) {
      if (changed === undefined) return undefined;
      const node = given ?? view.nodes.get(changed);
      if (node === undefined) return undefined;
      if (node.synced) everSynced.add(key(changed, node.boot, node.dataSince));
      const config = node.configuration;
      if (previous !== undefined && config.epoch <= previous.epoch) return undefined;
      const kept = config.members.some((m) => everSynced.has(key(m.id, m.boot, m.since)) || (m.id === changed && node.synced));
      const before = previous;
      previous = { epoch: config.epoch, kept };
      if (before?.kept === true && !kept && config.epoch === before.epoch + 1) {
        return `epoch ${config.epoch} ([${config.members.map((m) => m.id).join(",")}]) keeps no member that ever held every committed write`;
      }
      return undefined;
    },
  };
}

/** @returns fresh checkers of {@link CHAIN_INVARIANT_NAMES}, in that order */
export function createChainInvariants(): ChainInvariant[] {
  return [cleanReadsAreCommitted(), chainPrefix(), epochFencing(), tailCommitsReceived(), syncedMemberKept()];
}

import type { ClusterView, HistoryEvent, Invariant, NodeId, Step } from "@synod/core";
import { encodeKvCommand, type KvOp, type KvResult } from "@synod/raft";
import { equalBytes, toHex } from "@synod/security";
import type { PbftOutput } from "../io.js";
import type { PbftMessage } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";
import { DurabilityCheck } from "./durability.js";

/** The invariant type of the PBFT simulation target. */
export type PbftInvariant = Invariant<PbftNode<KvResult>, PbftMessage, PbftOutput<KvResult>, PbftRecord, KvOp, KvResult>;
type View = ClusterView<PbftNode<KvResult>, KvOp, KvResult>;
type PbftStep = Step<PbftMessage, PbftOutput<KvResult>, PbftRecord>;

/** The safety properties checked in the simulator, named as in specs/pbft/PBFT.tla. */
export const PBFT_INVARIANT_NAMES = ["Agreement", "Validity", "Integrity", "ViewChangeSafety"] as const;

/**
 * Agreement: no two replicas commit different batches at one sequence number (whatever the views).
 * Every `committed` output is recorded by sequence number with its digest and the first replica.
 */
export function agreement(): PbftInvariant {
  const committed = new Map<number, { digest: Uint8Array; node: NodeId; view: number }>();
  return {
    name: "Agreement",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep) {
      for (const out of step.output) {
        if (out.type !== "committed") continue;
        const held = committed.get(out.seq);
        if (held === undefined) committed.set(out.seq, { digest: out.digest, node: id, view: out.view });
        else if (!equalBytes(held.digest, out.digest)) {
          return `sequence ${out.seq}: ${held.node} committed batch ${toHex(held.digest).slice(0, 12)} in view ${held.view}, ${id} committed ${toHex(out.digest).slice(0, 12)} in view ${out.view}`;
        }
      }
      return undefined;
    },
  };
}

/**
 * Validity: only requests a client issued execute — every executed request is an invocation of
 * the client history (same client, timestamp = invocation id, and the very command the client
 * signed for that operation).
 */
export function validity(): PbftInvariant {
  const invocations = new Map<number, HistoryEvent<KvOp, KvResult> & { type: "invoke" }>();
  let scanned = 0;
  return {
    name: "Validity",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View) {
      for (const out of step.output) {
        if (out.type !== "execute") continue;
        const history = view.history;
        for (; scanned < history.length; scanned++) {
          const event = history[scanned] as HistoryEvent<KvOp, KvResult>;
          if (event.type === "invoke") invocations.set(event.id, event);
        }
        const invoke = invocations.get(out.timestamp);
        if (invoke === undefined || invoke.client !== out.client) return `${id} executed request (client ${out.client}, timestamp ${out.timestamp}) that no client issued`;
        if (!equalBytes(encodeKvCommand({ client: invoke.client, seq: invoke.id, op: invoke.op }), out.command)) {
          return `${id} executed a command for (client ${out.client}, timestamp ${out.timestamp}) other than the one the client issued`;
        }
      }
      return undefined;
    },
  };
}

/** Integrity: each request executes at most once per replica (per node lifetime). */
export function integrity(): PbftInvariant {
  const executed = new WeakMap<object, Set<string>>();
  return {
    name: "Integrity",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep, view: View, given) {
      const node = given ?? view.nodes.get(id);
      if (node === undefined) return undefined;
      for (const out of step.output) {
        if (out.type !== "execute") continue;
        let seen = executed.get(node);
        if (seen === undefined) executed.set(node, (seen = new Set()));
        const key = `${out.client}:${out.timestamp}`;
        if (seen.has(key)) return `${id} executed request (client ${out.client}, timestamp ${out.timestamp}) twice (again at sequence ${out.seq})`;
        seen.add(key);
      }
      return undefined;
    },
  };
}

/**
 * ViewChangeSafety: a batch committed at sequence n in view v is the batch every replica accepts
 * at n in every later view. Checked both ways: a commit against the pre-prepares already accepted
 * in later views, and a pre-prepare against the commits of earlier views.
 */
export function viewChangeSafety(): PbftInvariant {
  const committed = new Map<number, { view: number; digest: Uint8Array; node: NodeId }>();
  const accepted = new Map<number, Map<number, { digest: Uint8Array; node: NodeId }>>();
  const conflict = (seq: number, c: { view: number; digest: Uint8Array; node: NodeId }, v: number, a: { digest: Uint8Array; node: NodeId }): string =>
    `sequence ${seq}: ${c.node} committed ${toHex(c.digest).slice(0, 12)} in view ${c.view}, but ${a.node} accepted ${toHex(a.digest).slice(0, 12)} there in later view ${v}`;
  return {
    name: "ViewChangeSafety",
    afterStepOn: "persist-or-output",
    afterStep(id, step: PbftStep) {
      for (const out of step.output) {
        if (out.type === "committed") {
          const held = committed.get(out.seq);
          const entry = { view: out.view, digest: out.digest, node: id };
          if (held === undefined || out.view < held.view) committed.set(out.seq, entry);
          for (const [v, a] of accepted.get(out.seq) ?? []) if (v > out.view && !equalBytes(a.digest, out.digest)) return conflict(out.seq, entry, v, a);
        } else if (out.type === "prePrepared") {
          let views = accepted.get(out.seq);
          if (views === undefined) accepted.set(out.seq, (views = new Map()));
          const a = { digest: out.digest, node: id };
          if (!views.has(out.view)) views.set(out.view, a);
          const c = committed.get(out.seq);
          if (c !== undefined && c.view < out.view && !equalBytes(c.digest, out.digest)) return conflict(out.seq, c, out.view, a);
        }
      }
      return undefined;
    },
  };
}

/**
 * Checks of the implementation that the spec has no counterpart for (it has no crashes and no code
 * that can throw, and no MACs): `MessagesDurable`, `NoEquivocation` and `ClaimsKept` (durability.ts), `NoInternalError`.
 */
export const PBFT_IMPLEMENTATION_CHECK_NAMES = ["MessagesDurable", "NoEquivocation", "ClaimsKept", "NoInternalError"] as const;

/** MessagesDurable, NoEquivocation and ClaimsKept, in one pass over each step (see {@link DurabilityCheck}). */
export function durability(): PbftInvariant {
  const check = new DurabilityCheck();
  return {
    name: "MessagesDurable",
    covers: ["MessagesDurable", "NoEquivocation", "ClaimsKept"],
    afterStep: (id, step: PbftStep, view: View, given) => check.afterStep(id, step, given ?? view.nodes.get(id)),
    check: (view, changed, given) => (changed === undefined ? undefined : check.check(changed, given ?? view.nodes.get(changed))),
  };
}

/** NoInternalError: no replica ever throws while handling a message (its `internalError` alarm fails the run). */
export function noInternalError(): PbftInvariant {
  return {
    name: "NoInternalError",
    afterStepOn: "persist-or-output",
    afterStep(_id, step: PbftStep) {
      for (const out of step.output) if (out.type === "internalError") return out.reason;
      return undefined;
    },
  };
}

/** @returns fresh checkers of {@link PBFT_INVARIANT_NAMES}, in that order, then {@link PBFT_IMPLEMENTATION_CHECK_NAMES} */
export function createPbftInvariants(): PbftInvariant[] {
  return [agreement(), validity(), integrity(), viewChangeSafety(), durability(), noInternalError()];
}

import type { NodeId, Step } from "@synod/core";
import { isJoint, type ConfState } from "../conf-state.js";
import type { RaftOutput } from "../io.js";
import type { KvReply } from "../kv/kv-command.js";
import type { RaftMessage } from "../messages.js";
import type { RaftNode } from "../raft-node.js";
import type { RaftRecord } from "../records.js";
import type { NodeSlot } from "./node-slots.js";

type RaftStep = Step<RaftMessage, RaftOutput<KvReply>, RaftRecord>;

function sameMembers(a: readonly NodeId[], b: readonly NodeId[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  for (let k = 0; k < b.length; k++) if (!set.has(b[k] as NodeId)) return false;
  return true;
}

function describeConf(conf: ConfState): string {
  const learners = conf.learners.length === 0 ? "" : ` learners ${conf.learners.join(",")}`;
  return isJoint(conf) ? `joint(${conf.voters.join(",")} | ${conf.outgoing.join(",")})${learners}` : `{${conf.voters.join(",")}}${learners}`;
}

/**
 * @returns why moving from configuration `from` to `to` is not a step of joint consensus, or undefined:
 *   a simple configuration C may only become a joint one C(new, C) — its outgoing half exactly C's
 *   voters — and a joint one C(new, old) only its incoming half `new` (the same voters and learners)
 */
export function badConfTransition(from: ConfState, to: ConfState): string | undefined {
  if (!isJoint(from)) {
    if (!isJoint(to)) return "a simple configuration may only become a joint one";
    if (!sameMembers(to.outgoing, from.voters)) return "the joint configuration's outgoing half is not the configuration it left";
    return undefined;
  }
  if (isJoint(to)) return "a joint configuration may only become its incoming half (joint from joint)";
  if (!sameMembers(to.voters, from.voters) || !sameMembers(to.learners, from.learners)) return "a joint configuration may only become its incoming half";
  return undefined;
}

/**
 * ConfigTransitions after a step of node `id` that outputs: every configuration it applies (a `conf`
 * output not `rejected`) follows the one before by a step of joint consensus, simple → C(new, old) →
 * new (see {@link badConfTransition}). The configuration before the step is the one the node had
 * after its previous event — `slot.conf`, recorded by CommittedEntriesDurable's `check` for the same
 * node object (`slot.confNode`); a restarted node recovers its snapshot's configuration, and one
 * installed from a snapshot in the step (a `restored` output) restarts the sequence there. Not known
 * (the node's first event): the first change of the step is not judged, the later ones are.
 * @returns why the step breaks it, or undefined
 */
export function configTransitionsAfterStep(slot: NodeSlot, id: NodeId, step: RaftStep, node: RaftNode<KvReply> | undefined): string | undefined {
  if (node === undefined) return undefined;
  const output = step.output;
  let conf = slot.confNode === node ? slot.conf : undefined;
  for (let k = 0; k < output.length; k++) {
    const o = output[k] as RaftOutput<KvReply>;
    if (o.type === "restored") conf = undefined;
    if (o.type !== "conf" || o.rejected !== undefined) continue;
    const bad = conf === undefined ? undefined : badConfTransition(conf, o.conf);
    if (bad !== undefined) return `${id} applied ${describeConf(o.conf)} at index ${o.index} over ${describeConf(conf as ConfState)}: ${bad}`;
    conf = o.conf;
  }
  return undefined;
}

import type { CrashPointSpec, Step } from "@synod/core";
import type { PbftOutput } from "../io.js";
import type { PbftMessage } from "../messages.js";
import type { PbftNode } from "../pbft-node.js";
import type { PbftRecord } from "../records.js";

/**
 * PBFT's buggify crash points (`pnpm sim pbft --faults buggify`): the steps after which a crash
 * tests what the replica promised before it. Each says where the crash falls and why there.
 */
export const PBFT_CRASH_POINTS: readonly CrashPointSpec[] = [
  // The primary assigned a sequence number and only its own disk knows: restarted, it must not give
  // that number to another request (an equivocation made by forgetting, not by malice).
  { name: "pre-prepared", crash: "before-send" },
  // The replica's commit (it is prepared) is on the wire and counted; restarted, it must keep the
  // prepared certificate for the next view change.
  { name: "prepared", crash: "after-send" },
  // The view change is on the wire; restarted mid view change, the replica must not act in the old view.
  { name: "view-change-sent", crash: "after-send" },
  // The client has its reply; the replica restarts and its state must still include what it answered.
  { name: "replied", crash: "after-send" },
  // Not a crash: the sends of a step forwarding a view-change dispute (or sending one again; a
  // checkpoint dispute's step passes `checkpoint-dispute-forwarded` instead) are lost. Each
  // dispute is forwarded once and then only re-sent until acknowledged, so this is where a
  // dispute's first copies can be lost while the equivocation's two halves still reach two replicas.
  { name: "dispute-forwarded", crash: "drop-sends" },
  // The sends of a step forwarding a checkpoint dispute (or sending one again) are lost, then the
  // replica dies: only its disk knows the dispute. Restarted, it must still hold the disputed
  // checkpoint (a later contradicting one convicts its signer) and forward it again.
  { name: "checkpoint-dispute-forwarded", crash: "drop-sends-then-crash" },
];

/** The point a step sending a message of this type passes (a pre-prepare's: only the primary's, point 0). */
const POINT_OF_SEND: Partial<Record<PbftMessage["type"], number>> = { commit: 1, viewChange: 2, reply: 3, dispute: 4 };

/** The point a step sending a checkpoint dispute passes (not `dispute-forwarded`'s: a view-change dispute's). */
const CHECKPOINT_DISPUTE_POINT = 5;

/**
 * @returns the index in {@link PBFT_CRASH_POINTS} of the point `node`'s `step` passes (the first in
 * that order), or -1
 */
export function pbftCrashPointOf<R>(node: PbftNode<R>, step: Step<PbftMessage, PbftOutput<R>, PbftRecord>): number {
  let point = -1;
  for (const e of step.send) {
    const type = e.message.type;
    let k = type === "prePrepare" ? (node.primary === node.id ? 0 : -1) : (POINT_OF_SEND[type] ?? -1);
    if (e.message.type === "dispute" && e.message.statement.type === "checkpoint") k = CHECKPOINT_DISPUTE_POINT;
    if (k >= 0 && (point < 0 || k < point)) point = k;
    if (point === 0) break;
  }
  return point;
}
